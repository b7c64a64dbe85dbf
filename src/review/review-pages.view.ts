import type { StaffPrincipal } from '../auth/principal.js';
import { CIRCUMSTANCES, CORRECTION_SEEN_BY } from '../law/circumstances.js';
import { formatCitation } from '../law/legal-citation.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';
import { html, jsonForScript, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import type { ReviewQueuePage, ReviewTaskPage } from './review-pages.service.js';
import { REJECT_REASONS } from './review-reasons.js';
import { formatDuration, type WarnFirstRecord } from './warn-first-record.js';

/** The review workbench's pages: the queue with its counts, and one task with its evidence and decision. */

/** What every review page needs besides its data: who is signed in and the form token. */
export interface ReviewPageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

const fmt = (d: Date | string | null | undefined) => formatShanghai(d);

const RECHECK_OUTCOME: Record<string, string> = {
  escalate: 'still there after the grace period',
  unchecked: 'could not be made',
  corrected: 'corrected',
  withdrawn: 'withdrawn',
};

/** Whether the party had its chance to correct: the doubts first, then the facts they come from. */
function warnFirstSection(w: WarnFirstRecord): SafeHtml {
  return html`<section id="warn-first">
    <h2>Warn first</h2>
    ${
      w.concerns.length
        ? html`<div class="notice concerns" role="note" id="warn-first-concerns">
          <strong>Check before approving:</strong>
          <ul>
            ${w.concerns.map((c) => html`<li>${c}</li>`)}
          </ul>
        </div>`
        : html`<p class="muted" id="warn-first-concerns">
          The warning reached the party in time: it had the whole grace period to correct.
        </p>`
    }
    <table>
      <tr>
        <th>Grace period</th>
        <td>${w.graceMs !== null ? formatDuration(w.graceMs) : '—'}</td>
      </tr>
      <tr>
        <th>Warning written</th>
        <td>${w.warningWrittenAt ? fmt(w.warningWrittenAt) : 'none'}</td>
      </tr>
      <tr>
        <th>Reached the party</th>
        <td>${w.firstDelivered ? `${fmt(w.firstDelivered.at)} (${w.firstDelivered.channel})` : 'not confirmed'}</td>
      </tr>
      <tr>
        <th>Time it had to correct</th>
        <td>
          ${w.timeToCorrectMs === null ? '—' : w.timeToCorrectMs > 0 ? formatDuration(w.timeToCorrectMs) : 'none'}
        </td>
      </tr>
      <tr>
        <th>Re-check</th>
        <td>
          ${
            w.recheck
              ? `${RECHECK_OUTCOME[w.recheck.outcome] ?? w.recheck.outcome} · ${fmt(w.recheck.decidedAt)}`
              : 'not yet made'
          }
        </td>
      </tr>
    </table>
    ${
      w.deliveries.length
        ? html`<table id="warning-deliveries">
          <thead>
            <tr>
              <th>Channel</th>
              <th>Status</th>
              <th>Sent</th>
              <th>Delivered</th>
            </tr>
          </thead>
          <tbody>
            ${w.deliveries.map(
              (d) =>
                html`<tr>
                  <td>${d.channel}</td>
                  <td>
                    <span class="status ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'failed' : 'warn'}"
                      >${d.status}</span
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
  return page(
    { title: 'Review queue', staff: ctx.staff, csrfToken: ctx.csrfToken, scripts: ['review-queue.js'] },
    html`<h1>Review queue</h1>
          ${empty ? html`<p class="notice" id="queue-empty">No task is waiting for you. New ones appear as the cameras confirm violations.</p>` : ''}
          <table>
            <thead>
              <tr>
                <th>Stage</th>
                <th>Open</th>
                <th>Being reviewed</th>
              </tr>
            </thead>
            <tbody>
              ${counts.map(
                (c) =>
                  html`<tr>
                    <td>${c.stage}</td>
                    <td>${c.open}</td>
                    <td>${c.claimed}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <p>
            <button type="button" id="start">Start reviewing</button>
            <span class="muted">Shortcut: <kbd>N</kbd></span>
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
  return page(
    {
      title: `Review · ${type.shortName}`,
      staff: ctx.staff,
      csrfToken: ctx.csrfToken,
      scripts: ['review.js'],
    },
    html`<h1>${type.shortName} <span class="muted">· ${camera.name} · ${task.stage} review</span></h1>
          <div class="grid2">
            <section class="card">
              <h2>Evidence</h2>
              <div class="evidence-grid">
                ${images.map(
                  (e) =>
                    html`<figure data-evidence-id="${e.id}">
                      <img src="/api/evidence/${e.id}" alt="${e.label}" class="zoomable" loading="eager" />
                      <figcaption>
                        ${e.kind} · ${e.label} · ${fmt(e.capturedAt)}<br />
                        <span
                          class="status ${e.verified ? 'verified' : 'failed'}"
                          data-hash-status="${e.verified ? 'verified' : 'failed'}"
                          >${e.verified ? 'hash verified' : 'HASH FAILED'}</span
                        >
                        <code class="muted" title="SHA-256">${e.sha256.slice(0, 16)}…</code>
                      </figcaption>
                    </figure>`,
                )}
              </div>
              ${manifest ? html`<p>Manifest: <span class="status ${manifest.verified ? 'verified' : 'failed'}" data-hash-status="${manifest.verified ? 'verified' : 'failed'}">${manifest.verified ? 'hash verified' : 'HASH FAILED'}</span> <code>${manifest.sha256}</code></p>` : ''}
              <h2>Time line</h2>
              <ol>
                ${timeline.map((t) => html`<li>${fmt(t.at)} — ${t.what}</li>`)}
              </ol>
            </section>
            <section class="card">
              <h2>What fired</h2>
              <table>
                <tr>
                  <th>Rule</th>
                  <td>${violation.rule}</td>
                </tr>
                <tr>
                  <th>Zone</th>
                  <td>${zone ? `${zone.name} (${zone.kind})` : '—'}</td>
                </tr>
                <tr>
                  <th>Camera</th>
                  <td>
                    ${camera.name}
                    <div class="muted">${camera.address}</div>
                  </td>
                </tr>
                <tr>
                  <th>Config version</th>
                  <td>v${violation.camera_version}</td>
                </tr>
                <tr>
                  <th>Model</th>
                  <td>
                    ${violation.model_name ?? '—'}
                    <code class="muted">${(violation.model_sha256 ?? '').slice(0, 12)}</code>
                  </td>
                </tr>
                <tr>
                  <th>First seen / confirmed</th>
                  <td>${fmt(violation.first_seen_at)} / ${fmt(violation.confirmed_at)}</td>
                </tr>
              </table>
              ${warnFirst ? warnFirstSection(warnFirst) : ''}
              <h2>Party</h2>
              ${party ? html`<p id="suggested-party" data-party-id="${party.id}">${party.name} <span class="muted">(${party.kind}, linked to the zone)</span></p>` : html`<p class="muted" id="suggested-party">No party is linked to this zone.</p>`}
              ${
                task.stage === 'legal'
                  ? html`<label for="party-search">Find a party in the register</label
                      ><input id="party-search" placeholder="name or credit code" /><select id="party-select">
                        ${party ? html`<option value="${party.id}" selected>${party.name}</option>` : ''}
                      </select>`
                  : ''
              }
              <h2>Past 12 months</h2>
              ${
                prior.length
                  ? html`<ul>
                      ${prior.map((p) => html`<li>${fmt(p.confirmed_at)} · ${p.violation_type} · ${p.status}</li>`)}
                    </ul>`
                  : html`<p class="muted">No decided violations.</p>`
              }
              <h2>Legal basis and suggested penalty</h2>
              <p>${formatCitation(type.violatedProvision)}; ${formatCitation(type.penaltyProvision)}</p>
              ${
                task.stage === 'legal'
                  ? html`<fieldset id="circumstances">
                      <legend>裁量情节 · Circumstances (each with its basis)</legend>
                      ${Object.entries(CIRCUMSTANCES).map(
                        ([code, entry]) => html`<div class="circumstance" data-code="${code}">
                          <label
                            ><input type="checkbox" name="circumstance" value="${code}" id="c-${code}" />
                            ${entry.label} <span class="muted">${entry.law}</span></label
                          >
                          <input class="c-basis" id="c-${code}-basis" placeholder="认定依据 · basis" maxlength="1000" />
                          ${
                            code === 'corrected_in_time'
                              ? html`<select class="c-seen" id="c-${code}-seen">
                                  ${Object.entries(CORRECTION_SEEN_BY).map(([k, label]) => html`<option value="${k}">${label}</option>`)}
                                </select>`
                              : ''
                          }
                          <input class="c-note" id="c-${code}-note" placeholder="备注 · note" maxlength="1000" />
                        </div>`,
                      )}
                    </fieldset>`
                  : ''
              }
              <div id="suggested-penalty" aria-live="polite">
                ${party ? '' : html`<p class="muted">No party chosen yet: the suggestion for each kind of party.</p>`}
                ${suggestions.map(
                  ({ partyKind, decision }) => html`<p>
                      ${party ? '' : html`<span class="muted">${partyKind === 'unit' ? 'Unit' : 'Individual'}:</span>`}
                      <strong>${decision.tierLabel}</strong>:
                      <span class="suggested-amount" data-fen="${decision.fineFen}"
                        >${decision.penalty === 'none' ? '不予处罚' : `${formatYuan(decision.fineFen)}（${chineseCapitalAmount(decision.fineFen)}）`}</span
                      >
                    </p>
                    <ul class="muted">
                      ${decision.reasons.map((r) => html`<li>${r}</li>`)}
                    </ul>`,
                )}
              </div>
              <h2>Decision</h2>
              <div class="toolbar">
                <button type="button" id="approve" data-key="a">Approve <kbd>A</kbd></button>
                <button type="button" id="more" class="secondary" data-key="m">
                  More evidence <kbd>M</kbd>
                </button>
                <select id="reason">
                  ${Object.entries(REJECT_REASONS).map(([code, label], i) => html`<option value="${code}">${i + 1}. ${label}</option>`)}
                </select>
                <button type="button" id="reject" class="danger" data-key="r">Reject <kbd>R</kbd></button>
              </div>
              <input id="reason-text" placeholder="Explanation (needed for other)" maxlength="2000" />
              ${
                task.stage === 'legal'
                  ? html`<div id="approve-preview" class="card notice" hidden>
                      <h3>确认立案 · Confirm: this files the case and issues</h3>
                      <p>文书 · Document: <strong id="preview-document"></strong></p>
                      <p>金额 · Amount: <strong id="preview-amount"></strong></p>
                      <p>当事人及送达方式 · Recipient and channel: <span id="preview-recipient"></span></p>
                      <ol id="preview-reasons"></ol>
                      <button type="button" id="confirm-approve">确认 · Confirm and approve</button>
                      <button type="button" id="cancel-approve" class="secondary">取消 · Cancel</button>
                    </div>`
                  : ''
              }
              <p class="muted">
                Keys: <kbd>A</kbd> approve · <kbd>R</kbd> reject with the chosen reason (<kbd>1</kbd>–<kbd
                  >6</kbd
                >
                choose) · <kbd>M</kbd> more evidence · <kbd>Z</kbd> zoom · <kbd>Esc</kbd> give back
              </p>
              <p id="decision-error" class="error" role="alert"></p>
            </section>
          </div>
          <script type="application/json" id="task-data">
            ${jsonForScript({ taskId: task.id, stage: task.stage })}
          </script>`,
  );
}
