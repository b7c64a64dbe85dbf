import { compareDates, type LocalDate } from '../law/local-date.js';

/** A supervision notice (督办) is answered once the unit answered; before that, overdue after its due date. */
export type SupervisionStatus = 'open' | 'answered' | 'overdue';
export const SUPERVISION_STATUSES: readonly SupervisionStatus[] = ['open', 'answered', 'overdue'];

export function supervisionStatus(
  notice: { answeredAt: Date | null; dueOn: LocalDate },
  today: LocalDate,
): SupervisionStatus {
  if (notice.answeredAt) return 'answered';
  return compareDates(today, notice.dueOn) > 0 ? 'overdue' : 'open';
}
