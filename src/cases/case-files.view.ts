import { DOCUMENT_TITLES, type DocumentKind } from '../documents/document-view.js';
import { RECEIPT_TITLE } from '../documents/receipt-document.js';
import { formatYuan } from '../law/money.js';
import type { NoticeRow } from '../notices/notice.repo.js';
import type { PaymentRow } from '../payments/payment.repo.js';
import type { StatementRow } from '../portal/portal.repo.js';
import type { EvidenceItemRow } from '../violations/violation.repo.js';
import { html, type SafeHtml } from '../web/html.js';
import type { StaffI18n } from '../web/i18n/index.js';
import { formatShanghai } from '../web/time-format.js';

/**
 * The card of the staff case page that links every file of the case: each issued document (sealed PDF and
 * HTML), each evidence item, each attachment of the party's statements, each payment receipt. Every link opens
 * through a route that checks the district and logs the opening.
 */

export interface CaseFilesProps {
  caseId: string;
  notices: NoticeRow[];
  evidence: EvidenceItemRow[];
  statements: StatementRow[];
  payments: PaymentRow[];
}

const documentTitle = (kind: string) => DOCUMENT_TITLES[kind as DocumentKind] ?? kind;
const fmt = (d: Date | null) => formatShanghai(d, false);
const short = (sha256: string | null) => (sha256 ? `${sha256.slice(0, 16)}…` : '—');

export function caseFilesCard(
  { caseId, notices, evidence, statements, payments }: CaseFilesProps,
  { t, label }: StaffI18n,
): SafeHtml {
  const base = `/staff/cases/${caseId}`;
  const documents = notices.filter((n) => n.document_key || n.html_key);
  const attachments = statements.flatMap((st) =>
    st.attachments.map((a, index) => ({ statement: st, attachment: a, index })),
  );
  const receipts = payments.filter((p) => p.receipt);
  return html`<section class="card" id="case-files">
    <h2>${t('caseFiles.title')}</h2>
    <h3>${t('caseFiles.documents')}</h3>
    ${documents.length === 0 ? html`<p class="muted">${t('caseFiles.noDocuments')}</p>` : ''}
    <ul id="case-documents">
      ${documents.map(
        (n) =>
          html`<li data-document="${n.kind}">
            ${documentTitle(n.kind)} · ${t('caseFiles.issuedOn')} ${n.issued_on ?? '—'} ·
            ${n.document_key ? html`<a href="${base}/documents/${n.id}.pdf" target="_blank" rel="noopener">PDF</a>` : ''}
            ${n.html_key ? html`<a href="${base}/documents/${n.id}.html" target="_blank" rel="noopener">${t('caseFiles.htmlVersion')}</a>` : ''}
            <span class="muted">SHA-256 <code>${short(n.document_sha256)}</code></span>
          </li>`,
      )}
    </ul>
    <h3>${t('caseFiles.evidence')}</h3>
    ${evidence.length === 0 ? html`<p class="muted">${t('caseFiles.noEvidence')}</p>` : ''}
    <ul id="case-evidence">
      ${evidence.map(
        (e) =>
          html`<li data-evidence-kind="${e.kind}">
            <a href="/api/evidence/${e.id}" target="_blank" rel="noopener">${label('evidenceKind', e.kind)}${e.label ? ` ${e.label}` : ''}</a>
            · ${t('caseFiles.capturedAt')} ${fmt(e.captured_at)}
            <span class="muted">SHA-256 <code>${short(e.sha256)}</code></span>
          </li>`,
      )}
    </ul>
    <h3>${t('caseFiles.attachments')}</h3>
    ${attachments.length === 0 ? html`<p class="muted">${t('caseFiles.noAttachments')}</p>` : ''}
    <ul id="case-attachments">
      ${attachments.map(
        ({ statement, attachment, index }) =>
          html`<li data-attachment="${attachment.sha256}">
            <a href="${base}/statements/${statement.id}/attachments/${index}" download>${attachment.name}</a>
            · ${attachment.contentType} · ${t('caseFiles.bytes', { size: String(attachment.size) })} · ${t('caseFiles.submittedAt')} ${fmt(statement.submitted_at)}
            <span class="muted">SHA-256 <code>${short(attachment.sha256)}</code></span>
          </li>`,
      )}
    </ul>
    <h3>${t('caseFiles.receipts')}</h3>
    ${receipts.length === 0 ? html`<p class="muted">${t('caseFiles.noReceipts')}</p>` : ''}
    <ul id="case-receipts">
      ${receipts.map(
        (p) =>
          html`<li data-receipt="${p.gateway_order_id}">
            ${
              p.receipt?.document
                ? html`<a class="receipt-document" href="${base}/receipts/${p.id}.html" target="_blank" rel="noopener"
                      >${RECEIPT_TITLE} ${p.gateway_order_id}</a
                    >
                    <a href="${base}/receipts/${p.id}.pdf" target="_blank" rel="noopener">PDF</a>`
                : html`${RECEIPT_TITLE} ${p.gateway_order_id}`
            }
            <a href="${base}/receipts/${p.id}" download>JSON</a>
            · ${formatYuan(p.amount_fen)} · ${t('caseFiles.paidAt')} ${fmt(p.paid_at)}
            ${p.receipt?.document ? html`<span class="muted">SHA-256 <code>${short(p.receipt.document.pdfSeal.documentSha256)}</code></span>` : ''}
          </li>`,
      )}
    </ul>
  </section>`;
}
