import { describe, expect, it } from 'vitest';
import {
  notPursued,
  overdueCases,
  withdrawalsAndRejections,
  type CaseReviewLimits,
} from './case-review-rules.js';
import { supervisionStatus } from './supervision-status.js';

const limits: CaseReviewLimits = { violationDays: 3, taskHours: 48, caseOpenDays: 180 };
const now = new Date('2026-12-10T04:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('case-file review checks', () => {
  it('flags a violation left unreviewed past either limit, and not one within both', () => {
    const base = { districtId: 'pudong', violationType: 'street_stall', stage: 'legal', taskId: 't' };
    const found = notPursued(
      [
        { ...base, violationId: 'fresh', confirmedAt: hoursAgo(10), taskCreatedAt: hoursAgo(10) },
        { ...base, violationId: 'old', confirmedAt: hoursAgo(80), taskCreatedAt: hoursAgo(20) },
        { ...base, violationId: 'task', confirmedAt: hoursAgo(50), taskCreatedAt: hoursAgo(49) },
      ],
      now,
      limits,
    );
    expect(found.map((f) => [f.subjectId, f.detail.exceeded])).toEqual([
      ['old', ['violationDays']],
      ['task', ['taskHours']],
    ]);
    expect(found[0]!.key).toBe('not_pursued:old');
  });

  it('flags each missed agency deadline and a case open past the limit, not an at-risk one', () => {
    const c = {
      caseId: 'c1',
      caseNumber: '浦城管罚〔2026〕1号',
      districtId: 'pudong',
      status: 'awaiting_decision',
      filedOn: '2026-06-01',
      flags: [
        {
          key: 'decision' as const,
          dueOn: '2026-08-30',
          level: 'missed' as const,
          daysLeft: -102,
          message: '',
        },
        {
          key: 'delivery' as const,
          dueOn: '2026-12-20',
          level: 'at_risk' as const,
          daysLeft: 2,
          message: '',
        },
      ],
    };
    const found = overdueCases([c], '2026-12-10', limits);
    expect(found.map((f) => f.key)).toEqual(['overdue:c1:decision', 'overdue:c1:open']);
    expect(found[0]!.detail).toMatchObject({ deadline: 'decision', daysLate: 102 });
    expect(found[1]!.detail).toMatchObject({ openDays: 192 });
    expect(overdueCases([{ ...c, flags: [], filedOn: '2026-12-01' }], '2026-12-10', limits)).toEqual([]);
  });

  it('lists every withdrawal and rejection with its reason and who', () => {
    const found = withdrawalsAndRejections(
      [
        {
          withdrawalId: 'w1',
          caseId: 'c1',
          caseNumber: 'n',
          districtId: 'pudong',
          status: 'approved',
          reason: '当事人身份认定错误',
          proposedBy: 'a',
          proposedAt: now,
          decidedBy: 'b',
          decidedAt: now,
          decisionNote: null,
        },
      ],
      [
        {
          taskId: 't1',
          violationId: 'v1',
          districtId: 'pudong',
          stage: 'evidence',
          violationType: 'street_stall',
          reasonCode: 'blurred',
          reasonText: '画面模糊',
          decidedBy: 'c',
          decidedAt: now,
        },
      ],
    );
    expect(found.map((f) => [f.kind, f.key])).toEqual([
      ['withdrawal', 'withdrawal:w1'],
      ['rejection', 'rejection:t1'],
    ]);
    expect(found[0]!.detail).toMatchObject({ reason: '当事人身份认定错误', proposedBy: 'a', decidedBy: 'b' });
    expect(found[1]!.detail).toMatchObject({ reasonText: '画面模糊', decidedBy: 'c' });
  });

  it('tracks a supervision notice: open, overdue after its due date, answered', () => {
    expect(supervisionStatus({ answeredAt: null, dueOn: '2026-12-10' }, '2026-12-10')).toBe('open');
    expect(supervisionStatus({ answeredAt: null, dueOn: '2026-12-10' }, '2026-12-11')).toBe('overdue');
    expect(supervisionStatus({ answeredAt: now, dueOn: '2026-12-01' }, '2026-12-11')).toBe('answered');
  });
});
