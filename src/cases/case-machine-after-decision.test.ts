import { describe, expect, it } from 'vitest';
import { dueTimedEvents, pendingObligations } from './case-machine.js';
import { inStatementWindow, newCase, run } from './case-machine.fixtures.js';
import type { CaseSnapshot } from './case-state.js';

/* The case machine after the decision: delivery, payment, the late fee, reconsideration and enforcement. */

describe('delivery, payment, late fee and review', () => {
  const due = (consent = true) =>
    run(
      inStatementWindow(newCase('street_stall', {}, '2026-03-02', consent)),
      { type: 'rights_waived', on: '2026-03-04', waiverReference: '放弃声明2026-001' },
      { type: 'decide', on: '2026-03-04' },
    );
  const receivedOn = (snapshot: CaseSnapshot) =>
    run(
      snapshot,
      { type: 'deliver_decision', on: '2026-03-05', channel: 'post' },
      { type: 'decision_received', on: '2026-03-09' },
    );

  it("delivers online only with the party's consent", () => {
    expect(() => run(due(false), { type: 'deliver_decision', on: '2026-03-05', channel: 'online' })).toThrow(
      /consent/,
    );
    expect(run(due(false), { type: 'deliver_decision', on: '2026-03-05', channel: 'post' }).state).toBe(
      'decision_delivered',
    );
  });

  it('goes overdue after the deadline and then asks for fine plus late fee', () => {
    let snapshot = receivedOn(due());
    expect(snapshot.deadlines.payment).toBe('2026-03-24');
    expect(dueTimedEvents(snapshot, '2026-03-24')).toEqual([]);
    snapshot = run(snapshot, ...dueTimedEvents(snapshot, '2026-03-25'));
    expect(snapshot.state).toBe('overdue');
    // Paid 3 April: 10 days late, 3 % of 100 yuan a day.
    expect(() => run(snapshot, { type: 'payment_received', on: '2026-04-03', amountFen: 100_00 })).toThrow(
      /does not match the 13000 fen due on 2026-04-03 \(fine 10000 \+ late fee 3000\)/,
    );
    expect(run(snapshot, { type: 'payment_received', on: '2026-04-03', amountFen: 130_00 })).toMatchObject({
      state: 'paid',
      lateFeePaidFen: 30_00,
    });
  });

  it('counts the late fee to the day paid when a bank payment is recorded later', () => {
    const overdue = run(receivedOn(due()), { type: 'payment_deadline_passed', on: '2026-03-25' });
    // Paid at the bank on the last day, the receipt recorded on 3 April: the fine alone.
    expect(
      run(overdue, { type: 'payment_received', on: '2026-04-03', paidOn: '2026-03-24', amountFen: 100_00 }),
    ).toMatchObject({ state: 'paid', lateFeePaidFen: 0 });
    // Paid on 26 March (2 days late): 6 % more.
    expect(() =>
      run(overdue, { type: 'payment_received', on: '2026-04-03', paidOn: '2026-03-26', amountFen: 100_00 }),
    ).toThrow(/10600 fen due on 2026-03-26/);
    expect(() =>
      run(overdue, { type: 'payment_received', on: '2026-04-03', paidOn: '2026-04-04', amountFen: 100_00 }),
    ).toThrow(/after the day it is recorded/);
  });

  it('does not count the late fee while a reconsideration runs, and keeps the fine payable', () => {
    const overdue = run(receivedOn(due()), { type: 'payment_deadline_passed', on: '2026-03-25' });
    const suspended = run(overdue, { type: 'review_started', on: '2026-03-27', kind: 'reconsideration' });
    expect(suspended).toMatchObject({ state: 'suspended', suspendedFrom: 'overdue' });
    expect(pendingObligations(suspended).payment).toBe(true);
    // Overdue 25 March .. 26 April is 33 days; 27 March .. 20 April (25 days) is paused: 8 days charged.
    const back = run(suspended, { type: 'review_concluded', on: '2026-04-20', outcome: 'upheld' });
    expect(back.state).toBe('overdue');
    const paid = run(back, { type: 'payment_received', on: '2026-04-26', amountFen: 100_00 + 24_00 });
    expect(paid.lateFeePaidFen).toBe(24_00);
  });

  it('lets a review lower the fine or revoke the decision, never raise it', () => {
    const suspended = run(receivedOn(due()), {
      type: 'review_started',
      on: '2026-03-10',
      kind: 'litigation',
    });
    expect(
      run(suspended, {
        type: 'review_concluded',
        on: '2026-03-20',
        outcome: 'varied',
        revisedFineFen: 60_00,
      }),
    ).toMatchObject({
      state: 'payment_due',
      fineFen: 60_00,
    });
    expect(() =>
      run(suspended, {
        type: 'review_concluded',
        on: '2026-03-20',
        outcome: 'varied',
        revisedFineFen: 120_00,
      }),
    ).toThrow(/may not raise the fine/);
    expect(run(suspended, { type: 'review_concluded', on: '2026-03-20', outcome: 'revoked' })).toMatchObject({
      state: 'closed',
      outcome: 'revoked',
    });
  });

  it('refers an overdue case for enforcement and closes it', () => {
    const overdue = run(receivedOn(due()), { type: 'payment_deadline_passed', on: '2026-03-25' });
    expect(
      run(overdue, { type: 'refer_for_enforcement', on: '2026-06-30' }, { type: 'close', on: '2026-09-01' }),
    ).toMatchObject({
      state: 'closed',
      outcome: 'enforced',
    });
  });
});
