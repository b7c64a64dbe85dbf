import type { StaffPrincipal } from '../auth/principal.js';
import { RULE_NAMES } from '../rules/rule-events.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type MessageKey, type StaffI18n } from '../web/i18n/index.js';
import { VIOLATION_TYPE_CODES } from '../web/i18n/labels.js';
import { page } from '../web/layout.js';
import { chartSvg } from './charts.js';
import type { StatsPageData } from './stats-pages.service.js';
import { STATS_DIMENSIONS } from './stats-query.js';
import { formatCell } from './stats-cells.js';
import { STATS_TAB_NAMES, type StatsTable } from './stats-tables.js';

/** The query string of the page's filters, with some parameters replaced (links keep the filters). */
export function statsQueryString(
  data: Pick<StatsPageData, 'filters' | 'tab' | 'by'>,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams();
  const all: Record<string, string> = { ...data.filters, tab: data.tab, by: data.by, ...extra };
  for (const [key, value] of Object.entries(all)) if (value !== '') params.set(key, value);
  return params.toString();
}

function tabs(data: StatsPageData, i18n: StaffI18n): SafeHtml {
  return html`<nav class="stats-tabs" id="stats-tabs">
    ${STATS_TAB_NAMES.map((tab) =>
      tab === data.tab
        ? html`<strong data-tab="${tab}">${i18n.t(`stats.tab.${tab}` as MessageKey as never)}</strong> `
        : html`<a data-tab="${tab}" href="/staff/stats?${statsQueryString(data, { tab })}"
              >${i18n.t(`stats.tab.${tab}` as MessageKey as never)}</a
            > `,
    )}
    | <a href="/staff/stats/reports" id="stats-reports-link">${i18n.t('stats.reports.title')}</a>
  </nav>`;
}

function option(value: string, text: string, selected: string): SafeHtml {
  return html`<option value="${value}" ${value === selected ? html`selected` : ''}>${text}</option>`;
}

function filterForm(data: StatsPageData, staff: StaffPrincipal, i18n: StaffI18n): SafeHtml {
  const { t } = i18n;
  const f = data.filters;
  return html`<form method="get" action="/staff/stats" id="stats-filter" class="card">
    <input type="hidden" name="tab" value="${data.tab}" />
    <div class="grid2">
      <div>
        <label for="from">${t('stats.filter.from')}</label>
        <input id="from" name="from" type="date" value="${f.from}" required />
      </div>
      <div>
        <label for="to">${t('stats.filter.to')}</label>
        <input id="to" name="to" type="date" value="${f.to}" required />
      </div>
      <div>
        <label for="district">${t('stats.filter.district')}</label>
        <select id="district" name="district">
          ${staff.role === 'admin' ? option('', t('stats.filter.allDistricts'), f.district) : ''}
          ${data.choices.districts.map((d) => option(d.id, d.name, f.district))}
        </select>
      </div>
      <div>
        <label for="camera">${t('stats.filter.camera')}</label>
        <select id="camera" name="camera">
          ${option('', t('stats.filter.all'), f.camera)}
          ${data.choices.cameras.map((c) => option(c.id, c.name, f.camera))}
        </select>
      </div>
      <div>
        <label for="rule">${t('stats.filter.rule')}</label>
        <select id="rule" name="rule">
          ${option('', t('stats.filter.all'), f.rule)}
          ${RULE_NAMES.map((r) => option(r, i18n.label('rule', r), f.rule))}
        </select>
      </div>
      <div>
        <label for="type">${t('stats.filter.type')}</label>
        <select id="type" name="type">
          ${option('', t('stats.filter.all'), f.type)}
          ${VIOLATION_TYPE_CODES.map((c) => option(c, i18n.label('violationType', c), f.type))}
        </select>
      </div>
      ${
        data.tab === 'pipeline'
          ? html`<div>
            <label for="by">${t('stats.filter.by')}</label>
            <select id="by" name="by">
              ${STATS_DIMENSIONS.map((d) => option(d, t(`stats.by.${d}` as MessageKey as never), data.by))}
            </select>
          </div>`
          : html`<input type="hidden" name="by" value="${data.by}" />`
      }
    </div>
    <button type="submit" id="stats-apply">${t('stats.filter.apply')}</button>
  </form>`;
}

function tableView(table: StatsTable, data: StatsPageData, i18n: StaffI18n): SafeHtml {
  const qs = statsQueryString(data, { table: table.id });
  return html`<section class="card stats-table" data-table="${table.id}">
    <h2>${table.title}</h2>
    <p class="muted">
      ${i18n.t('stats.export')}:
      <a class="export-csv" href="/staff/stats/export.csv?${qs}">CSV</a> ·
      <a class="export-xlsx" href="/staff/stats/export.xlsx?${qs}">XLSX</a>
    </p>
    ${
      table.rows.length === 0
        ? html`<p class="muted">${i18n.t('stats.empty')}</p>`
        : html`<table id="stats-${table.id}">
          <thead>
            <tr>
              ${table.columns.map((c) => html`<th>${c.heading}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${table.rows.map(
              (row) =>
                html`<tr>
                  ${row.map((cell, i) => html`<td>${formatCell(table.columns[i]!.kind, cell)}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}

export function statsView(data: StatsPageData, staff: StaffPrincipal): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const detail = statsQueryString(data, { table: 'violations' });
  return page(
    { title: t('stats.title'), staff },
    html`<h1>${t('stats.title')}</h1>
      <p class="muted" id="stats-period">
        ${t('stats.period', { from: data.query.from, to: data.query.to })}
        ${t('stats.beijingTime')}
      </p>
      ${tabs(data, i18n)} ${filterForm(data, staff, i18n)}
      <section class="stats-charts" id="stats-charts">${data.section.charts.map((c) => chartSvg(c))}</section>
      ${data.section.tables.map((table) => tableView(table, data, i18n))}
      <p class="muted">
        ${t('stats.exportDetail')}:
        <a id="export-violations-csv" href="/staff/stats/export.csv?${detail}">CSV</a> ·
        <a id="export-violations-xlsx" href="/staff/stats/export.xlsx?${detail}">XLSX</a>
      </p>`,
  );
}
