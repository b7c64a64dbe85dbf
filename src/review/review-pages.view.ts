import type { StaffPrincipal } from '../auth/principal.js';
import { CIRCUMSTANCES, CORRECTION_SEEN_BY } from '../law/circumstances.js';
import { formatCitation } from '../law/legal-citation.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';
import { html, jsonForScript, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import type { ReviewQueuePage, ReviewTaskPage } from './review-pages.service.js';
import { REJECT_REASON_CODES } from './review-reasons.js';
import type { Concern, TimelineEntry, WarnFirstRecord } from './warn-first-record.js';

/** The review workbench's pages: the queue with its counts, and one task with its evidence and decision. */

/** What every review page needs besides its data: who is signed in and the form token. */
export interface ReviewPageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

const fmt = (d: Date | string | null | undefined) => formatShanghai(d);

/** One warn-first concern in the reader's language. */
function concernText(c: Concern, { t, label, duration }: StaffI18n): string {
  switch (c.kind) {
    case 'no_warning':
      return t('concern.noWarning');
    case 'warned_after_recheck':
      return t('concern.warnedAfterRecheck');
    case 'not_delivered': {
      const how = c.deliveries.length
        ? c.deliveries
            .map(
              (d) =>
                `${label('deliveryChannel', d.channel)}：${label('deliveryStatus', d.status)}${d.lastError ? `（${d.lastError}）` : ''}`,
            )
            .join('；')
        : t('concern.noDelivery');
      return t('concern.notDelivered', { how });
    }
    case 'delivered_late': {
      const values = {
        channel: label('deliveryChannel', c.channel),
        late: duration(c.lateMs),
        grace: duration(c.graceMs),
      };
      return c.timeToCorrectMs <= 0
        ? t('concern.deliveredAfterGrace', values)
        : t('concern.deliveredLate', { ...values, left: duration(c.timeToCorrectMs) });
    }
    case 'recheck_unchecked':
      return c.note ? t('concern.recheckUncheckedNote', { note: c.note }) : t('concern.recheckUnchecked');
  }
}

/** One time line entry in the reader's language (the record's own wording where it names no step). */
function timelineText({ what, step }: TimelineEntry, { t, label, duration }: StaffI18n): string {
  if (!step) return what;
  switch (step.kind) {
    case 'first_seen':
      return t('timeline.firstSeen');
    case 'confirmed':
      return t('timeline.confirmed');
    case 'warning_written':
      return step.graceMs === null
        ? t('timeline.warningWritten')
        : t('timeline.warningWrittenGrace', { grace: duration(step.graceMs) });
    case 'warning_sent':
      return t('timeline.warningSent', { channel: label('deliveryChannel', step.channel) });
    case 'warning_delivered':
      return t('timeline.warningDelivered', { channel: label('deliveryChannel', step.channel) });
    case 'recheck':
      return t('timeline.recheck', { outcome: label('recheckOutcome', step.outcome) });
  }
}

/** Whether the party had its chance to correct: the doubts first, then the facts they come from. */
function warnFirstSection(w: WarnFirstRecord, i18n: StaffI18n): SafeHtml {
  const { t, label } = i18n;
  return html`<section id="warn-first">
    <h2>${t('review.warnFirst')}</h2>
    ${
      w.concernSteps.length
        ? html`<div class="notice concerns" role="note" id="warn-first-concerns">
          <strong>${t('review.checkBeforeApproving')}</strong>
          <ul>
            ${w.concernSteps.map((c) => html`<li data-concern="${c.kind}">${concernText(c, i18n)}</li>`)}
          </ul>
        </div>`
        : html`<p class="muted" id="warn-first-concerns">${t('review.warnedInTime')}</p>`
    }
    <table>
      <tr>
        <th>${t('review.grace')}</th>
        <td>${w.graceMs !== null ? i18n.duration(w.graceMs) : '—'}</td>
      </tr>
      <tr>
        <th>${t('review.warningWritten')}</th>
        <td>${w.warningWrittenAt ? fmt(w.warningWrittenAt) : t('common.none')}</td>
      </tr>
      <tr>
        <th>${t('review.reachedParty')}</th>
        <td>${w.firstDelivered ? `${fmt(w.firstDelivered.at)}（${label('deliveryChannel', w.firstDelivered.channel)}）` : t('review.notConfirmed')}</td>
      </tr>
      <tr>
        <th>${t('review.timeToCorrect')}</th>
        <td>
          ${w.timeToCorrectMs === null ? '—' : w.timeToCorrectMs > 0 ? i18n.duration(w.timeToCorrectMs) : t('common.none')}
        </td>
      </tr>
      <tr>
        <th>${t('review.recheck')}</th>
        <td>
          ${
            w.recheck
              ? `${label('recheckOutcome', w.recheck.outcome)} · ${fmt(w.recheck.decidedAt)}`
              : t('review.notYet')
          }
        </td>
      </tr>
    </table>
    ${
      w.deliveries.length
        ? html`<table id="warning-deliveries">
          <thead>
            <tr>
              <th>${t('review.channel')}</th>
              <th>${t('review.status')}</th>
              <th>${t('review.sent')}</th>
              <th>${t('review.delivered')}</th>
            </tr>
          </thead>
          <tbody>
            ${w.deliveries.map(
              (d) =>
                html`<tr>
                  <td data-channel="${d.channel}">${label('deliveryChannel', d.channel)}</td>
                  <td>
                    <span class="status ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'failed' : 'warn'}"
                      data-status="${d.status}"
                      >${label('deliveryStatus', d.status)}</span
                    >
                    ${d.lastError ? html`<div class="muted">${d.lastError}</div>` : ''}
                  </td>
                  <td>${d.sentAt ? fmt(d.sentAt) : '—'}</td>
                  <td>${d.deliveredAt ? fmt(d.deliveredAt) : '—'}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
        : ''
    }
  </section>`;
}

export function reviewQueueView({ counts, empty }: ReviewQueuePage, ctx: ReviewPageContext): SafeHtml {
  const { t, label } = i18nFor(ctx.staff);
  return page(
    {
      title: t('review.queueTitle'),
      staff: ctx.staff,
      csrfToken: ctx.csrfToken,
      scripts: ['review-queue.js'],
    },
    html`<h1>${t('review.queueTitle')}</h1>
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
          <div class="grid2">
            <section class="card">
              <h2>${t('review.evidence')}</h2>
              <div class="evidence-grid">
                ${images.map(
                  (e) =>
                    html`<figure data-evidence-id="${e.id}">
                      <img src="/api/evidence/${e.id}" alt="${e.label}" class="zoomable" loading="eager" />
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
                      ><input id="party-search" placeholder="${t('review.findPartyPlaceholder')}" /><select id="party-select">
                        ${party ? html`<option value="${party.id}" selected>${party.name}</option>` : ''}
                      </select>`
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
              <h2>${t('review.decision')}</h2>
              <div class="toolbar">
                <button type="button" id="approve" data-key="a">${t('review.approve')} <kbd>A</kbd></button>
                <button type="button" id="more" class="secondary" data-key="m">
                  ${t('review.more')} <kbd>M</kbd>
                </button>
                <select id="reason">
                  ${REJECT_REASON_CODES.map((code, i) => html`<option value="${code}">${i + 1}. ${label('rejectReason', code)}</option>`)}
                </select>
                <button type="button" id="reject" class="danger" data-key="r">${t('review.reject')} <kbd>R</kbd></button>
              </div>
              <input id="reason-text" placeholder="${t('review.explanation')}" maxlength="2000" />
              ${
                task.stage === 'legal'
                  ? html`<div id="approve-preview" class="card notice" hidden>
                      <h3>${t('review.confirmTitle')}</h3>
                      <p>${t('review.confirmDocument')} <strong id="preview-document"></strong></p>
                      <p>${t('review.confirmAmount')} <strong id="preview-amount"></strong></p>
                      <p>${t('review.confirmRecipient')} <span id="preview-recipient"></span></p>
                      <ol id="preview-reasons"></ol>
                      <button type="button" id="confirm-approve">${t('review.confirm')}</button>
                      <button type="button" id="cancel-approve" class="secondary">${t('common.cancel')}</button>
                    </div>`
                  : ''
              }
              <p class="muted" id="review-keys">${t('review.keys')}</p>
              <p id="decision-error" class="error" role="alert"></p>
            </section>
          </div>
          <script type="application/json" id="task-data">
            ${jsonForScript({
              taskId: task.id,
              stage: task.stage,
              texts: {
                unit: label('partyKind', 'unit'),
                individual: label('partyKind', 'individual'),
                noPenaltyDecision: label('documentKind', 'no_penalty_decision'),
                advanceNotice: label('documentKind', 'advance_notice'),
              },
            })}
          </script>`,
  );
}
