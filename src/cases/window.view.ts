import { formatYuan } from '../law/money.js';
import { ATTACHMENT_LIMITS } from '../portal/attachment-check.js';
import { html, type SafeHtml } from '../web/html.js';
import type { StaffI18n } from '../web/i18n/index.js';
import type { WindowFacts } from './window-pages.service.js';

/**
 * The case page's card for what the party does at the designated window: a statement taken there, a fine paid
 * at the bank (from its receipt), and the day a document sent by post was signed for. Each form posts to
 * window-pages.routes.ts; a refusal is shown on the error page (#window-statement-error, #bank-payment-error,
 * #postal-receipt-error).
 */
export function windowCard(w: WindowFacts, csrfToken: string, { t, label }: StaffI18n): SafeHtml {
  const base = `/staff/cases/${w.caseId}`;
  return html`<section class="card" id="window">
    <h2>${t('window.title')}</h2>
    <p class="muted">${t('window.intro')}</p>
    ${
      w.statementUntil
        ? html`<form method="post" action="${base}/window-statement" enctype="multipart/form-data" id="window-statement-form">
            <h3>${t('window.statement')}</h3>
            <p class="muted">${t('window.statementUntil', { until: w.statementUntil })}</p>
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <label for="ws-body">${t('window.statementText')}</label
            ><textarea id="ws-body" name="body" required maxlength="${ATTACHMENT_LIMITS.maxStatementChars}"></textarea>
            <label for="ws-on">${t('window.takenOn')}</label
            ><input id="ws-on" name="takenOn" type="date" value="${w.today}" max="${w.today}" />
            <label for="ws-files">${t('window.attachments', { count: ATTACHMENT_LIMITS.maxFiles, mb: ATTACHMENT_LIMITS.maxBytes / 1024 / 1024 })}</label
            ><input id="ws-files" name="files" type="file" multiple accept="image/jpeg,image/png,application/pdf" />
            <p><button type="submit" id="window-statement-submit">${t('window.recordStatement')}</button></p>
          </form>`
        : ''
    }
    ${
      w.due
        ? html`<form method="post" action="${base}/bank-payment" id="bank-payment-form">
            <h3>${t('window.payment')}</h3>
            <p id="window-due" data-fen="${w.due.totalDueFen}">
              ${t('window.paymentDue', {
                today: w.today,
                fine: formatYuan(w.fineFen),
                fee: formatYuan(w.due.lateFeeFen),
                total: formatYuan(w.due.totalDueFen),
              })}
            </p>
            <p class="muted">${t('window.paymentRule')}</p>
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <label for="bp-channel">${t('window.channel')}</label
            ><select id="bp-channel" name="channel">
              <option value="bank">${t('window.channel.bank')}</option>
              <option value="counter">${t('window.channel.counter')}</option>
            </select>
            <label for="bp-receipt">${t('window.receiptNumber')}</label
            ><input id="bp-receipt" name="receiptNumber" required maxlength="64" />
            <label for="bp-on">${t('window.paidOn')}</label
            ><input id="bp-on" name="paidOn" type="date" required value="${w.today}" max="${w.today}" />
            <label for="bp-amount">${t('window.amount')}</label
            ><input id="bp-amount" name="amountYuan" required inputmode="decimal" maxlength="20" />
            <p><button type="submit" id="bank-payment-submit">${t('window.recordPayment')}</button></p>
          </form>`
        : ''
    }
    ${
      w.unreceived.length > 0
        ? html`<form method="post" action="${base}/postal-receipt" id="postal-receipt-form">
            <h3>${t('window.postal')}</h3>
            <p class="muted">${t('window.postalHint')}</p>
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <label for="pr-notice">${t('window.document')}</label
            ><select id="pr-notice" name="noticeId">
              ${w.unreceived.map(
                (n) =>
                  html`<option value="${n.id}">${label('documentKind', n.kind)} · ${n.issuedOn ?? ''}</option>`,
              )}
            </select>
            <label for="pr-on">${t('window.receivedOn')}</label
            ><input id="pr-on" name="receivedOn" type="date" required max="${w.today}" />
            <p><button type="submit" id="postal-receipt-submit">${t('window.recordPostal')}</button></p>
          </form>`
        : ''
    }
    <p><a href="${base}/delivery" id="delivery-announcement-link">${t('announce.link')}</a></p>
  </section>`;
}
