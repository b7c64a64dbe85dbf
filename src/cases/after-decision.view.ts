import { addDays } from '../law/local-date.js';
import { html, type SafeHtml } from '../web/html.js';
import type { StaffI18n } from '../web/i18n/index.js';
import type { AfterDecisionFacts } from './case-pages.service.js';

/**
 * The staff case page's card for the steps after the decision (reconsideration, lawsuit and enforcement): the
 * periods the party has, any review under way, and for legal staff the form of the next step the case allows
 * (posted to after-decision-pages.routes.ts).
 */
export function afterDecisionCard(
  facts: AfterDecisionFacts,
  c: { id: string; status: string },
  reviewer: boolean,
  csrf: string,
  { t, label }: StaffI18n,
): SafeHtml {
  const { received, appeal, window, open, reviewed, demand, today } = facts;
  const hidden = html`<input type="hidden" name="_csrf" value="${csrf}" />`;
  // Field ids carry their form's prefix: an overdue case shows two forms with fields of the same name.
  const dateField = (form: string, name: string, label: string, value = '') =>
    html`<label for="${form}-${name}">${label}</label><input id="${form}-${name}" name="${name}" type="date" required value="${value}" />`;
  const textField = (form: string, name: string, label: string, value = '') =>
    html`<label for="${form}-${name}">${label}</label><input id="${form}-${name}" name="${name}" maxlength="200" value="${value}" required />`;
  return html`<section class="card" id="after-decision">
    <h2>${t('after.title')}</h2>
    <table>
      <tr>
        <th>${t('after.received')}</th>
        <td>${received}</td>
      </tr>
      <tr>
        <th>${t('after.reconsideration')}</th>
        <td>${t('after.until', { body: appeal.reconsiderationBody, on: addDays(received, appeal.reconsiderationDays) })}</td>
      </tr>
      <tr>
        <th>${t('after.lawsuit')}</th>
        <td>${t('after.until', { body: appeal.court, on: window.appealEndsOn })}</td>
      </tr>
      <tr>
        <th>${t('after.enforcement')}</th>
        <td id="referral-window" data-latest="${window.latestOn}">
          ${
            reviewed
              ? t('after.windowReviewed', { latest: window.latestOn })
              : t('after.window', { earliest: window.earliestOn, latest: window.latestOn })
          }
        </td>
      </tr>
      ${
        open
          ? html`<tr>
          <th>${t('after.underWay')}</th>
          <td id="open-review" data-kind="${open.kind}" data-from="${open.from}">
            ${t('after.openReview', { kind: label('pauseKind', open.kind), from: open.from })}
          </td>
        </tr>`
          : ''
      }
    </table>
    ${
      !reviewer
        ? ''
        : c.status === 'payment_due' || c.status === 'overdue'
          ? html`<form method="post" action="/staff/cases/${c.id}/review-started" id="review-started-form">
              ${hidden}
              <label for="rs-kind">${t('after.partyAsked')}</label
              ><select id="rs-kind" name="kind">
                <option value="reconsideration">${label('pauseKind', 'reconsideration')}</option>
                <option value="litigation">${label('pauseKind', 'litigation')}</option>
              </select>
              ${dateField('rs', 'on', t('after.filedOn'), today)}
              ${textField('rs', 'body', t('after.with'), appeal.reconsiderationBody)}
              ${textField('rs', 'reference', t('after.reference'))}
              <p><button type="submit" id="review-started-submit">${t('after.recordReview')}</button></p>
            </form>`
          : ''
    }
    ${
      reviewer && c.status === 'suspended'
        ? html`<form method="post" action="/staff/cases/${c.id}/review-concluded" id="review-concluded-form">
            ${hidden}
            <label for="rc-outcome">${t('after.outcome')}</label
            ><select id="rc-outcome" name="outcome">
              <option value="upheld">${t('after.upheld')}</option>
              <option value="varied">${t('after.varied')}</option>
              <option value="revoked">${t('after.revoked')}</option>
            </select>
            <label for="rc-fine">${t('after.variedFine')}</label
            ><input id="rc-fine" name="revisedFineYuan" inputmode="decimal" maxlength="12" />
            ${dateField('rc', 'on', t('after.tookEffect'), today)}
            ${textField('rc', 'reference', t('after.decisionRef'))}
            <p><button type="submit" id="review-concluded-submit">${t('after.recordOutcome')}</button></p>
          </form>`
        : ''
    }
    ${
      reviewer && c.status === 'overdue'
        ? html`<form method="post" action="/staff/cases/${c.id}/enforcement-referral" id="referral-form">
            ${hidden}
            <label for="rf-demandDeliveredOn">${t('after.demandDelivered')}</label
            ><input id="rf-demandDeliveredOn" name="demandDeliveredOn" type="date" value="${demand ?? ''}" />
            <p class="muted">
              ${demand ? t('after.demandRecorded') : t('after.demandMissing')}
            </p>
            ${dateField('rf', 'on', t('after.appliedOn'), today)} ${textField('rf', 'court', t('after.court'), appeal.court)}
            ${textField('rf', 'reference', t('after.applicationRef'))}
            ${reviewed ? textField('rf', 'finalDocumentRef', t('after.finalRef')) : ''}
            <p><button type="submit" id="referral-submit">${t('after.recordApplication')}</button></p>
          </form>`
        : ''
    }
    ${
      reviewer && c.status === 'enforcement_referred'
        ? html`<form method="post" action="/staff/cases/${c.id}/enforced" id="enforced-form">
            ${hidden} ${dateField('en', 'on', t('after.enforcedOn'), today)}
            ${textField('en', 'reference', t('after.courtRef'))}
            <p><button type="submit" id="enforced-submit">${t('after.closeEnforced')}</button></p>
          </form>`
        : ''
    }
  </section>`;
}
