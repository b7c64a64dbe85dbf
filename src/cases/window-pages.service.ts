import type { StaffPrincipal } from '../auth/principal.js';
import { statementPeriodEnd } from '../law/deadlines.js';
import { compareDates, type LocalDate } from '../law/local-date.js';
import type { LateFee } from '../law/late-fee.js';
import { amountDueOn } from '../payments/amount-due.js';
import type { CaseDetail } from './case-detail.service.js';
import { STATEMENT_STATES, WINDOW_STAFF } from './statement-intake.service.js';

/** What the window card of the case page offers this member of staff today (null: nothing to record). */
export interface WindowFacts {
  caseId: string;
  today: LocalDate;
  /** the last day of the statement period, while a statement can be taken */
  statementUntil: LocalDate | null;
  /** the amount a payment made today must be, while the fine is payable */
  due: LateFee | null;
  fineFen: number;
  /** documents sent whose receipt is not yet recorded */
  unreceived: { id: string; kind: string; issuedOn: string | null }[];
}

export function windowFacts(detail: CaseDetail, staff: StaffPrincipal, today: LocalDate): WindowFacts | null {
  if (!(WINDOW_STAFF as readonly string[]).includes(staff.role)) return null;
  const c = detail.caseRow;
  const end = statementPeriodEnd(c.snapshot.deadlines);
  const statementUntil =
    STATEMENT_STATES.includes(c.status) && end !== undefined && compareDates(today, end) <= 0 ? end : null;
  const unreceived = detail.notices
    .filter((n) => n.case_id !== null && n.document_key && !n.acknowledged_at)
    .map((n) => ({ id: n.id, kind: n.kind, issuedOn: n.issued_on }));
  const due = amountDueOn(c, today);
  if (!statementUntil && !due && unreceived.length === 0) return null;
  return { caseId: c.id, today, statementUntil, due, fineFen: c.snapshot.fineFen, unreceived };
}
