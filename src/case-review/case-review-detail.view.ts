import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { NoticeFormPage } from './case-review-pages.service.js';
import type { SheetRow } from './case-review-sample.repo.js';
import type { DrawDetail } from './case-review-sample.service.js';
import { gradeText, noticeStatusText } from './case-review-text.js';
import { gradeOf, MAX_TOTAL, SCORING_ITEMS, type ScoringItem } from './scoring.js';
import type { SupervisionView } from './supervision.service.js';

/** The detail pages of case-file review: a draw, a scoring sheet, a supervision notice and its form. */

const back = (i18n: StaffI18n) =>
  html`<p><a href="/staff/case-review" id="back-to-review">${i18n.t('caseReview.back')}</a></p>`;

function itemText({ t }: StaffI18n, key: ScoringItem): string {
  const texts = {
    facts: t('caseReview.item.facts'),
    evidence: t('caseReview.item.evidence'),
    procedure: t('caseReview.item.procedure'),
    law: t('caseReview.item.law'),
    documents: t('caseReview.item.documents'),
  };
  return texts[key];
}

export function drawView({ draw, sheets, verified }: DrawDetail, staff: StaffPrincipal): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('caseReview.drawTitle'), staff },
    html`${back(i18n)}
      <h1>${t('caseReview.drawTitle')}</h1>
      <section class="card" id="draw">
        <table>
          <tr>
            <th>${t('caseReview.unit')}</th>
            <td>${draw.districtName}</td>
          </tr>
          <tr>
            <th>${t('caseReview.period')}</th>
            <td>${draw.closedFrom} – ${draw.closedTo}</td>
          </tr>
          <tr>
            <th>${t('caseReview.seed')}</th>
            <td><code id="draw-seed">${draw.seed}</code></td>
          </tr>
          <tr>
            <th>${t('caseReview.population')}</th>
            <td id="draw-population">${draw.population.length}</td>
          </tr>
          <tr>
            <th>${t('caseReview.eligible')}</th>
            <td id="draw-reviewers">${draw.reviewers.length}</td>
          </tr>
          <tr>
            <th>${t('caseReview.drawnBy')}</th>
            <td>${draw.drawnByName} · ${i18n.time(draw.drawnAt)}</td>
          </tr>
          <tr>
            <th>${t('caseReview.verification')}</th>
            <td>
              <span class="status ${verified ? 'ok' : 'bad'}" id="draw-verified" data-verified="${verified ? 'yes' : 'no'}"
                >${verified ? t('caseReview.verified') : t('caseReview.notVerified')}</span
              >
            </td>
          </tr>
        </table>
        <p class="muted">${t('caseReview.verifyHow')}</p>
      </section>
      <section class="card">
        <h2>${t('caseReview.sheets')}</h2>
        <table id="sheets">
          <thead>
            <tr>
              <th>${t('caseReview.case')}</th>
              <th>${t('caseReview.reviewer')}</th>
              <th>${t('caseReview.total')}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${sheets.map(
              (s) =>
                html`<tr data-sheet="${s.id}" data-reviewer="${s.reviewerId}" data-scored="${s.scoredAt ? 'yes' : 'no'}">
                  <td><a href="/staff/cases/${s.caseId}">${s.caseNumber}</a></td>
                  <td>${s.reviewerName}</td>
                  <td>${s.total === null ? '—' : `${s.total}（${gradeText(i18n, gradeOf(s.total))}）`}</td>
                  <td>
                    <a href="/staff/case-review/sheets/${s.id}" class="open-sheet"
                      >${s.scoredAt || s.reviewerId !== staff.id ? t('caseReview.openSheet') : t('caseReview.score')}</a
                    >
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>`,
  );
}

export function sheetView(sheet: SheetRow, staff: StaffPrincipal, canAct: boolean, csrf: string): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const mayScore = !sheet.scoredAt && sheet.reviewerId === staff.id;
  return page(
    { title: t('caseReview.sheetTitle'), staff },
    html`<p><a href="/staff/case-review/draws/${sheet.drawId}" id="back-to-draw">${t('caseReview.backToDraw')}</a></p>
      <h1>${t('caseReview.sheetTitle')}</h1>
      <p>
        ${t('caseReview.case')}: <a href="/staff/cases/${sheet.caseId}" id="sheet-case">${sheet.caseNumber}</a> ·
        ${t('caseReview.unit')}: ${sheet.districtName} · ${t('caseReview.reviewer')}: ${sheet.reviewerName}
      </p>
      ${
        sheet.scores && sheet.total !== null
          ? html`<section class="card" id="sheet-result">
            <table id="scores">
              ${SCORING_ITEMS.map(
                (item) =>
                  html`<tr data-item="${item.key}">
                    <th>${itemText(i18n, item.key)}</th>
                    <td>${sheet.scores![item.key]} / ${item.max}</td>
                  </tr>`,
              )}
              <tr>
                <th>${t('caseReview.total')}</th>
                <td>
                  <strong id="sheet-total">${sheet.total}</strong> / ${MAX_TOTAL}（<span id="sheet-grade"
                    >${gradeText(i18n, gradeOf(sheet.total))}</span
                  >）
                </td>
              </tr>
            </table>
            ${sheet.comment ? html`<p id="sheet-comment">${sheet.comment}</p>` : ''}
            <p class="muted">${t('caseReview.scoredAt', { at: i18n.time(sheet.scoredAt) })}</p>
            ${
              canAct
                ? html`<p>
                  <a href="/staff/case-review/notices/new?sourceKind=sheet&amp;sourceId=${sheet.id}" id="sheet-supervise"
                    >${t('caseReview.supervise')}</a
                  >
                </p>`
                : ''
            }
          </section>`
          : mayScore
            ? html`<form method="post" action="/staff/case-review/sheets/${sheet.id}" id="score-form" class="card">
              <input type="hidden" name="_csrf" value="${csrf}" />
              ${SCORING_ITEMS.map(
                (item) =>
                  html`<label for="score-${item.key}">${itemText(i18n, item.key)}（0–${item.max}）</label
                    ><input id="score-${item.key}" name="${item.key}" type="number" min="0" max="${item.max}" step="1" required />`,
              )}
              <label for="score-comment">${t('caseReview.comment')}</label
              ><textarea id="score-comment" name="comment" maxlength="2000"></textarea>
              <p><button type="submit" id="score-submit">${t('caseReview.saveScores')}</button></p>
            </form>`
            : html`<p class="muted" id="sheet-waiting">${t('caseReview.sheetWaiting')}</p>`
      }`,
  );
}

export function noticeFormView(p: NoticeFormPage, staff: StaffPrincipal, csrf: string): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('caseReview.notice.new'), staff },
    html`${back(i18n)}
      <h1>${t('caseReview.notice.new')}</h1>
      <p>${t('caseReview.notice.to', { unit: p.districtName, about: p.about })}</p>
      <form method="post" action="/staff/case-review/notices" id="notice-form" class="card">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <input type="hidden" name="sourceKind" value="${p.sourceKind}" />
        <input type="hidden" name="sourceId" value="${p.sourceId}" />
        <label for="notice-request">${t('caseReview.notice.request')}</label
        ><textarea id="notice-request" name="request" required maxlength="2000"></textarea>
        <label for="notice-due">${t('caseReview.notice.dueOn')}</label
        ><input id="notice-due" name="dueOn" type="date" required min="${p.today}" value="${p.defaultDue}" />
        <p><button type="submit" id="notice-submit">${t('caseReview.notice.send')}</button></p>
      </form>`,
  );
}

export function noticeView(
  n: SupervisionView,
  staff: StaffPrincipal,
  canAnswer: boolean,
  csrf: string,
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('caseReview.notice.title'), staff },
    html`${back(i18n)}
      <h1>
        ${t('caseReview.notice.title')}
        <span class="status" id="notice-status" data-status="${n.status}">${noticeStatusText(i18n, n.status)}</span>
      </h1>
      <section class="card">
        <table>
          <tr>
            <th>${t('caseReview.unit')}</th>
            <td>${n.districtName}</td>
          </tr>
          <tr>
            <th>${t('caseReview.notice.request')}</th>
            <td id="notice-request-text">${n.request}</td>
          </tr>
          <tr>
            <th>${t('caseReview.notice.dueOn')}</th>
            <td id="notice-due-on">${n.dueOn}</td>
          </tr>
          <tr>
            <th>${t('caseReview.notice.issuedBy')}</th>
            <td>${n.issuedByName} · ${i18n.time(n.issuedAt)}</td>
          </tr>
          ${
            n.answer
              ? html`<tr>
                <th>${t('caseReview.notice.answer')}</th>
                <td id="notice-answer">${n.answer} <span class="muted">${n.answeredByName} · ${i18n.time(n.answeredAt)}</span></td>
              </tr>`
              : ''
          }
        </table>
      </section>
      ${
        canAnswer && !n.answer
          ? html`<form method="post" action="/staff/case-review/notices/${n.id}/answer" id="answer-form" class="card">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <label for="answer-text">${t('caseReview.notice.answer')}</label
            ><textarea id="answer-text" name="answer" required maxlength="2000"></textarea>
            <p><button type="submit" id="answer-submit">${t('caseReview.notice.sendAnswer')}</button></p>
          </form>`
          : ''
      }`,
  );
}
