import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { CaseService } from '../../src/cases/case.service.js';
import { addDays, shanghaiDateOf } from '../../src/law/local-date.js';
import { StatementReviewService } from '../../src/cases/statement-review.service.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';

/**
 * The decision waits for the party (APL art. 45, 62, 64): through the staff API on the real database, a
 * statement made today cannot be decided today; the refusal names the day the periods end; a written waiver
 * needs its reference; once waived, or once the periods have run out, the decision is taken.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let legal: TestClient;
let staff: TestClient;
let head: TestClient;
let headPrincipal: StaffPrincipal;
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await seedStaff(ctx.pool, 'pp-legal', 'legal_reviewer', 'pudong');
  await seedStaff(ctx.pool, 'pp-staff', 'district_staff', 'pudong');
  const { id: headId } = await seedStaff(ctx.pool, 'pp-head', 'agency_head', 'pudong');
  headPrincipal = {
    id: headId,
    username: 'pp-head',
    displayName: 'head',
    role: 'agency_head',
    districtId: 'pudong',
  };
  legal = await new TestClient(ctx.app).login('pp-legal', 'a long test password');
  staff = await new TestClient(ctx.app).login('pp-staff', 'a long test password');
  head = await new TestClient(ctx.app).login('pp-head', 'a long test password');
});
afterAll(() => ctx?.close());

const caseRow = async (id: string) =>
  (await ctx.pool.query('select status, snapshot from cases where id = $1', [id])).rows[0];
const eventCount = async (id: string) =>
  (await ctx.pool.query('select count(*)::int as n from case_events where case_id = $1', [id])).rows[0].n;

/** A case whose advance notice reached the party today and whose statement came in today. */
async function statedToday(type = 'street_stall'): Promise<string> {
  const { id } = await seedCaseParty(ctx);
  const caseId = await fileCase(ctx, seed, id, type);
  const cases = new CaseService(ctx.pool);
  await cases.apply(caseId, { type: 'send_advance_notice', on: today }, system);
  await cases.apply(caseId, { type: 'advance_notice_received', on: today }, system);
  await cases.apply(caseId, { type: 'statement_submitted', on: today }, system);
  return caseId;
}

describe('the decision waits for the party', () => {
  it('refuses a decision on the day of the statement, naming the Beijing date the periods end', async () => {
    const caseId = await statedToday();
    const end = (await caseRow(caseId)).snapshot.deadlines.statement as string;
    expect(end > today).toBe(true);
    // The legal review may be made at once; the decision may not.
    const reviewed = await legal.request('POST', `/api/cases/${caseId}/statement-review`, {
      outcome: 'reject',
      reasons: ['陈述理由不成立'],
    });
    expect(reviewed.statusCode).toBe(200);
    const before = await eventCount(caseId);
    const refused = await head.request('POST', `/api/cases/${caseId}/decide`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain(`期限至${end}（北京时间）届满`);
    expect(refused.json().message).toContain(`${addDays(end, 1)}起方可作出决定`);
    expect((await caseRow(caseId)).status).toBe('statement_review');
    expect(await eventCount(caseId)).toBe(before);
  });

  it('takes the decision once the periods have ended', async () => {
    const caseId = await statedToday();
    const end = (await caseRow(caseId)).snapshot.deadlines.statement as string;
    const days = Math.round((Date.parse(end) - Date.parse(today)) / 86_400_000) + 1;
    const later = new Date(Date.now() + days * 86_400_000);
    const statements = new StatementReviewService(ctx.pool, new CaseService(ctx.pool, () => later));
    await statements.review(seed.legal, caseId, { outcome: 'reject', reasons: ['理由不成立'] });
    const result = await statements.decide(headPrincipal, caseId, {});
    expect(result.state).toBe('decided');
    expect((await caseRow(caseId)).snapshot.steps.decide).toBe(shanghaiDateOf(later));
  });

  it('refuses a waiver without its reference and changes nothing', async () => {
    const caseId = await statedToday();
    const before = await eventCount(caseId);
    for (const body of [{ reference: '   ' }, { reference: '' }, {}]) {
      const res = await staff.request('POST', `/api/cases/${caseId}/waiver`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const future = await staff.request('POST', `/api/cases/${caseId}/waiver`, {
      reference: '放弃声明书 浦城管〔2026〕7号',
      receivedOn: addDays(today, 2),
    });
    expect(future.statusCode).toBe(400);
    expect(await eventCount(caseId)).toBe(before);
    expect((await caseRow(caseId)).snapshot.rightsWaived).toBe(false);
  });

  it("records the party's written waiver with its reference, after which the decision is taken at once", async () => {
    const caseId = await statedToday();
    const waived = await staff.request('POST', `/api/cases/${caseId}/waiver`, {
      reference: '放弃声明书 浦城管〔2026〕8号',
    });
    expect(waived.statusCode).toBe(200);
    expect(waived.json()).toEqual({
      state: 'statement_review',
      waiverReference: '放弃声明书 浦城管〔2026〕8号',
    });
    const row = await caseRow(caseId);
    expect(row.snapshot).toMatchObject({
      rightsWaived: true,
      waiverReference: '放弃声明书 浦城管〔2026〕8号',
    });
    const audit = await ctx.pool.query(
      `select actor_kind, data from audit_log where action = 'case.rights_waived' and subject_id = $1`,
      [caseId],
    );
    expect(audit.rows[0]).toMatchObject({
      actor_kind: 'staff',
      data: { waiverReference: '放弃声明书 浦城管〔2026〕8号' },
    });
    const page = await legal.request('GET', `/staff/cases/${caseId}`);
    expect(page.body).toContain('放弃声明书 浦城管〔2026〕8号');
    const reviewed = await legal.request('POST', `/api/cases/${caseId}/statement-review`, {
      outcome: 'reject',
      reasons: ['陈述理由不成立'],
    });
    expect(reviewed.statusCode).toBe(200);
    const decided = await head.request('POST', `/api/cases/${caseId}/decide`, {});
    expect(decided.statusCode).toBe(200);
    expect(decided.json().state).toBe('decided');
  });

  it('shows the waiting on the case page with the date and a form for the waiver', async () => {
    const caseId = await statedToday();
    const end = (await caseRow(caseId)).snapshot.deadlines.statement as string;
    const page = await legal.request('GET', `/staff/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="party-periods"');
    expect(page.body).toContain(end);
    expect(page.body).toContain('id="waiver-form"');
  });
});
