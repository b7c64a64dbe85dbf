import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { CaseReviewPage } from './case-review-pages.service.js';
import { findingText, gradeText, kindText, noticeStatusText } from './case-review-text.js';
import type { FindingRow } from './case-review.repo.js';
import { gradeOf } from './scoring.js';
import type { SupervisionView } from './supervision.service.js';

/** /staff/case-review: the findings of the checks, the random samples and their results, supervision notices. */

function findingSubject(f: FindingRow): SafeHtml {
  const caseId = f.subjectKind === 'case' ? f.subjectId : f.detail.caseId;
  const caseNumber = f.detail.caseNumber;
  if (typeof caseId === 'string' && typeof caseNumber === 'string')
    return html`<a href="/staff/cases/${caseId}">${caseNumber}</a>`;
  const violationId = f.subjectKind === 'violation' ? f.subjectId : f.detail.violationId;
  return html`<code>${typeof violationId === 'string' ? violationId.slice(0, 8) : f.subjectId.slice(0, 8)}</code>`;
}

function findingsCard(
  p: CaseReviewPage,
  review: NonNullable<CaseReviewPage['review']>,
  csrf: string,
  i18n: StaffI18n,
) {
  const { t } = i18n;
  const l = review.limits;
  return html`<section class="card" id="findings-card">
    <h2>${t('caseReview.findings')}</h2>
    <p class="muted" id="limits">
      ${t('caseReview.limits', { days: l.violationDays, hours: l.taskHours, open: l.caseOpenDays })}
    </p>
    <p class="muted" id="last-run">
      ${review.lastRun ? t('caseReview.lastRun', { at: i18n.time(review.lastRun.at) }) : t('caseReview.neverRun')}
    </p>
    ${
      p.canAct
        ? html`<form method="post" action="/staff/case-review/run" id="run-form">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <button type="submit" id="run-checks">${t('caseReview.runNow')}</button>
        </form>`
        : ''
    }
    <p>
      <a href="/staff/case-review" id="findings-open">${t('caseReview.unresolved')}</a> ·
      <a href="/staff/case-review?resolved=1" id="findings-all">${t('caseReview.withResolved')}</a>
    </p>
    <table id="findings">
      <thead>
        <tr>
          <th>${t('caseReview.kind')}</th>
          <th>${t('caseReview.unit')}</th>
          <th>${t('caseReview.subject')}</th>
          <th>${t('caseReview.detail')}</th>
          <th>${t('caseReview.foundAt')}</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${
          review.findings.length === 0
            ? html`<tr>
              <td colspan="6" class="muted">${t('caseReview.noFindings')}</td>
            </tr>`
            : ''
        }
        ${review.findings.map(
          (f) =>
            html`<tr data-kind="${f.kind}" data-subject="${f.subjectId}" data-resolved="${f.resolvedAt ? 'yes' : 'no'}">
              <td>
                <span class="status ${f.kind === 'overdue' || f.kind === 'not_pursued' ? 'bad' : 'warn'}"
                  >${kindText(i18n, f.kind)}</span
                >
              </td>
              <td>${f.districtName}</td>
              <td>${findingSubject(f)}</td>
              <td>${findingText(i18n, f.kind, f.detail)}</td>
              <td>
                ${i18n.time(f.firstFoundAt, false)}${
                  f.resolvedAt
                    ? html` · ${t('caseReview.resolvedAt', { at: i18n.time(f.resolvedAt, false) })}`
                    : ''
                }
              </td>
              <td>
                ${
                  p.canAct
                    ? html`<a href="/staff/case-review/notices/new?sourceKind=finding&amp;sourceId=${f.id}"
                      >${t('caseReview.supervise')}</a
                    >`
                    : ''
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function samplesCard(
  p: CaseReviewPage,
  review: NonNullable<CaseReviewPage['review']>,
  csrf: string,
  i18n: StaffI18n,
) {
  const { t } = i18n;
  return html`<section class="card" id="samples-card">
    <h2>${t('caseReview.samples')}</h2>
    <p class="muted">${t('caseReview.drawIntro')}</p>
    ${
      p.canAct
        ? html`<form method="post" action="/staff/case-review/draws" id="draw-form">
          <input type="hidden" name="_csrf" value="${csrf}" />
          ${
            p.isAdmin
              ? html`<label for="draw-district">${t('caseReview.unit')}</label
                ><select id="draw-district" name="districtId">
                  ${review.districts.map((d) => html`<option value="${d.id}">${d.name}</option>`)}
                </select>`
              : ''
          }
          <label for="draw-from">${t('caseReview.closedFrom')}</label
          ><input id="draw-from" name="closedFrom" type="date" required value="${p.defaultFrom}" />
          <label for="draw-to">${t('caseReview.closedTo')}</label
          ><input id="draw-to" name="closedTo" type="date" required value="${p.today}" />
          <label for="draw-size">${t('caseReview.sampleSize')}</label
          ><input id="draw-size" name="size" type="number" min="1" max="100" required value="5" />
          <p><button type="submit" id="draw-submit">${t('caseReview.draw')}</button></p>
        </form>`
        : ''
    }
    <table id="draws">
      <thead>
        <tr>
          <th>${t('caseReview.drawnAt')}</th>
          <th>${t('caseReview.unit')}</th>
          <th>${t('caseReview.period')}</th>
          <th>${t('caseReview.sampleSize')}</th>
          <th>${t('caseReview.drawnBy')}</th>
        </tr>
      </thead>
      <tbody>
        ${review.draws.map(
          (d) =>
            html`<tr data-draw="${d.id}">
              <td><a href="/staff/case-review/draws/${d.id}">${i18n.time(d.drawnAt)}</a></td>
              <td>${d.districtName}</td>
              <td>${d.closedFrom} – ${d.closedTo}</td>
              <td>${d.sampleSize} / ${d.population.length}</td>
              <td>${d.drawnByName}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h3>${t('caseReview.results')}</h3>
    <div class="grid2">
      ${resultsTable('results-unit', t('caseReview.unit'), review.results.byUnit, i18n)}
      ${resultsTable('results-reviewer', t('caseReview.reviewer'), review.results.byReviewer, i18n)}
    </div>
  </section>`;
}

function resultsTable(
  id: string,
  heading: string,
  rows: { key: string; name: string; sheets: number; average: number; lowest: number; failed: number }[],
  i18n: StaffI18n,
) {
  const { t } = i18n;
  return html`<table id="${id}">
    <thead>
      <tr>
        <th>${heading}</th>
        <th>${t('caseReview.sheets')}</th>
        <th>${t('caseReview.average')}</th>
        <th>${t('caseReview.lowest')}</th>
        <th>${t('caseReview.failed')}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (r) =>
          html`<tr data-key="${r.key}">
            <td>${r.name}</td>
            <td>${r.sheets}</td>
            <td data-average="${r.average}">${r.average}（${gradeText(i18n, gradeOf(r.average))}）</td>
            <td>${r.lowest}</td>
            <td>${r.failed}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function noticesTable(notices: SupervisionView[], i18n: StaffI18n): SafeHtml {
  const { t } = i18n;
  return html`<table id="notices">
    <thead>
      <tr>
        <th>${t('caseReview.unit')}</th>
        <th>${t('caseReview.notice.request')}</th>
        <th>${t('caseReview.notice.dueOn')}</th>
        <th>${t('caseReview.notice.status')}</th>
        <th>${t('caseReview.notice.issuedBy')}</th>
      </tr>
    </thead>
    <tbody>
      ${
        notices.length === 0
          ? html`<tr>
            <td colspan="5" class="muted">${t('caseReview.notice.none')}</td>
          </tr>`
          : ''
      }
      ${notices.map(
        (n) =>
          html`<tr data-notice="${n.id}" data-status="${n.status}">
            <td>${n.districtName}</td>
            <td><a href="/staff/case-review/notices/${n.id}">${n.request}</a></td>
            <td>${n.dueOn}</td>
            <td>
              <span class="status ${n.status === 'overdue' ? 'bad' : n.status === 'answered' ? 'ok' : 'warn'}"
                >${noticeStatusText(i18n, n.status)}</span
              >
            </td>
            <td>${n.issuedByName} · ${i18n.time(n.issuedAt, false)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function caseReviewView(p: CaseReviewPage, staff: StaffPrincipal, csrf: string): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('caseReview.title'), staff },
    html`<h1>${t('caseReview.title')}</h1>
      <p class="muted">${t('caseReview.intro')}</p>
      ${p.review ? findingsCard(p, p.review, csrf, i18n) : ''} ${p.review ? samplesCard(p, p.review, csrf, i18n) : ''}
      <section class="card" id="notices-card">
        <h2>${t('caseReview.notices')}</h2>
        ${noticesTable(p.notices, i18n)}
      </section>`,
  );
}
