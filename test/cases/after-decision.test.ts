import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfterDecisionService } from '../../src/cases/after-decision.service.js';
import { CaseService } from '../../src/cases/case.service.js';
import { computeLateFee } from '../../src/law/late-fee.js';
import { chineseCapitalAmount, formatYuan } from '../../src/law/money.js';
import { addDays, shanghaiDateOf } from '../../src/law/local-date.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/shared/errors.js';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';
import { bringToPaymentDue, fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';

/**
 * After the decision: reconsideration and lawsuits, the application to the court for an unpaid fine, and the
 * case's end once enforced, through the staff API and the case page's forms, on the real database.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let legal: TestClient;
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };

/** The bureau's services as they will run `days` from now. */
function at(days: number): { cases: CaseService; after: AfterDecisionService; day: string } {
  const instant = new Date(Date.now() + days * 86_400_000);
  const cases = new CaseService(ctx.pool, () => instant);
  return { cases, after: new AfterDecisionService(ctx.pool, cases), day: shanghaiDateOf(instant) };
}

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await seedStaff(ctx.pool, 'ad-legal', 'legal_reviewer', 'pudong');
  legal = await new TestClient(ctx.app).login('ad-legal', 'a long test password');
});
afterAll(() => ctx?.close());

const caseRow = async (id: string) =>
  (await ctx.pool.query('select status, snapshot from cases where id = $1', [id])).rows[0];

/** A filed case taken through notice, waiver, decision and delivery today: the fine is due. */
async function caseAwaitingPayment(): Promise<string> {
  const { id } = await seedCaseParty(ctx);
  const caseId = await fileCase(ctx, seed, id);
  await bringToPaymentDue(ctx, caseId, today);
  expect((await caseRow(caseId)).status).toBe('payment_due');
  return caseId;
}

describe('reconsideration and lawsuits', () => {
  it('suspends the late fee while a reconsideration runs and applies its outcome, never a higher fine', async () => {
    const caseId = await caseAwaitingPayment();
    const fine = (await caseRow(caseId)).snapshot.fineFen as number;
    const started = await legal.request('POST', `/api/cases/${caseId}/review-started`, {
      kind: 'reconsideration',
      on: today,
      body: '上海市浦东新区人民政府',
      reference: '浦府复〔2026〕101号',
    });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ state: 'suspended' });
    const row = await caseRow(caseId);
    expect(row.snapshot.pauses).toEqual([{ kind: 'reconsideration', from: today }]);
    const event = await ctx.pool.query(
      `select data from case_events where case_id = $1 and kind = 'review_started'`,
      [caseId],
    );
    expect(event.rows[0].data).toMatchObject({
      body: '上海市浦东新区人民政府',
      reference: '浦府复〔2026〕101号',
    });
    const audit = await ctx.pool.query(
      `select data from audit_log where action = 'case.review_started' and subject_id = $1`,
      [caseId],
    );
    expect(audit.rows).toHaveLength(1);

    const higher = await legal.request('POST', `/api/cases/${caseId}/review-concluded`, {
      outcome: 'varied',
      revisedFineFen: fine + 100,
      on: today,
      reference: '浦府复决〔2026〕101号',
    });
    expect(higher.statusCode).toBe(409);
    expect(higher.json().message).toMatch(/may not raise the fine/);

    const varied = await legal.request('POST', `/api/cases/${caseId}/review-concluded`, {
      outcome: 'varied',
      revisedFineFen: Math.floor(fine / 2),
      on: today,
      reference: '浦府复决〔2026〕101号',
    });
    expect(varied.statusCode).toBe(200);
    expect(varied.json()).toEqual({ state: 'payment_due', fineFen: Math.floor(fine / 2), outcome: null });
    expect((await caseRow(caseId)).snapshot.pauses).toEqual([
      { kind: 'reconsideration', from: today, to: today },
    ]);
  });

  it('closes a case whose decision a court revoked', async () => {
    const caseId = await caseAwaitingPayment();
    await at(0).after.startReview(seed.legal, caseId, {
      kind: 'litigation',
      on: today,
      body: '上海铁路运输法院',
      reference: '(2026)沪7101行初1号',
    });
    const revoked = await at(0).after.concludeReview(seed.legal, caseId, {
      outcome: 'revoked',
      on: today,
      reference: '(2026)沪7101行初1号判决',
    });
    expect(revoked).toMatchObject({ state: 'closed', outcome: 'revoked' });
  });

  it('refuses bad dates, missing references, other districts and other roles', async () => {
    const caseId = await caseAwaitingPayment();
    const bad = (body: Record<string, unknown>) =>
      at(0).after.startReview(seed.legal, caseId, {
        kind: 'reconsideration',
        on: today,
        body: '上海市浦东新区人民政府',
        reference: 'x',
        ...body,
      } as never);
    await expect(bad({ on: '2026-02-30' })).rejects.toBeInstanceOf(ValidationError);
    await expect(bad({ on: addDays(today, 1) })).rejects.toThrow(/in the future/);
    await expect(bad({ reference: '   ' })).rejects.toThrow(/case reference is required/);
    await expect(bad({ kind: 'appeal' })).rejects.toBeInstanceOf(ValidationError);
    await expect(
      at(0).after.startReview({ ...seed.legal, districtId: 'huangpu' }, caseId, {
        kind: 'reconsideration',
        on: today,
        body: 'b',
        reference: 'r',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await seedStaff(ctx.pool, 'ad-evidence', 'evidence_reviewer', 'pudong');
    const evidence = await new TestClient(ctx.app).login('ad-evidence', 'a long test password');
    const refused = await evidence.request('POST', `/api/cases/${caseId}/review-started`, {
      kind: 'reconsideration',
      on: today,
      body: 'b',
      reference: 'r',
    });
    expect(refused.statusCode).toBe(403);
    expect((await caseRow(caseId)).status).toBe('payment_due');
  });
});

describe('court enforcement of an unpaid fine', () => {
  it('goes to the court only after the appeal periods and ten days after a demand, and closes once enforced', async () => {
    const caseId = await caseAwaitingPayment();
    // Not overdue yet: nothing to enforce.
    await expect(
      at(0).after.referForEnforcement(seed.legal, caseId, {
        on: today,
        demandDeliveredOn: today,
        court: '上海铁路运输法院',
        reference: 'x',
      }),
    ).rejects.toThrow(/only an overdue case/);

    // Unpaid after the deadline: the sweep a month later marks it overdue.
    const month = at(30);
    await month.cases.apply(caseId, { type: 'payment_deadline_passed', on: month.day }, system);
    expect((await caseRow(caseId)).status).toBe('overdue');
    const tooSoon = await month.after
      .referForEnforcement(seed.legal, caseId, {
        on: month.day,
        demandDeliveredOn: addDays(month.day, -12),
        court: '上海铁路运输法院',
        reference: 'x',
      })
      .catch((e: unknown) => e);
    expect(tooSoon).toBeInstanceOf(ConflictError);
    expect((tooSoon as Error).message).toMatch(/may still ask for reconsideration or sue until/);

    // Seven months on: the six months to sue are over; a demand delivered five days earlier is too recent.
    const later = at(215);
    const window = await later.after.referralWindow(
      (await ctx.pool.query('select * from cases where id = $1', [caseId])).rows[0],
    );
    expect(window!.appealEndsOn < later.day).toBe(true);
    await expect(
      later.after.referForEnforcement(seed.legal, caseId, {
        on: later.day,
        demandDeliveredOn: addDays(later.day, -5),
        court: '上海铁路运输法院',
        reference: 'x',
      }),
    ).rejects.toThrow(/10 days later/);
    const referred = await later.after.referForEnforcement(seed.legal, caseId, {
      on: later.day,
      demandDeliveredOn: addDays(later.day, -11),
      court: '上海铁路运输法院',
      reference: '浦城管强申〔2027〕7号',
    });
    expect(referred.state).toBe('enforcement_referred');
    const step = await ctx.pool.query(
      `select data from case_events where case_id = $1 and kind = 'refer_for_enforcement'`,
      [caseId],
    );
    expect(step.rows[0].data).toMatchObject({
      court: '上海铁路运输法院',
      reference: '浦城管强申〔2027〕7号',
    });

    const closed = await later.after.closeEnforced(seed.legal, caseId, {
      on: later.day,
      reference: '(2027)沪7101行审1号',
    });
    expect(closed).toMatchObject({ state: 'closed', outcome: 'enforced' });
  });
});

describe('the case page', () => {
  it('shows the periods and the next step’s form, and names what it refuses', async () => {
    const caseId = await caseAwaitingPayment();
    const pageRes = await legal.request('GET', `/staff/cases/${caseId}`);
    expect(pageRes.statusCode).toBe(200);
    const section = pageRes.body.slice(pageRes.body.indexOf('id="after-decision"'));
    expect(section).toContain('上海市浦东新区人民政府');
    expect(section).toContain(`至 ${addDays(today, 60)}`);
    expect(section).toContain('id="review-started-form"');
    expect(section).not.toContain('id="referral-form"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(section)![1]!;

    // The form's own fields and token, as the browser would post them.
    const form = (fields: Record<string, string>) =>
      legal.request('POST', `/staff/cases/${caseId}/review-started`, { _csrf: csrf, ...fields });
    const refused = await form({ kind: 'reconsideration', on: '2026-13-01', body: 'b', reference: 'r' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('id="after-decision-error"');
    const ok = await form({
      kind: 'litigation',
      on: today,
      body: '上海铁路运输法院',
      reference: '<script>x</script>',
    });
    expect(ok.statusCode).toBe(303);
    const after = await legal.request('GET', `/staff/cases/${caseId}`);
    expect(after.body).toContain('id="open-review"');
    expect(after.body).toContain('id="review-concluded-form"');
    expect(after.body).not.toContain('<script>x</script>');
  });
});

describe('the demand to pay', () => {
  it('is issued by the sweep once a case is overdue, with the amount owed, and its recorded receipt dates the court application', async () => {
    const caseId = await caseAwaitingPayment();
    const fine = (await caseRow(caseId)).snapshot.fineFen as number;
    const sweepAt = (days: number) =>
      createNotifyServices({
        config: ctx.config,
        pool: ctx.pool,
        blobs: ctx.blobs,
        queues: ctx.queues,
        logger: createLogger('silent', 'test'),
        channels: {},
        now: () => new Date(Date.now() + days * 86_400_000),
      }).sweep.sweep();

    // Day 20: the payment deadline (15 days) has passed; the case turns overdue and its demand is issued.
    const report = await sweepAt(20);
    expect(report.paymentDemands).toBeGreaterThanOrEqual(1);
    expect((await caseRow(caseId)).status).toBe('overdue');
    const notices = await ctx.pool.query(
      `select id, document_key, issued_on from notices where case_id = $1 and kind = 'payment_demand'`,
      [caseId],
    );
    expect(notices.rows).toHaveLength(1);
    const demand = notices.rows[0]!;
    // No online channel is configured here: the demand waits for the post.
    const deliveries = await ctx.pool.query('select channel, status from deliveries where notice_id = $1', [
      demand.id,
    ]);
    expect(deliveries.rows).toEqual([{ channel: 'postal', status: 'fallback' }]);

    const dir = await mkdtemp(path.join(tmpdir(), 'demand-'));
    try {
      await writeFile(path.join(dir, 'demand.pdf'), await ctx.blobs.get(demand.document_key));
      const { stdout } = await promisify(execFile)('pdftotext', [
        '-enc',
        'UTF-8',
        path.join(dir, 'demand.pdf'),
        '-',
      ]);
      const text = stdout.replace(/\s+/g, '');
      expect(text).toContain('催告书');
      // The late fee up to the day of issue, 3 % of the fine a day from the day after the deadline.
      const { snapshot } = await caseRow(caseId);
      const { lateFeeFen } = computeLateFee({
        fineFen: fine,
        paymentDueOn: snapshot.deadlines.payment,
        asOf: at(20).day,
      });
      expect(lateFeeFen).toBeGreaterThan(0);
      expect(text).toContain(
        `合计人民币${chineseCapitalAmount(fine + lateFeeFen)}（${formatYuan(fine + lateFeeFen)}）`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // A second sweep issues nothing more.
    expect((await sweepAt(21)).paymentDemands).toBe(0);

    // Unpaid for months: the sweep warns before the window to ask the court closes, and says when it has.
    const flagsOn = async (days: number) => {
      await sweepAt(days);
      return (
        (await ctx.pool.query('select flags from cases where id = $1', [caseId])).rows[0].flags as {
          key: string;
          level: string;
        }[]
      ).filter((f) => f.key === 'enforcement');
    };
    expect(await flagsOn(200)).toEqual([]);
    expect(await flagsOn(260)).toMatchObject([{ level: 'at_risk' }]);
    expect(await flagsOn(300)).toMatchObject([{ level: 'missed' }]);

    // Seven months on, with no receipt recorded, the application needs the day the demand arrived.
    const later = at(215);
    const apply = () =>
      later.after.referForEnforcement(seed.legal, caseId, {
        on: later.day,
        court: '上海铁路运输法院',
        reference: '浦城管强申〔2027〕8号',
      });
    await expect(apply()).rejects.toThrow(/no delivery of the demand to pay is recorded/);
    // The signed postal receipt comes back: recorded, it dates the application.
    const receivedOn = addDays(today, 25);
    await ctx.pool.query(
      `update deliveries set status = 'delivered', delivered_at = $2::date where notice_id = $1 and channel = 'postal'`,
      [demand.id, receivedOn],
    );
    const referred = await apply();
    expect(referred.state).toBe('enforcement_referred');
    const step = await ctx.pool.query(
      `select data from case_events where case_id = $1 and kind = 'refer_for_enforcement'`,
      [caseId],
    );
    expect(step.rows[0].data.demandDeliveredOn).toBe(receivedOn);
  });
});
