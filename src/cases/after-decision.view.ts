import { addDays } from '../law/local-date.js';
import { html, type SafeHtml } from '../web/html.js';
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
): SafeHtml {
  const { received, appeal, window, open, reviewed, demand, today } = facts;
  const hidden = html`<input type="hidden" name="_csrf" value="${csrf}" />`;
  // Field ids carry their form's prefix: an overdue case shows two forms with fields of the same name.
  const dateField = (form: string, name: string, label: string, value = '') =>
    html`<label for="${form}-${name}">${label}</label><input id="${form}-${name}" name="${name}" type="date" required value="${value}" />`;
  const textField = (form: string, name: string, label: string, value = '') =>
    html`<label for="${form}-${name}">${label}</label><input id="${form}-${name}" name="${name}" maxlength="200" value="${value}" required />`;
  return html`<section class="card" id="after-decision">
    <h2>Reconsideration, lawsuit and enforcement</h2>
    <table>
      <tr>
        <th>Decision received</th>
        <td>${received}</td>
      </tr>
      <tr>
        <th>Reconsideration</th>
        <td>${appeal.reconsiderationBody}, until ${addDays(received, appeal.reconsiderationDays)}</td>
      </tr>
      <tr>
        <th>Lawsuit</th>
        <td>${appeal.court}, until ${window.appealEndsOn}</td>
      </tr>
      <tr>
        <th>Court enforcement</th>
        <td id="referral-window">
          ${reviewed ? 'after the review, with its final document' : `from ${window.earliestOn}`}, at the latest
          ${window.latestOn}, and 10 days after a demand to pay reached the party
        </td>
      </tr>
      ${open ? html`<tr><th>Under way</th><td id="open-review">${open.kind} since ${open.from}: the late fee does not count</td></tr>` : ''}
    </table>
    ${
      !reviewer
        ? ''
        : c.status === 'payment_due' || c.status === 'overdue'
          ? html`<form method="post" action="/staff/cases/${c.id}/review-started" id="review-started-form">
              ${hidden}
              <label for="rs-kind">The party asked for</label
              ><select id="rs-kind" name="kind">
                <option value="reconsideration">administrative reconsideration</option>
                <option value="litigation">a lawsuit</option>
              </select>
              ${dateField('rs', 'on', 'Filed on', today)}
              ${textField('rs', 'body', 'With (body or court)', appeal.reconsiderationBody)}
              ${textField('rs', 'reference', 'Its case reference')}
              <p><button type="submit" id="review-started-submit">Record the review</button></p>
            </form>`
          : ''
    }
    ${
      reviewer && c.status === 'suspended'
        ? html`<form method="post" action="/staff/cases/${c.id}/review-concluded" id="review-concluded-form">
            ${hidden}
            <label for="rc-outcome">Outcome</label
            ><select id="rc-outcome" name="outcome">
              <option value="upheld">upheld</option>
              <option value="varied">varied (a lower fine)</option>
              <option value="revoked">revoked</option>
            </select>
            <label for="rc-fine">Fine after a varied decision, in yuan</label
            ><input id="rc-fine" name="revisedFineYuan" inputmode="decimal" maxlength="12" />
            ${dateField('rc', 'on', 'Took effect on', today)}
            ${textField('rc', 'reference', 'Decision or judgment reference')}
            <p><button type="submit" id="review-concluded-submit">Record the outcome</button></p>
          </form>`
        : ''
    }
    ${
      reviewer && c.status === 'overdue'
        ? html`<form method="post" action="/staff/cases/${c.id}/enforcement-referral" id="referral-form">
            ${hidden}
            <label for="rf-demandDeliveredOn">Demand to pay (催告书) reached the party on</label
            ><input id="rf-demandDeliveredOn" name="demandDeliveredOn" type="date" value="${demand ?? ''}" />
            <p class="muted">
              ${demand ? 'As recorded for the demand issued by the system.' : 'No delivery of the demand is recorded yet: record its postal receipt, or give the day here.'}
            </p>
            ${dateField('rf', 'on', 'Applied to the court on', today)} ${textField('rf', 'court', 'Court', appeal.court)}
            ${textField('rf', 'reference', 'Application reference')}
            ${reviewed ? textField('rf', 'finalDocumentRef', 'Final decision or judgment reference') : ''}
            <p><button type="submit" id="referral-submit">Record the application</button></p>
          </form>`
        : ''
    }
    ${
      reviewer && c.status === 'enforcement_referred'
        ? html`<form method="post" action="/staff/cases/${c.id}/enforced" id="enforced-form">
            ${hidden} ${dateField('en', 'on', 'Enforced on', today)}
            ${textField('en', 'reference', 'Court document reference')}
            <p><button type="submit" id="enforced-submit">Close as enforced</button></p>
          </form>`
        : ''
    }
  </section>`;
}
