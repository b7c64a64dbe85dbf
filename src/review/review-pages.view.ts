import type { StaffPrincipal } from '../auth/principal.js';
import { CIRCUMSTANCES, CORRECTION_SEEN_BY } from '../law/circumstances.js';
import { formatCitation } from '../law/legal-citation.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';
import { html, jsonForScript, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import type { FiledCaseNote, ReviewQueuePage, ReviewTaskPage } from './review-pages.service.js';
import { REJECT_REASON_CODES } from './review-reasons.js';
import { timelineText, warnFirstSection } from './review-warn-first.view.js';

/** The review workbench's pages: the queue with its counts, and one task with its evidence and decision. */

/** What every review page needs besides its data: who is signed in and the form token. */
export interface ReviewPageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

const fmt = (d: Date | string | null | undefined) => formatShanghai(d);

/** The case the reviewer's last legal approval filed, with its number and a link to it. */
function filedNote(filed: FiledCaseNote | null, { t }: StaffI18n): SafeHtml | '' {
  if (!filed) return '';
  return html`<p class="notice" id="filed-case" role="status">
    ${t('review.filed', { number: filed.number })}
    <a id="filed-case-link" href="/staff/cases/${filed.id}">${t('review.openCase')}</a>
  </p>`;
}

/** The zoom viewer (one image, switchable) and the compare viewer (two images side by side). */
function viewers(images: ReviewTaskPage['images'], { t }: StaffI18n): SafeHtml {
  const options = (selected: number) =>
    images.map(
      (e, i) => html`<option value="${i}" ${i === selected ? 'selected' : ''}>${i + 1}. ${e.label}</option>`,
    );
  return html`<dialog id="zoom-dialog" class="viewer" aria-labelledby="zoom-caption">
      <div class="viewer-bar">
        <strong id="zoom-caption"></strong>
        <span class="muted">${t('review.zoomHint')}</span>
        <button type="button" class="secondary" id="zoom-close">${t('review.close')}</button>
      </div>
      <div class="viewer-body"><img id="zoom-image" alt="" /></div>
    </dialog>
    <dialog id="compare-dialog" class="viewer" aria-label="${t('review.compare')}">
      <div class="viewer-bar">
        <strong>${t('review.compare')}</strong>
        <span class="muted">${t('review.compareHint')}</span>
        <button type="button" class="secondary" id="compare-close">${t('review.close')}</button>
      </div>
      <div class="compare-grid">
        <figure>
          <select id="compare-left" aria-label="${t('review.compare')} 1">${options(0)}</select>
          <img id="compare-left-image" alt="" />
        </figure>
        <figure>
          <select id="compare-right" aria-label="${t('review.compare')} 2">${options(Math.min(1, images.length - 1))}</select>
          <img id="compare-right-image" alt="" />
        </figure>
      </div>
    </dialog>`;
}

export function reviewQueueView({ counts, empty, filed }: ReviewQueuePage, ctx: ReviewPageContext): SafeHtml {
  const i18n = i18nFor(ctx.staff);
  const { t, label } = i18n;
  return page(
    {
      title: t('review.queueTitle'),
      staff: ctx.staff,
      csrfToken: ctx.csrfToken,
      scripts: ['review-queue.js'],
    },
    html`<h1>${t('review.queueTitle')}</h1>
          ${filedNote(filed, i18n)}
          ${empty ? html`<p class="notice" id="queue-empty">${t('review.queueEmpty')}</p>` : ''}
          <table>
            <thead>
              <tr>
                <th>${t('review.stage')}</th>
                <th>${t('review.open')}</th>
                <th>${t('review.claimed')}</th>
              </tr>
            </thead>
            <tbody>
              ${counts.map(
                (c) =>
                  html`<tr data-stage="${c.stage}">
                    <td>${label('reviewStage', c.stage)}</td>
                    <td>${c.open}</td>
                    <td>${c.claimed}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <p>
            <button type="button" id="start">${t('review.start')}</button>
            <span class="muted">${t('review.shortcut')} <kbd>N</kbd></span>
          </p>
          <p id="queue-error" class="error" role="alert"></p>`,
  );
}

export function reviewTaskView(d: ReviewTaskPage, ctx: ReviewPageContext): SafeHtml {
  const {
    task,
    violation,
    type,
    camera,
    zone,
    party,
    prior,
    suggestions,
    warnFirst,
    timeline,
    images,
    manifest,
    filed,
  } = d;
  const i18n = i18nFor(ctx.staff);
  const { t, label } = i18n;
  return page(
    {
      title: t('review.taskTitle', { type: type.shortName }),
      staff: ctx.staff,
      csrfToken: ctx.csrfToken,
      scripts: ['review.js'],
    },
    html`<h1>${type.shortName} <span class="muted" data-stage="${task.stage}">· ${camera.name} · ${label('reviewStage', task.stage)}</span></h1>
          ${filedNote(filed, i18n)}
          <div class="grid2 workbench">
            <section class="card">
              <h2>${t('review.evidence')}</h2>
              ${
                images.length > 1
                  ? html`<p class="toolbar">
                      <button type="button" class="secondary" id="compare-open">${t('review.compare')} <kbd>C</kbd></button>
                    </p>`
                  : ''
              }
              <div class="evidence-grid">
                ${images.map(
                  (e, i) =>
                    html`<figure data-evidence-id="${e.id}">
                      <img
                        src="/api/evidence/${e.id}?size=view"
                        data-original="/api/evidence/${e.id}"
                        alt="${e.label}"
                        class="zoomable"
                        loading="eager"
                        tabindex="0"
                        data-index="${i}"
                        title="${t('review.zoom')} (Z)"
                      />
                      <figcaption>
                        <span data-kind="${e.kind}">${e.label}</span> · ${fmt(e.capturedAt)}<br />
                        <span
                          class="status ${e.verified ? 'verified' : 'failed'}"
                          data-hash-status="${e.verified ? 'verified' : 'failed'}"
                          >${e.verified ? t('review.hashVerified') : t('review.hashFailed')}</span
                        >
                        <code class="muted" title="SHA-256">${e.sha256.slice(0, 16)}…</code>
                      </figcaption>
                    </figure>`,
                )}
              </div>
              ${manifest ? html`<p>${t('review.manifest')} <span class="status ${manifest.verified ? 'verified' : 'failed'}" data-hash-status="${manifest.verified ? 'verified' : 'failed'}">${manifest.verified ? t('review.hashVerified') : t('review.hashFailed')}</span> <code>${manifest.sha256}</code></p>` : ''}
              <h2>${t('review.timeline')}</h2>
              <ol>
                ${timeline.map((entry) => html`<li>${fmt(entry.at)} — ${timelineText(entry, i18n)}</li>`)}
              </ol>
            </section>
            <section class="card">
              <h2>${t('review.whatFired')}</h2>
              <table>
                <tr>
                  <th>${t('review.rule')}</th>
                  <td data-rule="${violation.rule}">${label('rule', violation.rule)}</td>
                </tr>
                <tr>
                  <th>${t('review.zone')}</th>
                  <td>${zone ? `${zone.name}（${label('zoneKind', zone.kind)}）` : '—'}</td>
                </tr>
                <tr>
                  <th>${t('review.camera')}</th>
                  <td>
                    ${camera.name}
                    <div class="muted">${camera.address}</div>
                  </td>
                </tr>
                <tr>
                  <th>${t('review.configVersion')}</th>
                  <td>v${violation.camera_version}</td>
                </tr>
                <tr>
                  <th>${t('review.model')}</th>
                  <td>
                    ${violation.model_name ?? '—'}
                    <code class="muted">${(violation.model_sha256 ?? '').slice(0, 12)}</code>
                  </td>
                </tr>
                <tr>
                  <th>${t('review.firstSeenConfirmed')}</th>
                  <td>${fmt(violation.first_seen_at)} / ${fmt(violation.confirmed_at)}</td>
                </tr>
              </table>
              ${warnFirst ? warnFirstSection(warnFirst, i18n) : ''}
              <h2>${t('review.party')}</h2>
              ${party ? html`<p id="suggested-party" data-party-id="${party.id}">${party.name} <span class="muted">${t('review.partyLinked', { kind: label('partyKind', party.kind) })}</span></p>` : html`<p class="muted" id="suggested-party">${t('review.noParty')}</p>`}
              ${
                task.stage === 'legal'
                  ? html`<label for="party-search">${t('review.findParty')}</label
                      ><input id="party-search" placeholder="${t('review.findPartyPlaceholder')}" /><select id="party-select" aria-label="${t('review.party')}">
                        <option value="">${t('review.chooseParty')}</option>
                        ${party ? html`<option value="${party.id}" data-kind="${party.kind}" selected>${party.name}（${label('partyKind', party.kind)}）</option>` : ''}
                      </select>
                      <p class="muted" id="party-count" aria-live="polite"></p>`
                  : ''
              }
              <h2>${t('review.prior')}</h2>
              ${
                prior.length
                  ? html`<ul>
                      ${prior.map((p) => html`<li>${fmt(p.confirmed_at)} · ${label('violationType', p.violation_type)} · ${label('violationStatus', p.status)}</li>`)}
                    </ul>`
                  : html`<p class="muted">${t('review.noPrior')}</p>`
              }
              <h2>${t('review.legalBasis')}</h2>
              <p>${formatCitation(type.violatedProvision)}; ${formatCitation(type.penaltyProvision)}</p>
              ${
                task.stage === 'legal'
                  ? html`<fieldset id="circumstances">
                      <legend>${t('review.circumstances')}</legend>
                      ${Object.entries(CIRCUMSTANCES).map(
                        ([code, entry]) => html`<div class="circumstance" data-code="${code}">
                          <label
                            ><input type="checkbox" name="circumstance" value="${code}" id="c-${code}" />
                            ${entry.label} <span class="muted">${entry.law}</span></label
                          >
                          <input class="c-basis" id="c-${code}-basis" placeholder="${t('review.basisPlaceholder')}" maxlength="1000" />
                          ${
                            code === 'corrected_in_time'
                              ? html`<select class="c-seen" id="c-${code}-seen">
                                  ${Object.entries(CORRECTION_SEEN_BY).map(([k, label]) => html`<option value="${k}">${label}</option>`)}
                                </select>`
                              : ''
                          }
                          <input class="c-note" id="c-${code}-note" placeholder="${t('review.notePlaceholder')}" maxlength="1000" />
                        </div>`,
                      )}
                    </fieldset>`
                  : ''
              }
              <div id="suggested-penalty" aria-live="polite">
                ${party ? '' : html`<p class="muted">${t('review.noPartyYet')}</p>`}
                ${suggestions.map(
                  ({ partyKind, decision }) => html`<p>
                      ${party ? '' : html`<span class="muted">${label('partyKind', partyKind)}：</span>`}
                      <strong>${decision.tierLabel}</strong>:
                      <span class="suggested-amount" data-fen="${decision.fineFen}"
                        >${decision.penalty === 'none' ? t('review.noPenalty') : `${formatYuan(decision.fineFen)}（${chineseCapitalAmount(decision.fineFen)}）`}</span
                      >
                    </p>
                    <ul class="muted">
                      ${decision.reasons.map((r) => html`<li>${r}</li>`)}
                    </ul>`,
                )}
              </div>
              <div id="decision-bar" class="decision-bar">
              ${
                task.stage === 'legal'
                  ? html`<div id="approve-preview" class="notice" hidden>
                      <h3>${t('review.confirmTitle')}</h3>
                      <p>${t('review.confirmDocument')} <strong id="preview-document"></strong></p>
                      <p>${t('review.confirmParty')} <strong id="preview-party"></strong></p>
                      <p>${t('review.confirmPenalty')} <strong id="preview-tier"></strong></p>
                      <p>${t('review.confirmAmount')} <strong id="preview-amount"></strong></p>
                      <p>${t('review.confirmRecipient')} <span id="preview-recipient"></span></p>
                      <ol id="preview-reasons"></ol>
                      <p class="muted">${t('review.confirmHint')}</p>
                      <button type="button" id="confirm-approve">${t('review.confirm')}</button>
                      <button type="button" id="cancel-approve" class="secondary">${t('common.cancel')} <kbd>Esc</kbd></button>
                    </div>`
                  : ''
              }
              <h2>${t('review.decision')}</h2>
              <div class="toolbar">
                <button type="button" id="approve" data-key="a">${t('review.approve')} <kbd>A</kbd></button>
                ${task.stage === 'legal' ? html`<button type="button" id="send-to-field" class="secondary" title="${t('field.sendToFieldHint')}">${t('field.sendToField')}</button>` : ''}
                <button type="button" id="more" class="secondary" data-key="m">
                  ${t('review.more')} <kbd>M</kbd>
                </button>
                <select id="reason">
                  ${REJECT_REASON_CODES.map((code, i) => html`<option value="${code}">${i + 1}. ${label('rejectReason', code)}</option>`)}
                </select>
                <button type="button" id="reject" class="danger" data-key="r">${t('review.reject')} <kbd>R</kbd></button>
                <button type="button" id="release" class="secondary">${t('review.release')}</button>
              </div>
              <input id="reason-text" placeholder="${t('review.explanation')}" maxlength="2000" />
              <div id="release-confirm" class="notice" hidden>
                ${t('review.releaseConfirm')}
                <button type="button" id="release-yes" class="secondary">${t('review.releaseYes')}</button>
                <button type="button" id="release-no">${t('common.cancel')}</button>
              </div>
              <p class="muted" id="review-keys">${t('review.keys')}</p>
              <p id="decision-error" class="error" role="alert"></p>
              </div>
            </section>
          </div>
          ${viewers(images, i18n)}
          <script type="application/json" id="task-data">
            ${jsonForScript({
              taskId: task.id,
              stage: task.stage,
              texts: {
                unit: label('partyKind', 'unit'),
                individual: label('partyKind', 'individual'),
                person: label('partyKind', 'person'),
                partiesNone: t('review.partiesNone'),
                chooseParty: t('review.chooseParty'),
                needParty: t('review.needParty'),
                partiesCount: t('review.partiesCount', { count: '{count}' }),
                noPenaltyDecision: label('documentKind', 'no_penalty_decision'),
                advanceNotice: label('documentKind', 'advance_notice'),
              },
            })}
          </script>`,
  );
}
