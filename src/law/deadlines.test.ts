import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from './calendar.js';
import { CATALOGUE_DIR, loadCatalogueFile, loadWorkingCalendar } from './law-config.adapter.js';
import type { ProcedureSettings } from './catalogue.js';
import { deadlineFlags, planDeadlines, statementPeriodEnd } from './deadlines.js';

let calendar: WorkingCalendar;
let procedure: ProcedureSettings;
beforeAll(async () => {
  calendar = await loadWorkingCalendar();
  procedure = (await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json'))).procedure;
});

describe('deadline plan', () => {
  it('gives the decision 90 natural days from filing, unmoved by holidays', () => {
    const plan = planDeadlines({ filedOn: '2026-09-01' }, calendar, procedure);
    expect(plan.decision).toMatchObject({ dueOn: '2026-11-30', owner: 'agency', counting: 'natural' });
    expect(plan.decision.basis).toBe('《中华人民共和国行政处罚法》第六十条');
    expect(plan.statement).toBeUndefined();
  });

  it('counts the statement and hearing windows in working days across National Day', () => {
    // Received Tue 29 Sep: Wed 30 (1), Oct 1-7 rest, Thu 8 (2), Fri 9 (3), Sat 10 make-up (4), Mon 12 (5).
    const plan = planDeadlines(
      { filedOn: '2026-09-01', advanceNoticeReceivedOn: '2026-09-29', hearingRight: true },
      calendar,
      procedure,
    );
    expect(plan.statement?.dueOn).toBe('2026-10-12');
    expect(plan.hearing_request).toMatchObject({ dueOn: '2026-10-12', counting: 'working', owner: 'party' });
    expect(statementPeriodEnd({ statement: '2026-10-12', hearing_request: '2026-10-14' })).toBe('2026-10-14');
  });

  it('offers no hearing window without a hearing right', () => {
    const plan = planDeadlines(
      { filedOn: '2026-09-01', advanceNoticeReceivedOn: '2026-09-29' },
      calendar,
      procedure,
    );
    expect(plan.hearing_request).toBeUndefined();
  });

  it('gives delivery 7 working days from the decision', () => {
    const plan = planDeadlines({ filedOn: '2026-09-01', decidedOn: '2026-10-20' }, calendar, procedure);
    expect(plan.delivery?.dueOn).toBe('2026-10-29');
  });

  it('gives payment 15 days from receipt, moved past a holiday when it ends on one', () => {
    const onHoliday = planDeadlines(
      { filedOn: '2026-09-01', decisionReceivedOn: '2026-09-16' },
      calendar,
      procedure,
    );
    expect(onHoliday.payment?.dueOn).toBe('2026-10-08');
    const onWorkday = planDeadlines(
      { filedOn: '2026-09-01', decisionReceivedOn: '2026-10-05' },
      calendar,
      procedure,
    );
    expect(onWorkday.payment?.dueOn).toBe('2026-10-20');
  });

  it('marks deadlines counted in a provisional calendar year', () => {
    const plan = planDeadlines(
      { filedOn: '2027-02-01', advanceNoticeReceivedOn: '2027-03-01' },
      calendar,
      procedure,
    );
    expect(plan.statement?.provisional).toBe(true);
    expect(
      planDeadlines({ filedOn: '2026-02-01', decidedOn: '2026-03-02' }, calendar, procedure).delivery
        ?.provisional,
    ).toBe(false);
  });
});

describe('at-risk flags', () => {
  const open = { decision: true, delivery: false, payment: false };

  it('flags a decision close to its 90-day limit, and one past it', () => {
    const plan = planDeadlines({ filedOn: '2026-09-01' }, calendar, procedure);
    expect(deadlineFlags(plan, open, '2026-10-01', calendar, procedure)).toEqual([]);
    expect(deadlineFlags(plan, open, '2026-11-20', calendar, procedure)).toMatchObject([
      { key: 'decision', level: 'at_risk', daysLeft: 10 },
    ]);
    expect(deadlineFlags(plan, open, '2026-12-01', calendar, procedure)).toMatchObject([
      { key: 'decision', level: 'missed', daysLeft: -1 },
    ]);
    expect(deadlineFlags(plan, { ...open, decision: false }, '2026-12-01', calendar, procedure)).toEqual([]);
  });

  it('flags an undelivered decision in working days', () => {
    const plan = planDeadlines({ filedOn: '2026-09-01', decidedOn: '2026-10-20' }, calendar, procedure);
    const pending = { decision: false, delivery: true, payment: false };
    expect(deadlineFlags(plan, pending, '2026-10-22', calendar, procedure)).toEqual([]);
    expect(deadlineFlags(plan, pending, '2026-10-27', calendar, procedure)).toMatchObject([
      { key: 'delivery', level: 'at_risk', daysLeft: 2 },
    ]);
    expect(deadlineFlags(plan, pending, '2026-10-30', calendar, procedure)).toMatchObject([
      { key: 'delivery', level: 'missed', daysLeft: -1 },
    ]);
  });

  it('reminds the party before the payment deadline', () => {
    const plan = planDeadlines(
      { filedOn: '2026-09-01', decisionReceivedOn: '2026-10-05' },
      calendar,
      procedure,
    );
    const pending = { decision: false, delivery: false, payment: true };
    expect(deadlineFlags(plan, pending, '2026-10-18', calendar, procedure)).toMatchObject([
      { key: 'payment', level: 'reminder', daysLeft: 2 },
    ]);
    expect(deadlineFlags(plan, pending, '2026-10-10', calendar, procedure)).toEqual([]);
  });
});
