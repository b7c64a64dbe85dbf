import { describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../law/calendar.js';
import { daysBetween } from '../law/local-date.js';
import { replyBackoffMs, replyFlag, replySmsText } from './complaint-reply.js';

/** Every day a working day: enough to see the flags move. */
const everyDay: WorkingCalendar = {
  coveredYears: [2026],
  isWorkingDay: () => true,
  addWorkingDays: (d) => d,
  onOrNextWorkingDay: (d) => d,
  workingDaysBetween: (from, to) => Math.max(0, daysBetween(from, to)),
  isProvisional: () => false,
};

describe('complaint replies', () => {
  it('waits 30 s doubling, at most an hour, between tries', () => {
    expect(replyBackoffMs(0)).toBe(30_000);
    expect(replyBackoffMs(1)).toBe(60_000);
    expect(replyBackoffMs(3)).toBe(240_000);
    expect(replyBackoffMs(20)).toBe(3_600_000);
  });

  it('flags an unsent reply due soon, then overdue; a sent one is sent', () => {
    const reply = { dueOn: '2026-12-10', sentAt: null };
    expect(replyFlag(reply, '2026-12-07', everyDay)).toBe('pending');
    expect(replyFlag(reply, '2026-12-09', everyDay)).toBe('due_soon');
    expect(replyFlag(reply, '2026-12-10', everyDay)).toBe('due_soon');
    expect(replyFlag(reply, '2026-12-11', everyDay)).toBe('overdue');
    expect(replyFlag({ ...reply, sentAt: new Date() }, '2026-12-11', everyDay)).toBe('sent');
  });

  it('texts the outcome, and for a transfer the department', () => {
    expect(replySmsText({ outcome: 'not_substantiated', note: '现场未发现' }, '2026-12-01')).toBe(
      '【城管执法】您于2026-12-01反映的问题，核查结果：不属实。现场未发现',
    );
    expect(
      replySmsText({ outcome: 'transferred', note: '', department: '区生态环境局' }, '2026-12-01'),
    ).toContain('已移送区生态环境局处理');
  });
});
