import { DOCUMENT_TITLES, type DocumentKind } from '../documents/document-view.js';
import { RECEIPT_TITLE } from '../documents/receipt-document.js';
import { formatYuan } from '../law/money.js';
import type { NoticeRow } from '../notices/notice.repo.js';
import type { PaymentRow } from '../payments/payment.repo.js';
import type { StatementRow } from '../portal/portal.repo.js';
import type { EvidenceItemRow } from '../violations/violation.repo.js';
import { html, type SafeHtml } from '../web/html.js';
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

const EVIDENCE_KINDS: Record<string, string> = {
  original: '原始图像',
  annotated: '标注图像',
  crop: '局部放大图像',
  manifest: '证据清单',
};

const documentTitle = (kind: string) => DOCUMENT_TITLES[kind as DocumentKind] ?? kind;
const fmt = (d: Date | null) => formatShanghai(d, false);
const short = (sha256: string | null) => (sha256 ? `${sha256.slice(0, 16)}…` : '—');

export function caseFilesCard({ caseId, notices, evidence, statements, payments }: CaseFilesProps): SafeHtml {
  const base = `/staff/cases/${caseId}`;
  const documents = notices.filter((n) => n.document_key || n.html_key);
  const attachments = statements.flatMap((st) =>
    st.attachments.map((a, index) => ({ statement: st, attachment: a, index })),
  );
  const receipts = payments.filter((p) => p.receipt);
  return html`<section class="card" id="case-files">
    <h2>案卷材料</h2>
    <h3>执法文书</h3>
    ${documents.length === 0 ? html`<p class="muted">尚未制发文书。</p>` : ''}
    <ul id="case-documents">
      ${documents.map(
        (n) =>
          html`<li data-document="${n.kind}">
            ${documentTitle(n.kind)} · 制发日期 ${n.issued_on ?? '—'} ·
            ${n.document_key ? html`<a href="${base}/documents/${n.id}.pdf" target="_blank" rel="noopener">PDF</a>` : ''}
            ${n.html_key ? html`<a href="${base}/documents/${n.id}.html" target="_blank" rel="noopener">网页版</a>` : ''}
            <span class="muted">SHA-256 <code>${short(n.document_sha256)}</code></span>
          </li>`,
      )}
    </ul>
    <h3>证据</h3>
    ${evidence.length === 0 ? html`<p class="muted">无证据材料。</p>` : ''}
    <ul id="case-evidence">
      ${evidence.map(
        (e) =>
          html`<li data-evidence-kind="${e.kind}">
            <a href="/api/evidence/${e.id}" target="_blank" rel="noopener">${EVIDENCE_KINDS[e.kind] ?? e.kind}${e.label ? ` ${e.label}` : ''}</a>
            · 采集时间 ${fmt(e.captured_at)}
            <span class="muted">SHA-256 <code>${short(e.sha256)}</code></span>
          </li>`,
      )}
    </ul>
    <h3>陈述申辩附件</h3>
    ${attachments.length === 0 ? html`<p class="muted">无附件。</p>` : ''}
    <ul id="case-attachments">
      ${attachments.map(
        ({ statement, attachment, index }) =>
          html`<li data-attachment="${attachment.sha256}">
            <a href="${base}/statements/${statement.id}/attachments/${index}" download>${attachment.name}</a>
            · ${attachment.contentType} · ${attachment.size} 字节 · 提交于 ${fmt(statement.submitted_at)}
            <span class="muted">SHA-256 <code>${short(attachment.sha256)}</code></span>
          </li>`,
      )}
    </ul>
    <h3>缴款凭证</h3>
    ${receipts.length === 0 ? html`<p class="muted">暂无缴款凭证。</p>` : ''}
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
            · ${formatYuan(p.amount_fen)} · 缴款时间 ${fmt(p.paid_at)}
            ${p.receipt?.document ? html`<span class="muted">SHA-256 <code>${short(p.receipt.document.pdfSeal.documentSha256)}</code></span>` : ''}
          </li>`,
      )}
    </ul>
  </section>`;
}
