import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { StatsReportRow } from './stats-report.repo.js';

export interface StatsReportsPage {
  reports: StatsReportRow[];
  /** the districts an admin may choose; empty for everyone else (their own district) */
  districts: { id: string; name: string }[];
  canGenerate: boolean;
  /** the month the form proposes: last month, `YYYY-MM` */
  lastMonth: string;
}

export function statsReportsView(data: StatsReportsPage, staff: StaffPrincipal, csrfToken: string): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('stats.reports.title'), staff, csrfToken },
    html`<h1>${t('stats.reports.title')}</h1>
      <p class="muted"><a href="/staff/stats">${t('stats.title')}</a> · ${t('stats.reports.schedule')}</p>
      ${
        data.canGenerate
          ? html`<form method="post" action="/staff/stats/reports" id="report-form" class="card">
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <div class="grid2">
              <div>
                <label for="month">${t('stats.reports.month')}</label>
                <input id="month" name="month" type="month" value="${data.lastMonth}" required />
              </div>
              ${
                data.districts.length > 0
                  ? html`<div>
                    <label for="district">${t('stats.filter.district')}</label>
                    <select id="district" name="district" required>
                      ${data.districts.map((d) => html`<option value="${d.id}">${d.name}</option>`)}
                    </select>
                  </div>`
                  : ''
              }
            </div>
            <button type="submit" id="report-generate">${t('stats.reports.generate')}</button>
          </form>`
          : ''
      }
      ${
        data.reports.length === 0
          ? html`<p class="muted" id="reports-empty">${t('stats.reports.none')}</p>`
          : html`<table id="reports">
            <thead>
              <tr>
                <th>${t('stats.filter.district')}</th>
                <th>${t('stats.reports.month')}</th>
                <th>${t('stats.reports.generatedAt')}</th>
                <th>${t('stats.reports.by')}</th>
                <th>SHA-256</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${data.reports.map(
                (r) =>
                  html`<tr data-report="${r.id}">
                    <td>${r.district_name}</td>
                    <td>${r.month.slice(0, 7)}</td>
                    <td>${i18n.time(r.generated_at)}</td>
                    <td>${r.trigger === 'schedule' ? t('stats.reports.bySchedule') : (r.generated_by_name ?? '—')}</td>
                    <td><code>${r.sha256.slice(0, 16)}…</code></td>
                    <td><a href="/staff/stats/reports/${r.id}/file">${t('stats.reports.download')}</a></td>
                  </tr>`,
              )}
            </tbody>
          </table>`
      }`,
  );
}
