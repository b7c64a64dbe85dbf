import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CaseService } from '../../src/cases/case.service.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { priorViolationsOfParty } from '../../src/violations/violation.repo.js';
import { createTestContext, type TestContext } from '../support/test-app.js';
import {
  bringToPaymentDue,
  fileCase,
  LEGAL_OPINION,
  seedCaseParty,
  seedPudong,
} from '../support/case-fixtures.js';

/**
 * The repeat-offence count takes only decisions in force, one case per status on the real database: a filed or
 * decided-but-undelivered case, a revoked one, one reduced to no penalty, a withdrawn one and a warn-first
 * violation closed without a case do not count; a delivered, a due, an overdue-under-review and a paid one do.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
});
afterAll(() => ctx?.close());

const count = (partyId: string) =>
  priorViolationsOfParty(ctx.pool, partyId, new Date(Date.now() + 60_000), randomUUID());

/** A fresh party with one case brought to the state `steps` leave it in. */
async function partyWith(
  steps: (cases: CaseService, caseId: string) => Promise<void>,
): Promise<{ partyId: string; caseId: string }> {
  const { id: partyId } = await seedCaseParty(ctx);
  const caseId = await fileCase(ctx, seed, partyId);
  await steps(new CaseService(ctx.pool), caseId);
  return { partyId, caseId };
}
const status = async (caseId: string) =>
  (await ctx.pool.query('select status, snapshot from cases where id = $1', [caseId])).rows[0];

describe('prior violations in force', () => {
  it('does not count a case filed but not decided', async () => {
    const { partyId } = await partyWith(async () => undefined);
    expect(await count(partyId)).toHaveLength(0);
  });

  it('does not count a decision not yet delivered, and counts it once delivered', async () => {
    const { partyId, caseId } = await partyWith(async (cases, id) => {
      for (const event of [
        { type: 'send_advance_notice', on: today },
        { type: 'advance_notice_received', on: today },
        { type: 'rights_waived', on: today, waiverReference: '放弃声明 P-1' },
        { type: 'legal_review', on: today, conclusion: 'approved', opinion: LEGAL_OPINION, reviewerId: 'l' },
        { type: 'decide', on: today },
      ] as const)
        await cases.apply(id, event, system);
    });
    expect((await status(caseId)).status).toBe('decided');
    expect(await count(partyId)).toHaveLength(0);
    await new CaseService(ctx.pool).apply(
      caseId,
      { type: 'deliver_decision', on: today, channel: 'in_person' },
      system,
    );
    expect(await count(partyId)).toEqual([expect.objectContaining({ status: 'decision_delivered' })]);
  });

  it('counts a decision whose fine is due, under review, and paid', async () => {
    const due = await partyWith((_, id) => bringToPaymentDue(ctx, id, today));
    expect(await count(due.partyId)).toEqual([expect.objectContaining({ status: 'payment_due' })]);

    const reviewed = await partyWith(async (cases, id) => {
      await bringToPaymentDue(ctx, id, today);
      await cases.apply(id, { type: 'review_started', on: today, kind: 'reconsideration' }, system);
    });
    expect(await count(reviewed.partyId)).toEqual([expect.objectContaining({ status: 'suspended' })]);

    const paid = await partyWith(async (cases, id) => {
      await bringToPaymentDue(ctx, id, today);
      const fine = (await status(id)).snapshot.fineFen as number;
      await cases.apply(id, { type: 'payment_received', on: today, amountFen: fine }, system);
      await cases.apply(id, { type: 'close', on: today }, system);
    });
    expect((await status(paid.caseId)).snapshot.outcome).toBe('paid');
    expect(await count(paid.partyId)).toEqual([expect.objectContaining({ status: 'closed' })]);
  });

  it('does not count a revoked decision', async () => {
    const { partyId, caseId } = await partyWith(async (cases, id) => {
      await bringToPaymentDue(ctx, id, today);
      await cases.apply(id, { type: 'review_started', on: today, kind: 'litigation' }, system);
      await cases.apply(id, { type: 'review_concluded', on: today, outcome: 'revoked' }, system);
    });
    expect((await status(caseId)).snapshot.outcome).toBe('revoked');
    expect(await count(partyId)).toHaveLength(0);
  });

  it('does not count a decision reduced to no penalty', async () => {
    const { partyId, caseId } = await partyWith(async (cases, id) => {
      await bringToPaymentDue(ctx, id, today);
      await cases.apply(id, { type: 'review_started', on: today, kind: 'reconsideration' }, system);
      await cases.apply(
        id,
        { type: 'review_concluded', on: today, outcome: 'varied', revisedFineFen: 0 },
        system,
      );
    });
    expect((await status(caseId)).snapshot.outcome).toBe('no_penalty');
    expect(await count(partyId)).toHaveLength(0);
  });

  it('does not count a withdrawn case', async () => {
    const { partyId } = await partyWith(async (cases, id) => {
      await cases.apply(id, { type: 'withdraw', on: today, reason: '违法事实不能成立' }, system);
    });
    expect(await count(partyId)).toHaveLength(0);
  });

  it('does not count a warn-first violation closed without a case', async () => {
    const { id: partyId } = await seedCaseParty(ctx);
    await ctx.pool.query(
      `insert into violations (district_id, camera_id, camera_version, rule, violation_type, status, party_id, first_seen_at, confirmed_at, dedupe_key)
       values ('pudong', $1, 1, 'stall', 'street_stall', 'closed', $2, now() - interval '2 days', now() - interval '2 days', $3)`,
      [seed.cameraId, partyId, `withdrawn-${randomUUID()}`],
    );
    expect(await count(partyId)).toHaveLength(0);
  });

  it('lifts the next suggestion into the repeat tier only for a decision in force', async () => {
    const due = await partyWith((_, id) => bringToPaymentDue(ctx, id, today));
    const second = await fileCase(ctx, seed, due.partyId);
    expect((await status(second)).snapshot.reasons[0]).toBe('当事人十二个月内有同类违法记录1次');
    const undecided = await partyWith(async () => undefined);
    const next = await fileCase(ctx, seed, undecided.partyId);
    expect((await status(next)).snapshot.reasons[0]).toBe('当事人十二个月内无同类违法记录');
  });
});
