import type { WorkingCalendar } from '../law/calendar.js';
import type { LocalDate } from '../law/local-date.js';
import { t } from '../web/i18n/index.js';
import { DUE_SOON_WORKING_DAYS } from './complaint-rules.js';

/*
 * The sender of complaint replies, pure parts: when to try again, the SMS text, and the reply's flag on the
 * complaints page (Shanghai enforcement regulation art. 26: the reporter is told within five working days, a
 * transfer within three; the reply row carries the deadline of its outcome).
 */

/** Wait before the next try: 30 s doubling, at most an hour. */
export function replyBackoffMs(attemptsSoFar: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attemptsSoFar), 3_600_000);
}

/** The SMS to the reporter of a staff-taken complaint: the outcome, and for a transfer the department. */
export function replySmsText(payload: Record<string, unknown>, receivedOn: LocalDate): string {
  const outcome = String(payload.outcome);
  const department = typeof payload.department === 'string' ? payload.department : '';
  const outcomeText =
    outcome === 'transferred'
      ? t('zh', 'complaints.sms.transferred', { department })
      : outcome === 'substantiated'
        ? t('zh', 'complaints.status.substantiated')
        : t('zh', 'complaints.status.not_substantiated');
  const note = typeof payload.note === 'string' ? payload.note : '';
  return t('zh', 'complaints.sms.text', { date: receivedOn, outcome: outcomeText, note }).slice(0, 500);
}

export type ReplyFlag = 'sent' | 'pending' | 'due_soon' | 'overdue';

/** A reply sent is `sent`; unsent, it is overdue after its day and due soon with one working day left or fewer. */
export function replyFlag(
  reply: { dueOn: LocalDate; sentAt: Date | null },
  today: LocalDate,
  calendar: WorkingCalendar,
): ReplyFlag {
  if (reply.sentAt) return 'sent';
  if (today > reply.dueOn) return 'overdue';
  return calendar.workingDaysBetween(today, reply.dueOn) <= DUE_SOON_WORKING_DAYS ? 'due_soon' : 'pending';
}
