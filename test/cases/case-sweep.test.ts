import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, shanghaiDateOf } from '../../src/law/local-date.js';
import { createNotifyServices, type NotifyServices } from '../../src/app/notify-worker.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';
import { fileCase, seedCaseParty, seedPudong, LEGAL_OPINION } from '../support/case-fixtures.js';

let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
const logger = createLogger('silent', 'test');
const today = shanghaiDateOf(new Date());

/** The sweep as it will run `days` from now. */
function servicesAt(days: number): NotifyServices {
  const at = new Date(Date.now() + days * 86_400_000);
  return createNotifyServices({
    config: ctx.config,
    pool: ctx.pool,
    blobs: ctx.blobs,
    queues: ctx.queues,
    logger,
    channels: {},
    now: () => at,
  });
}

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
});
afterAll(() => ctx.close());

const caseRow = async (id: string) =>
  (await ctx.pool.query('select status, flags, snapshot from cases where id = $1', [id])).rows[0];
const party = { kind: 'system' as const, id: 'test' };

async function caseInStatementWindow(): Promise<string> {
  const { id } = await seedCaseParty(ctx);
  const caseId = await fileCase(ctx, seed, id);
  const now = servicesAt(0);
  expect(await now.notices.issue(caseId, 'advance_notice')).not.toBeNull();
  await now.cases.apply(caseId, { type: 'advance_notice_received', on: today }, party);
  return caseId;
}

describe('the case sweep', () => {
  it('closes the statement window once it has passed, and only then', async () => {
    const caseId = await caseInStatementWindow();
    const end = (await caseRow(caseId)).snapshot.deadlines.statement;
    await servicesAt(1).sweep.sweep();
    expect((await caseRow(caseId)).status).toBe('statement_window');
    await servicesAt(20).sweep.sweep();
    const moved = await caseRow(caseId);
    expect(moved.status).toBe('awaiting_decision');
    expect(moved.snapshot.steps.statement_window_elapsed > end).toBe(true);
    const event = (
      await ctx.pool.query(
        `select actor from case_events where case_id = $1 and kind = 'statement_window_elapsed'`,
        [caseId],
      )
    ).rows;
    expect(event).toEqual([{ actor: 'system:case-sweep' }]);
  });

  it('flags the 90-day decision deadline as at risk, then missed, and shows it to staff', async () => {
    const caseId = await caseInStatementWindow();
    await servicesAt(80).sweep.sweep();
    const atRisk = await caseRow(caseId);
    expect(atRisk.flags).toEqual([
      expect.objectContaining({ key: 'decision', level: 'at_risk', dueOn: addDays(today, 90) }),
    ]);
    await servicesAt(95).sweep.sweep();
    expect((await caseRow(caseId)).flags).toEqual([
      expect.objectContaining({ key: 'decision', level: 'missed' }),
    ]);
    await seedStaff(ctx.pool, 'sweep-staff', 'district_staff', 'pudong');
    const staff = await new TestClient(ctx.app).login('sweep-staff', 'a long test password');
    const page = await staff.request('GET', `/staff/cases/${caseId}`);
    expect(page.body).toContain('data-flag="decision-missed"');
    const flagged = (await staff.request('GET', '/api/cases?flagged=true'))
      .json()
      .cases.map((c: { id: string }) => c.id);
    expect(flagged).toContain(caseId);
  });

  it('issues the decision once decided, and moves an unpaid fine to overdue after its deadline', async () => {
    const caseId = await caseInStatementWindow();
    const now = servicesAt(0);
    await now.cases.apply(
      caseId,
      { type: 'rights_waived', on: today, waiverReference: '放弃声明 测试-002' },
      party,
    );
    await now.cases.apply(
      caseId,
      {
        type: 'legal_review',
        on: today,
        conclusion: 'approved',
        opinion: LEGAL_OPINION,
        reviewerId: 'test-legal',
      },
      party,
    );
    await now.cases.apply(caseId, { type: 'decide', on: today }, party);
    const report = await now.sweep.sweep();
    expect(report.decisions).toBe(1);
    const notice = (
      await ctx.pool.query(`select document_key from notices where case_id = $1 and kind = 'decision'`, [
        caseId,
      ])
    ).rows[0];
    const pdf = await ctx.blobs.get(notice.document_key);
    const extracted = await pdfToText(pdf);
    expect(extracted).toContain('行政处罚决定书');
    expect(extracted).toContain('上海市市容环境卫生管理条例');
    expect(extracted).toMatch(/沪浦城管非现〔\d{4}〕第\d{6}号/);
    // No online channel is configured here: the decision waits for post, and staff record the return receipt.
    expect((await caseRow(caseId)).status).toBe('decided');
    await now.cases.apply(caseId, { type: 'deliver_decision', on: today, channel: 'post' }, party);
    await now.cases.apply(caseId, { type: 'decision_received', on: today }, party);
    const due = (await caseRow(caseId)).snapshot.deadlines.payment;
    await servicesAt(10).sweep.sweep();
    expect((await caseRow(caseId)).status).toBe('payment_due');
    await servicesAt(30).sweep.sweep();
    const overdue = await caseRow(caseId);
    expect(overdue.status).toBe('overdue');
    expect(overdue.snapshot.steps.payment_deadline_passed > due).toBe(true);
  });
});

async function pdfToText(pdf: Buffer): Promise<string> {
  const child = execFile('pdftotext', ['-enc', 'UTF-8', '-', '-']);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stdin!.end(pdf);
  await new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(null) : reject(new Error(`pdftotext exited ${code}`)))),
  );
  return out;
}
