import { appendAuditNow } from '../audit/audit.repo.js';
import { canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { listCaseNotices } from '../notices/notice.repo.js';
import { paymentsOfCase } from '../payments/payment.repo.js';
import { findStatement } from '../portal/portal.repo.js';
import { ForbiddenError, NotFoundError } from '../shared/errors.js';
import type { ReceiptDocumentService } from '../payments/receipt-document.service.js';
import type { BlobStore } from '../storage/blob-store.js';
import { attachmentDownload, type AttachmentDownload } from './attachment-download.js';
import { findCase, type CaseRow } from './case.repo.js';

/**
 * The files of a case as staff open them from the case page: the issued documents (sealed PDF and its HTML
 * twin), the attachments of the party's statements and the payment receipts. Each is served only to staff who
 * may act in the case's district (admins in every one), and each opening is an audit row (APL art. 47).
 */

export interface CaseDocumentFile {
  kind: string;
  bytes: Buffer;
}

export interface StatementAttachmentFile extends AttachmentDownload {
  sha256: string;
  bytes: Buffer;
}

export interface ReceiptFile {
  orderId: string;
  format: 'json' | 'pdf' | 'html';
  /** the sealed JSON text, or the bytes of the readable receipt */
  body: string | Buffer;
}

export class CaseFileService {
  constructor(
    private readonly pool: Pool,
    private readonly blobs: BlobStore,
    /** renders a receipt document not yet rendered; without it only the JSON receipt is served */
    private readonly receipts?: ReceiptDocumentService,
  ) {}

  async document(
    staff: StaffPrincipal,
    caseId: string,
    noticeId: string,
    format: 'pdf' | 'html',
  ): Promise<CaseDocumentFile> {
    const row = await this.caseInScope(staff, caseId);
    const notice = (await listCaseNotices(this.pool, caseId)).find((n) => n.id === noticeId);
    const key = format === 'pdf' ? notice?.document_key : notice?.html_key;
    if (!notice || !key) throw new NotFoundError('document');
    await this.audit(staff, row, 'case.document_view', 'notice', notice.id, {
      caseId,
      kind: notice.kind,
      format,
    });
    return { kind: notice.kind, bytes: await this.blobs.get(key) };
  }

  async attachment(
    staff: StaffPrincipal,
    caseId: string,
    statementId: string,
    index: number,
  ): Promise<StatementAttachmentFile> {
    const row = await this.caseInScope(staff, caseId);
    const statement = await findStatement(this.pool, statementId);
    const attachment = statement?.case_id === caseId ? statement.attachments[index] : undefined;
    if (!statement || !attachment) throw new NotFoundError('attachment');
    await this.audit(staff, row, 'statement.attachment_view', 'statement', statement.id, {
      caseId,
      index,
      sha256: attachment.sha256,
    });
    const bytes = await this.blobs.get(attachment.key);
    return {
      ...attachmentDownload(attachment.name, bytes, `attachment-${index + 1}`),
      sha256: attachment.sha256,
      bytes,
    };
  }

  /** The receipt as its sealed JSON (for machine checks) or as the readable sealed document (PDF or HTML). */
  async receipt(
    staff: StaffPrincipal,
    caseId: string,
    paymentId: string,
    format: ReceiptFile['format'] = 'json',
  ): Promise<ReceiptFile> {
    const row = await this.caseInScope(staff, caseId);
    const payment = (await paymentsOfCase(this.pool, caseId)).find((p) => p.id === paymentId);
    if (!payment?.receipt) throw new NotFoundError('receipt');
    const body = format === 'json' ? payment.receipt.text : await this.receipts?.file(payment, format);
    if (!body) throw new NotFoundError('receipt document');
    await this.audit(staff, row, 'payment.receipt_view', 'payment', payment.id, {
      caseId,
      ...(format === 'json' ? {} : { format }),
    });
    return { orderId: payment.gateway_order_id, format, body };
  }

  private async caseInScope(staff: StaffPrincipal, caseId: string): Promise<CaseRow> {
    const row = await findCase(this.pool, caseId);
    if (!row) throw new NotFoundError('case');
    if (!canActInDistrict(staff, row.district_id))
      throw new ForbiddenError('case belongs to another district');
    return row;
  }

  private async audit(
    staff: StaffPrincipal,
    row: CaseRow,
    action: string,
    subjectKind: string,
    subjectId: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await appendAuditNow(this.pool, {
      actorKind: 'staff',
      actorId: staff.id,
      action,
      subjectKind,
      subjectId,
      districtId: row.district_id,
      data,
    });
  }
}
