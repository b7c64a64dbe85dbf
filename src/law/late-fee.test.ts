import { describe, expect, it } from 'vitest';
import { capReachedOn, computeLateFee, DAYS_TO_CAP } from './late-fee.js';

const fine = 500_00;
const due = '2026-05-15';

describe('late fee (APL art. 72 (1))', () => {
  it('is nothing on or before the deadline', () => {
    expect(computeLateFee({ fineFen: fine, paymentDueOn: due, asOf: '2026-05-10' }).lateFeeFen).toBe(0);
    expect(computeLateFee({ fineFen: fine, paymentDueOn: due, asOf: due })).toMatchObject({
      lateFeeFen: 0,
      totalDueFen: fine,
    });
  });

  it('grows by 3 % of the fine each day after the deadline', () => {
    const fees = [1, 2, 10].map((days) =>
      computeLateFee({ fineFen: fine, paymentDueOn: due, asOf: addDays(due, days) }),
    );
    expect(fees.map((fee) => fee.lateFeeFen)).toEqual([15_00, 30_00, 150_00]);
    expect(fees[2]).toMatchObject({ chargeableDays: 10, capped: false, totalDueFen: 650_00 });
  });

  it('stops at the amount of the fine', () => {
    expect(DAYS_TO_CAP).toBe(34);
    const day33 = computeLateFee({ fineFen: fine, paymentDueOn: due, asOf: addDays(due, 33) });
    const day34 = computeLateFee({ fineFen: fine, paymentDueOn: due, asOf: addDays(due, 34) });
    const day400 = computeLateFee({ fineFen: fine, paymentDueOn: due, asOf: addDays(due, 400) });
    expect(day33).toMatchObject({ lateFeeFen: 495_00, capped: false });
    expect(day34).toMatchObject({ lateFeeFen: fine, capped: true, totalDueFen: 2 * fine });
    expect(day400.lateFeeFen).toBe(fine);
  });

  it('does not count the days of a reconsideration (APL art. 73 para. 3)', () => {
    // 16 May .. 4 June is 20 overdue days; 20..29 May (10 days, both ends included) are paused.
    const fee = computeLateFee({
      fineFen: fine,
      paymentDueOn: due,
      asOf: '2026-06-04',
      pauses: [{ kind: 'reconsideration', from: '2026-05-20', to: '2026-05-29' }],
    });
    expect(fee).toMatchObject({ chargeableDays: 10, pausedDays: 10, lateFeeFen: 150_00 });
  });

  it('counts overlapping pauses once and stops counting while a lawsuit is still open', () => {
    const fee = computeLateFee({
      fineFen: fine,
      paymentDueOn: due,
      asOf: '2026-06-30',
      pauses: [
        { kind: 'reconsideration', from: '2026-05-10', to: '2026-05-25' },
        { kind: 'litigation', from: '2026-05-20', to: '2026-05-31' },
        { kind: 'litigation', from: '2026-06-21' },
      ],
    });
    // Overdue 16 May..30 June = 46 days; paused 16..31 May (16) and 21..30 June (10).
    expect(fee).toMatchObject({ pausedDays: 26, chargeableDays: 20, lateFeeFen: 300_00 });
  });

  it('a pause before the deadline changes nothing', () => {
    const fee = computeLateFee({
      fineFen: fine,
      paymentDueOn: due,
      asOf: '2026-05-17',
      pauses: [{ kind: 'reconsideration', from: '2026-05-01', to: '2026-05-10' }],
    });
    expect(fee).toMatchObject({ chargeableDays: 2, pausedDays: 0 });
  });

  it('rounds down to whole fen, computed once over all days', () => {
    // 3 % of 333 fen is 9.99 fen a day: one day charges 9, three days 29 (29.97), not 3 × 9.
    expect(computeLateFee({ fineFen: 333, paymentDueOn: due, asOf: addDays(due, 1) }).lateFeeFen).toBe(9);
    expect(computeLateFee({ fineFen: 333, paymentDueOn: due, asOf: addDays(due, 3) }).lateFeeFen).toBe(29);
  });

  it('rejects a fine in fractions of a fen and a pause that ends before it starts', () => {
    expect(() => computeLateFee({ fineFen: 10.5, paymentDueOn: due, asOf: due })).toThrow(
      /fine must be a whole/,
    );
    expect(() =>
      computeLateFee({
        fineFen: fine,
        paymentDueOn: due,
        asOf: '2026-06-01',
        pauses: [{ kind: 'litigation', from: '2026-05-20', to: '2026-05-19' }],
      }),
    ).toThrow(/ends on 2026-05-19, before it starts/);
  });

  it('tells the day the fee stops growing, moved on by pauses', () => {
    expect(capReachedOn(due)).toBe(addDays(due, 34));
    expect(capReachedOn(due, [{ kind: 'reconsideration', from: '2026-05-20', to: '2026-05-29' }])).toBe(
      addDays(due, 44),
    );
    expect(capReachedOn(due, [{ kind: 'litigation', from: '2026-05-20' }])).toBeUndefined();
  });
});

function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}
