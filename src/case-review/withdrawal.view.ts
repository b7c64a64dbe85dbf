import { html, type SafeHtml } from '../web/html.js';
import type { StaffI18n } from '../web/i18n/index.js';
import { withdrawalStatusText } from './case-review-text.js';
import type { WithdrawalCard } from './withdrawal.service.js';

/** The case page's card of withdrawals (撤案): the record, the proposal form and the agency head's decision. */
export function withdrawalCard(
  caseId: string,
  card: WithdrawalCard,
  csrf: string,
  i18n: StaffI18n,
): SafeHtml {
  const { t } = i18n;
  if (card.withdrawals.length === 0 && !card.canPropose) return html``;
  return html`<section class="card" id="withdrawal">
    <h2>${t('caseReview.withdrawal.title')}</h2>
    <ul id="withdrawals">
      ${card.withdrawals.map(
        (w) =>
          html`<li data-withdrawal="${w.id}" data-status="${w.status}">
            <span class="status">${withdrawalStatusText(i18n, w.status)}</span>
            ${t('caseReview.withdrawal.proposed', { by: w.proposedByName, at: i18n.time(w.proposedAt, false) })}：${w.reason}
            ${
              w.decidedByName
                ? html`· ${t('caseReview.withdrawal.decided', { by: w.decidedByName, at: i18n.time(w.decidedAt, false) })}${
                    w.decisionNote ? html`：${w.decisionNote}` : ''
                  }`
                : ''
            }
          </li>`,
      )}
    </ul>
    ${
      card.canPropose
        ? html`<form method="post" action="/staff/cases/${caseId}/withdrawals" id="withdraw-form">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <label for="withdraw-reason">${t('caseReview.withdrawal.reason')}</label
          ><textarea id="withdraw-reason" name="reason" required maxlength="2000"></textarea>
          <p class="muted">${t('caseReview.withdrawal.needsApproval')}</p>
          <p><button type="submit" id="withdraw-propose" class="secondary">${t('caseReview.withdrawal.propose')}</button></p>
        </form>`
        : ''
    }
    ${
      card.canDecide && card.open
        ? html`<form method="post" action="/staff/cases/${caseId}/withdrawals/${card.open.id}/decision" id="withdraw-decide-form">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <label for="withdraw-note">${t('caseReview.withdrawal.note')}</label
          ><textarea id="withdraw-note" name="note" maxlength="2000"></textarea>
          <p>
            <button type="submit" name="decision" value="approve" id="withdraw-approve">
              ${t('caseReview.withdrawal.approve')}
            </button>
            <button type="submit" name="decision" value="refuse" id="withdraw-refuse" class="secondary">
              ${t('caseReview.withdrawal.refuse')}
            </button>
          </p>
        </form>`
        : ''
    }
  </section>`;
}
