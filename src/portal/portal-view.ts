import type { CaseEventRow, CaseRow } from '../cases/case.repo.js';
import type { NoticeRow } from '../notices/notice.repo.js';
import type { PaymentRow } from '../payments/payment.repo.js';
import type { PaymentService } from '../payments/payment.service.js';
import type { ReceiptDocumentRecord } from '../payments/payment-receipt.js';
import type { PortalEvidenceRow, StatementRow } from './portal.repo.js';

/**
 * What the notice page shows of one notice on one day (PortalService builds it, KeptNoticeViews keeps it for a
 * moment, portal-notice.view.ts renders it). The same for every session on the notice: nothing in it says who is
 * looking, so a kept view and its rendering serve them all.
 */
export interface PortalNotice extends NoticeRow {
  sealValid: boolean | null;
}

export interface PortalView {
  notice: NoticeRow;
  caseRow: CaseRow | null;
  events: Pick<CaseEventRow, 'kind' | 'at'>[];
  notices: PortalNotice[];
  evidence: PortalEvidenceRow[];
  statements: StatementRow[];
  hearing: { requested_at: Date; status: string } | null;
  payments: PaymentRow[];
  /** the readable receipt of the paid payment, with the result of checking its PDF's seal */
  receipt: { payment: PaymentRow; document: ReceiptDocumentRecord; sealValid: boolean } | null;
  due: ReturnType<PaymentService['amountDue']>;
  today: string;
  can: { statement: boolean; hearing: boolean; waive: boolean; pay: boolean; payAvailable: boolean };
}
