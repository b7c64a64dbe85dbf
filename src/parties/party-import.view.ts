import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { DistrictRow } from '../auth/district.repo.js';
import type { ImportReport } from './party-import.service.js';

/** The shop register import: the upload form, then the dry run's report with the import button, then the result. */

export function importFormView(
  districts: DistrictRow[],
  { staff, csrfToken }: { staff: StaffPrincipal; csrfToken: string },
): SafeHtml {
  const { t } = i18nFor(staff);
  return page(
    { title: t('parties.importTitle'), staff, csrfToken },
    html`<h1>${t('parties.importTitle')}</h1>
      <p>${t('parties.importIntro')}</p>
      <form
        method="post"
        action="/staff/parties/import"
        enctype="multipart/form-data"
        id="import-form"
        class="card"
      >
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        ${
          districts.length > 0
            ? html`<label
              >${t('parties.district')}
              <select name="districtId" id="import-district">
                ${districts.map((d) => html`<option value="${d.id}">${d.name}</option>`)}
              </select></label
            >`
            : ''
        }
        <label
          >${t('parties.importFile')}
          <input type="file" name="file" id="import-file" accept=".csv,text/csv" required
        /></label>
        <button type="submit" id="import-dry-run">${t('parties.dryRun')}</button>
      </form>
      <p><a href="/staff/parties">${t('common.back')}</a></p>`,
  );
}

export function importReportView(
  report: ImportReport & { csv: string },
  { staff, csrfToken }: { staff: StaffPrincipal; csrfToken: string },
): SafeHtml {
  const { t, label } = i18nFor(staff);
  const title = report.dryRun ? t('parties.dryRunTitle') : t('parties.importDoneTitle');
  return page(
    { title, staff, csrfToken },
    html`<h1>${title}</h1>
      <section id="import-report" data-dry-run="${report.dryRun ? 'yes' : 'no'}">
        <h2 id="accepted-count" data-count="${report.accepted.length}">
          ${
            report.dryRun
              ? t('parties.toImport', { count: report.accepted.length })
              : t('parties.imported', { count: report.accepted.length })
          }
        </h2>
        ${
          report.accepted.length === 0
            ? html`<p class="muted">${t('parties.nothingToImport')}</p>`
            : html`<div class="table-wrap">
              <table id="accepted-rows">
                <thead>
                  <tr>
                    <th>${t('parties.col.line')}</th>
                    <th>${t('parties.col.name')}</th>
                    <th>${t('parties.col.creditCode')}</th>
                    <th>${t('parties.col.address')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${report.accepted.map(
                    (r) =>
                      html`<tr data-line="${r.line}">
                        <td>${r.line}</td>
                        <td>${r.name}</td>
                        <td>${r.creditCode}</td>
                        <td>${r.address}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        }
        <h2 id="refused-count" data-count="${report.refused.length}">
          ${t('parties.refusedRows', { count: report.refused.length })}
        </h2>
        ${
          report.refused.length === 0
            ? ''
            : html`<div class="table-wrap">
              <table id="refused-rows">
                <thead>
                  <tr>
                    <th>${t('parties.col.line')}</th>
                    <th>${t('parties.col.name')}</th>
                    <th>${t('parties.col.creditCode')}</th>
                    <th>${t('parties.col.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${report.refused.map(
                    (r) =>
                      html`<tr data-line="${r.line}" data-reason="${r.reason}">
                        <td>${r.line}</td>
                        <td>${r.name}</td>
                        <td>${r.creditCode}</td>
                        <td>${label('importRefusal', r.reason)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
        }
      </section>
      ${
        report.dryRun && report.accepted.length > 0
          ? html`<form
            method="post"
            action="/staff/parties/import/confirm"
            enctype="multipart/form-data"
            id="import-confirm"
          >
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <input type="hidden" name="districtId" value="${report.districtId}" />
            <textarea name="csv" hidden>${report.csv}</textarea>
            <button type="submit" id="import-submit">${t('parties.confirmImport')}</button>
          </form>`
          : ''
      }
      <p><a href="/staff/parties" id="back-to-register">${t('parties.title')}</a></p>`,
  );
}
