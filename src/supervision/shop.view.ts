import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import { levelBadge, nonSiteLine, outcomeText, stateText } from './inspection.view.js';
import { lowShareChart } from './low-share-chart.js';
import { RISK_LEVELS, type RiskLevel } from './risk-rules.js';
import type { ShopDetail, ShopListItem, ShopsPage } from './shop-pages.service.js';
import type { HistoryRow } from './shop-risk.repo.js';
import { daysBetween } from '../law/local-date.js';

/** The district's shops by risk level (red / yellow / green), and one shop with its history and inspections. */

function shopRows(i18n: StaffI18n, items: ShopListItem[], today: string): SafeHtml {
  const { t } = i18n;
  return html`${items.map(
    (s) =>
      html`<tr data-shop-id="${s.shopId}" data-level="${s.level}" data-state="${s.state}">
        <td><a href="/staff/shops/${s.shopId}">${s.name}</a></td>
        <td>${s.address}</td>
        <td>${levelBadge(i18n, s.level)}</td>
        <td>
          ${s.dueOn}
          ${
            s.state === 'overdue'
              ? html`<span class="status bad">${stateText(i18n, s.state, daysBetween(s.dueOn, today))}</span>`
              : ''
          }
        </td>
        <td>
          ${
            s.lastInspectedAt
              ? html`${i18n.time(s.lastInspectedAt)} ${s.lastOutcome ? outcomeText(i18n, s.lastOutcome) : ''}`
              : t('inspections.never')
          }
        </td>
      </tr>`,
  )}`;
}

function shopTable(
  i18n: StaffI18n,
  id: string,
  items: ShopListItem[],
  today: string,
  empty: string,
): SafeHtml {
  const { t } = i18n;
  return html`<table id="${id}">
    <thead>
      <tr>
        <th>${t('shops.name')}</th>
        <th>${t('shops.address')}</th>
        <th>${t('shops.level')}</th>
        <th>${t('shops.dueOn')}</th>
        <th>${t('shops.lastInspection')}</th>
      </tr>
    </thead>
    <tbody>
      ${items.length === 0 ? html`<tr><td colspan="5" class="muted">${empty}</td></tr>` : shopRows(i18n, items, today)}
    </tbody>
  </table>`;
}

function query(filter: ShopsPage['filter'], over: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  const all = { level: filter.level, q: filter.q, overdue: filter.overdue ? 'true' : undefined, ...over };
  for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function shopsPageView(data: ShopsPage, staff: StaffPrincipal): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const levelText = (l: RiskLevel) =>
    ({ high: t('shops.level.high'), medium: t('shops.level.medium'), low: t('shops.level.low') })[l];
  const { list, filter } = data;
  return page(
    { title: t('shops.title'), staff },
    html`<h1>${t('shops.title')}</h1>
      <p class="muted">${t('shops.intro')}</p>
      <div class="risk-counts" id="risk-counts">
        ${RISK_LEVELS.map(
          (l) =>
            html`<a class="risk-count risk-${l}" data-level="${l}" data-n="${data.counts[l]}" href="/staff/shops?level=${l}"
              >${levelBadge(i18n, l)} <strong>${t('shops.count', { n: data.counts[l] })}</strong></a
            >`,
        )}
        <span class="risk-count"
          >${t('shops.total')}: <strong id="shops-total">${data.total}</strong> · ${t('shops.lowShare')}:
          <strong id="low-share">${data.lowSharePercent === null ? t('common.dash') : `${data.lowSharePercent}%`}</strong></span
        >
      </div>
      <h2>${t('shops.lowShareChart')}</h2>
      ${lowShareChart(data.series, t('shops.lowShareChart'))}
      <h2 id="overdue-title">${t('shops.overdueTitle', { n: data.overdue.total })}</h2>
      ${shopTable(i18n, 'overdue-shops', data.overdue.items, data.today, t('shops.overdueNone'))}
      <h2>${t('shops.list')}</h2>
      <form method="get" action="/staff/shops" class="toolbar" id="shop-filter">
        <select name="level" aria-label="${t('shops.level')}">
          <option value="">${t('shops.level.all')}</option>
          ${RISK_LEVELS.map(
            (l) =>
              html`<option value="${l}" ${filter.level === l ? html`selected` : ''}>${levelText(l)}</option>`,
          )}
        </select>
        <input type="search" name="q" value="${filter.q ?? ''}" maxlength="100" placeholder="${t('shops.filter.q')}" />
        <label><input type="checkbox" name="overdue" value="true" ${filter.overdue ? html`checked` : ''} />
          ${t('shops.filter.overdue')}</label>
        <button type="submit">${t('shops.filter.apply')}</button>
      </form>
      ${shopTable(i18n, 'shops', list.items, data.today, t('shops.none'))}
      <p class="muted" id="shops-page">
        ${t('shops.pageOf', { page: list.page, pages: list.pages, total: list.total })}
        ${list.page > 1 ? html` <a href="/staff/shops${query(filter, { page: list.page - 1 })}">${t('shops.prev')}</a>` : ''}
        ${
          list.page < list.pages
            ? html` <a href="/staff/shops${query(filter, { page: list.page + 1 })}">${t('shops.next')}</a>`
            : ''
        }
      </p>`,
  );
}

function historyBy(i18n: StaffI18n, h: HistoryRow): string {
  if (h.source === 'initial')
    return `${i18n.t('shops.history.initial')} · ${i18n.t('shops.history.rule', { version: h.rules_version ?? '' })}`;
  if (h.source === 'manual') return i18n.t('shops.history.staff', { name: h.changed_by_name ?? '' });
  return i18n.t('shops.history.rule', { version: h.rules_version ?? '' });
}

const RULE_KEYS = {
  'raise.caseFiled': 'shops.rule.raise.caseFiled',
  'raise.complaintSubstantiated': 'shops.rule.raise.complaintSubstantiated',
  'raise.problemFound': 'shops.rule.raise.problemFound',
  'lower.cleanCycles': 'shops.rule.lower.cleanCycles',
} as const;

function historyReason(i18n: StaffI18n, h: HistoryRow): string {
  if (h.source !== 'rule' || !h.rule)
    return h.source === 'initial' ? i18n.t('shops.history.initial') : h.reason;
  const key = RULE_KEYS[h.rule as keyof typeof RULE_KEYS];
  return key ? i18n.t(key) : h.rule;
}

export function shopDetailView(data: ShopDetail, staff: StaffPrincipal, csrfToken: string): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const { shop } = data;
  return page(
    { title: `${t('shops.detailTitle')} · ${shop.name}`, staff, csrfToken },
    html`<h1>${shop.name} ${levelBadge(i18n, shop.level)}</h1>
      <dl id="shop-facts">
        <dt>${t('shops.address')}</dt>
        <dd>${shop.address}</dd>
        <dt>${t('shops.creditCode')}</dt>
        <dd>${shop.idNumber ?? t('common.dash')}</dd>
        <dt>${t('shops.levelSince')}</dt>
        <dd>${i18n.time(shop.levelSince)}</dd>
        <dt>${t('shops.rulesVersion')}</dt>
        <dd>${shop.rulesVersion}</dd>
        <dt>${t('shops.dueOn')}</dt>
        <dd id="shop-due" data-state="${shop.state}">
          ${shop.dueOn} ${stateText(i18n, shop.state, Math.max(0, daysBetween(shop.dueOn, data.today)))}
        </dd>
      </dl>
      ${nonSiteLine(i18n, data.camera)}
      ${
        data.mayInspect
          ? html`<p><a class="button" href="/staff/inspections/${shop.shopId}/new">${t('shops.recordInspection')}</a></p>`
          : ''
      }
      ${
        data.maySetLevel
          ? html`<form method="post" action="/staff/shops/${shop.shopId}/level" id="set-level">
            <h2>${t('shops.setLevel')}</h2>
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <select name="level" aria-label="${t('shops.level')}">
              ${RISK_LEVELS.filter((l) => l !== shop.level).map(
                (l) =>
                  html`<option value="${l}">
                    ${{ high: t('shops.level.high'), medium: t('shops.level.medium'), low: t('shops.level.low') }[l]}
                  </option>`,
              )}
            </select>
            <label>${t('shops.setLevel.reason')} <input name="reason" required maxlength="500" /></label>
            <button type="submit">${t('shops.setLevel.submit')}</button>
          </form>`
          : ''
      }
      <h2>${t('shops.history')}</h2>
      <table id="level-history">
        <thead>
          <tr>
            <th>${t('shops.history.at')}</th>
            <th>${t('shops.history.change')}</th>
            <th>${t('shops.history.by')}</th>
            <th>${t('shops.history.reason')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.history.map(
            (h) =>
              html`<tr data-source="${h.source}" data-to="${h.to_level}">
                <td>${i18n.time(h.at)}</td>
                <td>${h.from_level ? html`${levelBadge(i18n, h.from_level)} → ` : ''}${levelBadge(i18n, h.to_level)}</td>
                <td>${historyBy(i18n, h)}</td>
                <td>${historyReason(i18n, h)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h2>${t('shops.inspections')}</h2>
      <table id="shop-inspections">
        <thead>
          <tr>
            <th>${t('shops.history.at')}</th>
            <th>${t('shops.level')}</th>
            <th>${t('inspections.outcome')}</th>
            <th>${t('shops.inspector')}</th>
            <th>${t('shops.photos')}</th>
          </tr>
        </thead>
        <tbody>
          ${
            data.inspections.length === 0
              ? html`<tr><td colspan="5" class="muted">${t('shops.inspections.none')}</td></tr>`
              : data.inspections.map(
                  (i) =>
                    html`<tr data-outcome="${i.outcome}">
                    <td>${i18n.time(i.inspected_at)}</td>
                    <td>${levelBadge(i18n, i.level)}</td>
                    <td>${outcomeText(i18n, i.outcome)}${i.notes ? html`<br /><span class="muted">${i.notes}</span>` : ''}</td>
                    <td>${i.inspector}</td>
                    <td>
                      ${i.photos.map(
                        (p) =>
                          html`<a href="/staff/inspections/photos/${p.id}" data-sha256="${p.sha256}">${p.name}</a> `,
                      )}
                    </td>
                  </tr>`,
                )
          }
        </tbody>
      </table>`,
  );
}
