import type { StaffPrincipal } from '../auth/principal.js';
import { formatYuan } from '../law/money.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, staffI18n, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { CreditItemRow, CreditStatus, RepairRow, RepairStatus } from './credit.repo.js';
import { CREDIT_DECIDE_ROLES, type StaffCreditPage } from './credit.service.js';

/** The credit pages: the public list (Chinese, as published) and the staff page with the repair reviews. */

function statusText({ t }: StaffI18n, s: CreditStatus): string {
  return {
    published: t('credit.status.published'),
    withdrawn: t('credit.status.withdrawn'),
    repaired: t('credit.status.repaired'),
  }[s];
}

function repairStatusText({ t }: StaffI18n, s: RepairStatus): string {
  return {
    pending: t('credit.repair.status.pending'),
    granted: t('credit.repair.status.granted'),
    refused: t('credit.repair.status.refused'),
  }[s];
}

export interface PublicCreditPage {
  today: string;
  items: CreditItemRow[];
  withdrawals: CreditItemRow[];
}

export function publicCreditView(data: PublicCreditPage, staff: StaffPrincipal | null): SafeHtml {
  const { t } = staffI18n('zh');
  return page(
    { title: t('credit.public.title'), staff, lang: 'zh-CN' },
    html`<h1>${t('credit.public.title')}</h1>
      <p class="muted">${t('credit.public.intro')}</p>
      <table id="credit-public">
        <thead>
          <tr>
            <th>${t('credit.decisionNumber')}</th>
            <th>${t('credit.party')}</th>
            <th>${t('credit.partyCode')}</th>
            <th>${t('credit.matter')}</th>
            <th>${t('credit.basis')}</th>
            <th>${t('credit.penalty')}</th>
            <th>${t('credit.decidedOn')}</th>
            <th>${t('credit.period')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.items.map(
            (i) =>
              html`<tr data-item="${i.id}" data-case-number="${i.caseNumber}">
                <td>${i.caseNumber}</td>
                <td class="party">${i.shownName}</td>
                <td class="code">${i.shownCode}</td>
                <td>${i.matter}</td>
                <td>${i.basis}</td>
                <td>${t('credit.fine', { amount: formatYuan(i.fineFen) })}</td>
                <td>${i.decidedOn}</td>
                <td>${i.publishFrom} – ${i.publishUntil}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${data.items.length === 0 ? html`<p id="credit-empty">${t('credit.public.empty')}</p>` : ''}
      <h2>${t('credit.public.withdrawals')}</h2>
      <table id="credit-withdrawals">
        <thead>
          <tr>
            <th>${t('credit.decisionNumber')}</th>
            <th>${t('credit.removedOn')}</th>
            <th>${t('credit.reason')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.withdrawals.map(
            (i) =>
              html`<tr data-item="${i.id}">
                <td>${i.caseNumber}</td>
                <td>${i.removedOn ?? ''}</td>
                <td>${i.removalReason ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${data.withdrawals.length === 0 ? html`<p class="muted">${t('credit.public.noWithdrawals')}</p>` : ''}`,
  );
}

export interface StaffCreditProps extends StaffCreditPage {
  csrfToken: string;
  /** a fresh key for each form of the page: a double submission is one application */
  requestKey: string;
}

export function staffCreditView(data: StaffCreditProps, staff: StaffPrincipal): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const mayApply = staff.role !== 'leader';
  const mayDecide = (CREDIT_DECIDE_ROLES as readonly string[]).includes(staff.role);
  return page(
    { title: t('credit.staff.title'), staff },
    html`<h1>${t('credit.staff.title')}</h1>
      <p class="muted">${t('credit.staff.intro')}</p>
      <p>
        <a id="credit-export-jsonl" href="/staff/credit/export?format=jsonl">${t('credit.export.jsonl')}</a> ·
        <a id="credit-export-csv" href="/staff/credit/export?format=csv">${t('credit.export.csv')}</a> ·
        <a href="/public/credit">${t('credit.public.link')}</a>
      </p>
      <h2>${t('credit.staff.repairs')}</h2>
      <table id="credit-repairs">
        <thead>
          <tr>
            <th>${t('credit.decisionNumber')}</th>
            <th>${t('credit.party')}</th>
            <th>${t('credit.repair.source')}</th>
            <th>${t('credit.reason')}</th>
            <th>${t('credit.status')}</th>
            <th>${t('credit.repair.removalDue')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${data.repairs.map((r) => repairRow(i18n, r, mayDecide, data.csrfToken))}
        </tbody>
      </table>
      <h2>${t('credit.staff.items')}</h2>
      <table id="credit-items">
        <thead>
          <tr>
            <th>${t('credit.decisionNumber')}</th>
            <th>${t('credit.party')}</th>
            <th>${t('credit.matter')}</th>
            <th>${t('credit.penalty')}</th>
            <th>${t('credit.period')}</th>
            <th>${t('credit.status')}</th>
            <th>${t('credit.reason')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${data.items.map(
            (i) =>
              html`<tr data-item="${i.id}" data-status="${i.status}" data-shown="${String(i.shown)}">
                <td>${i.caseNumber}</td>
                <td>${i.shownName}<br /><span class="muted">${i.shownCode}</span></td>
                <td>${i.matter}</td>
                <td>${t('credit.fine', { amount: formatYuan(i.fineFen) })}</td>
                <td>${i.publishFrom} – ${i.publishUntil}</td>
                <td>
                  ${statusText(i18n, i.status)}
                  ${i.late ? html`<span class="status bad" data-flag="late">${t('credit.flag.late')}</span>` : ''}
                </td>
                <td>
                  ${i.removalReason ?? ''}
                  ${i.removalDueOn ? html`<br /><span class="muted">${t('credit.dueOn', { date: i.removalDueOn })}</span>` : ''}
                </td>
                <td>
                  ${
                    mayApply && i.shown
                      ? html`<form method="post" action="/staff/credit/items/${i.id}/repair" class="repair-apply">
                        <input type="hidden" name="_csrf" value="${data.csrfToken}" />
                        <input type="hidden" name="requestKey" value="${data.requestKey}-${i.id.slice(0, 8)}" />
                        <textarea name="reason" required maxlength="2000" aria-label="${t('credit.reason')}"></textarea>
                        <button type="submit">${t('credit.repair.applyButton')}</button>
                      </form>`
                      : ''
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

function repairRow(
  i18n: StaffI18n,
  r: RepairRow & { late: boolean },
  mayDecide: boolean,
  csrf: string,
): SafeHtml {
  const { t } = i18n;
  return html`<tr data-repair="${r.id}" data-status="${r.status}">
    <td>${r.caseNumber}</td>
    <td>${r.shownName}</td>
    <td>${r.source === 'portal' ? t('credit.repair.fromPortal') : t('credit.repair.fromStaff')}</td>
    <td>${r.reason}${r.decisionNote ? html`<br /><span class="muted">${r.decisionNote}</span>` : ''}</td>
    <td>${repairStatusText(i18n, r.status)}</td>
    <td>
      ${r.removalDueOn ?? ''}
      ${r.late ? html`<span class="status bad" data-flag="late">${t('credit.flag.late')}</span>` : ''}
    </td>
    <td>
      ${
        mayDecide && r.status === 'pending'
          ? html`<form method="post" action="/staff/credit/repairs/${r.id}/decision" class="repair-decide">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <input name="note" maxlength="2000" placeholder="${t('credit.repair.note')}" />
            <button type="submit" name="decision" value="grant" class="grant">${t('credit.repair.grant')}</button>
            <button type="submit" name="decision" value="refuse" class="refuse">${t('credit.repair.refuse')}</button>
          </form>`
          : ''
      }
    </td>
  </tr>`;
}

export interface PortalCreditProps {
  token: string;
  item: CreditItemRow | null;
  pending: RepairRow | null;
  shown: boolean;
  requestKey: string;
  done: boolean;
}

/** The party's own item, from its notice link, with the repair application (Chinese: the public list's words). */
export function portalCreditView(p: PortalCreditProps): SafeHtml {
  const { t } = staffI18n('zh');
  const body = !p.item
    ? html`<p id="credit-none">${t('credit.portal.none')}</p>`
    : html`<p id="credit-item" data-status="${p.item.status}" data-shown="${String(p.shown)}">
          ${p.item.caseNumber} · ${p.item.matter} · ${p.item.publishFrom} – ${p.item.publishUntil} ·
          ${p.shown ? t('credit.status.published') : t('credit.portal.notShown')}
        </p>
        ${p.done || p.pending ? html`<p id="credit-pending" class="status warn">${t('credit.portal.pending')}</p>` : ''}
        ${
          p.shown && !p.pending
            ? html`<form method="post" action="/n/${p.token}/credit/repair" id="credit-repair-form">
              <input type="hidden" name="requestKey" value="${p.requestKey}" />
              <label>${t('credit.portal.reasonLabel')}<textarea name="reason" required maxlength="2000"></textarea></label>
              <button type="submit">${t('credit.repair.applyButton')}</button>
            </form>`
            : ''
        }`;
  return page(
    { title: t('credit.portal.title'), lang: 'zh-CN' },
    html`<h1>${t('credit.portal.title')}</h1>
      <p class="muted">${t('credit.portal.intro')}</p>
      ${body}
      <p><a href="/n/${p.token}">${t('credit.portal.back')}</a></p>`,
  );
}
