import { formatYuan } from '../law/money.js';
import { DOCUMENT_TITLES } from '../documents/document-view.js';
import { html, type SafeHtml } from '../web/html.js';
import { ATTACHMENT_LIMITS } from './attachment-check.js';
import { deadlineLabel, fill, PORTAL_TEXT, stateLabel, stepLabel, type PortalLang } from './portal-i18n.js';
import type { PaymentRow } from '../payments/payment.repo.js';
import type { PortalView } from './portal-view.js';

/**
 * The notice page: the case, its documents and evidence, deadlines and steps, and the forms for what the party
 * may do now. Server-rendered, script-free forms that work on any phone browser. Every value is escaped by
 * `html`; the sealed documents are served as their own files, never inlined here.
 */

// One formatter for the process: building an Intl.DateTimeFormat costs about 0.1 ms, once per date shown it
// was most of the page's own CPU time under a crowd.
const SHANGHAI_MINUTE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'short',
  timeStyle: 'short',
});
const at = (d: Date | null | undefined): string => (d ? SHANGHAI_MINUTE.format(d) : '—');

export interface NoticePageProps {
  lang: PortalLang;
  token: string;
  view: PortalView;
  /** the step the party has just completed (?done=…) */
  done?: string;
}

export function noticePage({ lang, token, view, done }: NoticePageProps): SafeHtml {
  const t = PORTAL_TEXT[lang];
  const base = `/n/${token}`;
  const c = view.caseRow;
  const snapshot = c?.snapshot;
  const paid = view.payments.find((p) => p.status === 'paid');
  const flash = done ? (done === 'payment' && paid ? t.paymentDone : t.done) : undefined;
  // Once paid, the receipt is what the party came for: it is the first thing on the page.
  return html`${flash ? html`<p class="notice" id="portal-flash" role="status">${flash}</p>` : ''}
    ${paid ? receiptSection(lang, base, view, paid) : ''}
    <section class="card">
      ${
        c
          ? html`<p class="muted">${t.caseNumber}</p>
              <h1 id="case-number">${c.case_number}</h1>
              <p>
                ${t.status}:
                <strong id="case-status" data-state="${c.status}">${stateLabel(c.status, lang)}</strong>
              </p>`
          : html`<h1>${t.noticeWarning}</h1>`
      }
    </section>

    <section class="card" id="documents">
      <h2>${t.documents}</h2>
      ${view.notices.map(
        (n) =>
          html`<div class="portal-doc" data-notice-id="${n.id}" data-kind="${n.kind}">
            <h3>${n.kind === 'warning' ? t.noticeWarning : DOCUMENT_TITLES[n.kind]}</h3>
            ${
              n.document_key
                ? html`<p>
                      <a
                        class="button secondary"
                        href="${base}/documents/${n.id}.html"
                        target="_blank"
                        rel="noopener"
                        >${t.viewDocument}</a
                      >
                      <a class="button secondary" href="${base}/documents/${n.id}.pdf">${t.downloadPdf}</a>
                    </p>
                    <p class="muted">
                      <span
                        class="status ${n.sealValid ? 'verified' : 'failed'}"
                        data-seal="${n.sealValid ? 'valid' : 'invalid'}"
                        >${n.sealValid ? t.sealVerified : t.sealFailed}</span
                      >
                      SHA-256 <code>${n.document_sha256}</code> ·
                      <a href="/portal/seal-public-key">${t.sealKey}</a>
                    </p>`
                : ''
            }
            ${
              n.acknowledged_at
                ? html`<p class="muted" data-acknowledged="true">
                    ${fill(t.acknowledged, { at: at(n.acknowledged_at) })}
                  </p>`
                : html`<form method="post" action="${base}/acknowledge">
                    <input type="hidden" name="noticeId" value="${n.id}" />
                    <button type="submit" id="ack-${n.kind}">${t.acknowledge}</button>
                    <span class="muted">${t.acknowledgeNote}</span>
                  </form>`
            }
          </div>`,
      )}
    </section>

    <section class="card" id="evidence">
      <h2>${t.evidence}</h2>
      <div class="portal-evidence">
        ${view.evidence.map(
          (e) =>
            html`<figure data-evidence-id="${e.id}">
              <img src="${base}/evidence/${e.id}" alt="${e.label}" data-sha256="${e.sha256}" loading="lazy" />
              <figcaption>
                ${e.label} · ${at(e.captured_at)}<br /><span class="muted">${t.originalHash}</span>
                <code class="hash">${e.sha256}</code> <br /><a href="${base}/evidence/${e.id}?original=1"
                  >${t.downloadOriginal}</a
                >
              </figcaption>
            </figure>`,
        )}
      </div>
    </section>

    ${
      snapshot
        ? html`<section class="card" id="deadlines">
            <h2>${t.deadlines}</h2>
            <p class="muted" id="deadlines-from">
              ${fill(t.deadlinesFrom, {
                advance: snapshot.steps.advance_notice_received ?? t.notReceivedYet,
                decision: snapshot.steps.decision_received ?? t.notReceivedYet,
              })}
            </p>
            <table>
              ${Object.entries(snapshot.deadlines).map(
                ([key, due]) =>
                  html`<tr data-deadline="${key}">
                    <th>${deadlineLabel(key, lang)}</th>
                    <td>${due}</td>
                  </tr>`,
              )}
            </table>
            <h2>${t.steps}</h2>
            <ol id="steps">
              ${view.events.map((e) => html`<li data-step="${e.kind}">${at(e.at)} · ${stepLabel(e.kind, lang)}</li>`)}
            </ol>
          </section>`
        : ''
    }
    ${c && (view.can.statement || view.statements.length > 0) ? statementSection(lang, base, view) : ''}
    ${
      view.can.hearing || view.hearing
        ? html`<section class="card" id="hearing">
            <h2>${t.hearing}</h2>
            ${
              view.hearing
                ? html`<p>${fill(t.hearingRequested, { at: at(view.hearing.requested_at) })}</p>`
                : html`<p>${t.hearingIntro}</p>
                    <form method="post" action="${base}/hearing">
                      <button type="submit" id="request-hearing">${t.requestHearing}</button>
                    </form>`
            }
          </section>`
        : ''
    }
    ${
      view.can.waive
        ? html`<section class="card">
            <form method="post" action="${base}/waive">
              <button type="submit" class="secondary" id="waive">${t.waive}</button>
              <span class="muted">${t.waiveNote}</span>
            </form>
          </section>`
        : ''
    }
    ${paid ? '' : paymentSection(lang, base, view)}`;
}

function statementSection(lang: PortalLang, base: string, view: PortalView): SafeHtml {
  const t = PORTAL_TEXT[lang];
  return html`<section class="card" id="statement">
    <h2>${t.statement}</h2>
    ${
      view.statements.length > 0
        ? html`<h3>${t.statementsSubmitted}</h3>
            <ul id="statements">
              ${view.statements.map(
                (s) =>
                  html`<li data-review="${s.review_status}">
                    ${at(s.submitted_at)} ·
                    ${s.body.slice(0, 200)}${s.attachments.length ? ` (${s.attachments.map((a) => a.name).join(', ')})` : ''}
                  </li>`,
              )}
            </ul>`
        : ''
    }
    ${
      view.can.statement
        ? html`<p>${t.statementIntro}</p>
            <form method="post" action="${base}/statement" enctype="multipart/form-data">
              <label for="statement-body">${t.statementBody}</label>
              <textarea
                id="statement-body"
                name="body"
                rows="5"
                maxlength="${ATTACHMENT_LIMITS.maxStatementChars}"
                required
              ></textarea>
              <label for="statement-files"
                >${fill(t.attachments, { count: ATTACHMENT_LIMITS.maxFiles, size: ATTACHMENT_LIMITS.maxBytes / 1024 / 1024 })}</label
              >
              <input
                id="statement-files"
                name="files"
                type="file"
                multiple
                accept="image/jpeg,image/png,application/pdf"
              />
              <p><button type="submit" id="submit-statement">${t.submitStatement}</button></p>
            </form>`
        : ''
    }
  </section>`;
}

function receiptSection(lang: PortalLang, base: string, view: PortalView, paid: PaymentRow): SafeHtml {
  const t = PORTAL_TEXT[lang];
  const receipt = view.receipt?.payment.id === paid.id ? view.receipt : null;
  const ebill = receipt?.document.ebill;
  return html`<section class="card" id="payment">
    <h2>${t.receipt}</h2>
    <p id="paid-amount">${t.paid}: <strong>${formatYuan(paid.amount_fen)}</strong> · ${at(paid.paid_at)}</p>
    ${
      receipt
        ? html`<p>
              <a class="button" id="receipt-link" href="${base}/receipt.html" target="_blank" rel="noopener"
                >${t.viewReceipt}</a
              >
              <a class="button secondary" id="receipt-pdf-link" href="${base}/receipt.pdf">${t.downloadPdf}</a>
            </p>
            <p class="muted">
              <span
                class="status ${receipt.sealValid ? 'verified' : 'failed'}"
                data-seal="${receipt.sealValid ? 'valid' : 'invalid'}"
                >${receipt.sealValid ? t.sealVerified : t.sealFailed}</span
              >
              SHA-256 <code>${receipt.document.pdfSeal.documentSha256}</code>
            </p>
            <p class="muted" id="receipt-ebill">
              ${t.ebill}:
              ${ebill ? html`<span data-ebill="${ebill.billNumber}">${ebill.billNumber}</span>` : t.ebillPending}
            </p>`
        : ''
    }
    <p class="muted">
      <a id="receipt-json-link" href="${base}/receipt.json">${t.receiptJson}</a> ·
      ${t.sealKey}: <a href="/portal/seal-public-key">PEM</a> · SHA-256
      <code>${paid.receipt?.seal.documentSha256 ?? ''}</code>
    </p>
  </section>`;
}

function paymentSection(lang: PortalLang, base: string, view: PortalView): SafeHtml {
  const t = PORTAL_TEXT[lang];
  if (!view.can.pay || !view.due) return html``;
  return html`<section class="card" id="payment">
    <h2>${t.payment}</h2>
    <table>
      <tr>
        <th>${t.fine}</th>
        <td>${formatYuan(view.caseRow!.snapshot.fineFen)}</td>
      </tr>
      <tr>
        <th>${t.lateFee}</th>
        <td id="late-fee">${formatYuan(view.due.lateFeeFen)}</td>
      </tr>
      <tr>
        <th>${t.totalDue}</th>
        <td>
          <strong id="amount-due" data-fen="${view.due.totalDueFen}"
            >${formatYuan(view.due.totalDueFen)}</strong
          >${fill(t.asOf, { date: view.today })}
        </td>
      </tr>
    </table>
    ${
      view.can.payAvailable
        ? html`<form method="post" action="${base}/pay">
            <p><button type="submit" id="pay-button">${t.pay}</button></p>
          </form>`
        : html`<p class="muted">${t.paymentUnavailable}</p>`
    }
  </section>`;
}
