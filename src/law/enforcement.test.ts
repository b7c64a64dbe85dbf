import { describe, expect, it } from 'vitest';
import {
  addMonths,
  enforcementFlag,
  enforcementWindow,
  referralRefusal,
  type ReferralFacts,
} from './enforcement.js';

const appeal = { reconsiderationDays: 60, litigationMonths: 6 };

describe('addMonths', () => {
  it('keeps the day of the month, or takes the month’s last day when it has none', () => {
    expect(addMonths('2026-03-15', 6)).toBe('2026-09-15');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });
});

describe('enforcementWindow', () => {
  it('opens the day after the longer appeal period, ten days after the demand at the earliest, and closes three months later', () => {
    expect(enforcementWindow('2026-03-15', appeal, '2026-09-01')).toEqual({
      appealEndsOn: '2026-09-15',
      earliestOn: '2026-09-16',
      latestOn: '2026-12-15',
    });
    // A demand delivered late pushes the first possible day to the eleventh day after it.
    expect(enforcementWindow('2026-03-15', appeal, '2026-09-14').earliestOn).toBe('2026-09-25');
  });

  it('takes the reconsideration period when it is the longer one', () => {
    expect(
      enforcementWindow('2026-03-15', { reconsiderationDays: 200, litigationMonths: 6 }, null),
    ).toMatchObject({ appealEndsOn: '2026-10-01', earliestOn: '2026-10-02' });
  });
});

describe('referralRefusal', () => {
  const facts = (over: Partial<ReferralFacts>): ReferralFacts => ({
    on: '2026-10-01',
    today: '2026-10-01',
    decisionReceivedOn: '2026-03-15',
    demandDeliveredOn: '2026-09-01',
    appeal,
    reviewed: false,
    ...over,
  });

  it('allows an application in the window, ten days after the demand', () => {
    expect(referralRefusal(facts({}))).toBeNull();
    expect(referralRefusal(facts({ on: '2026-09-16', today: '2026-09-20' }))).toBeNull();
    expect(referralRefusal(facts({ on: '2026-12-15', today: '2026-12-15' }))).toBeNull();
  });

  it('refuses while the party can still ask for review, after the three months, or too soon after the demand', () => {
    expect(referralRefusal(facts({ on: '2026-09-15' }))).toMatch(
      /may still ask for reconsideration or sue until 2026-09-15: the court may be asked from 2026-09-16/,
    );
    expect(referralRefusal(facts({ on: '2026-12-16', today: '2026-12-20' }))).toMatch(
      /three months to apply to the court ended on 2026-12-15/,
    );
    expect(referralRefusal(facts({ demandDeliveredOn: '2026-09-25' }))).toMatch(
      /reached the party on 2026-09-25: the court may be asked from 2026-10-06/,
    );
    expect(referralRefusal(facts({ on: '2026-10-02' }))).toMatch(/in the future/);
    expect(referralRefusal(facts({ demandDeliveredOn: '2026-03-01' }))).toMatch(/cannot come before/);
    expect(referralRefusal(facts({ demandDeliveredOn: '2026-10-05', today: '2026-10-10' }))).toMatch(
      /delivered after the application date/,
    );
  });

  it('after a concluded review, asks for the final document instead of the appeal periods', () => {
    const reviewed = facts({
      on: '2026-06-20',
      today: '2026-06-20',
      demandDeliveredOn: '2026-06-01',
      reviewed: true,
    });
    expect(referralRefusal(reviewed)).toMatch(/give the reference of the decision or judgment/);
    expect(referralRefusal({ ...reviewed, finalDocumentRef: '浦府复决〔2026〕12号' })).toBeNull();
    expect(referralRefusal({ ...reviewed, demandDeliveredOn: '2026-06-15', finalDocumentRef: 'x' })).toMatch(
      /may be asked from 2026-06-26/,
    );
  });
});

describe('enforcementFlag', () => {
  const overdue = { state: 'overdue', decisionReceivedOn: '2026-03-15', reviewed: false };

  it('stays quiet until thirty days before the window closes, then warns, then says it closed', () => {
    expect(enforcementFlag(overdue, appeal, '2026-09-20')).toBeNull();
    expect(enforcementFlag(overdue, appeal, '2026-11-15')).toMatchObject({
      key: 'enforcement',
      level: 'at_risk',
      dueOn: '2026-12-15',
      daysLeft: 30,
    });
    expect(enforcementFlag(overdue, appeal, '2026-12-15')).toMatchObject({ level: 'at_risk', daysLeft: 0 });
    expect(enforcementFlag(overdue, appeal, '2026-12-16')).toMatchObject({
      level: 'missed',
      daysLeft: -1,
      message: expect.stringMatching(/ended on 2026-12-15/),
    });
  });

  it('raises nothing for a case not overdue or reviewed', () => {
    expect(enforcementFlag({ ...overdue, state: 'payment_due' }, appeal, '2026-12-16')).toBeNull();
    expect(enforcementFlag({ ...overdue, state: 'suspended' }, appeal, '2026-12-16')).toBeNull();
    expect(enforcementFlag({ ...overdue, reviewed: true }, appeal, '2026-12-16')).toBeNull();
    expect(enforcementFlag({ ...overdue, decisionReceivedOn: undefined }, appeal, '2026-12-16')).toBeNull();
  });
});
