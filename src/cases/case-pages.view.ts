import type { StaffPrincipal } from '../auth/principal.js';
import { formatYuan } from '../law/money.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import { afterDecisionCard } from './after-decision.view.js';
import { caseFilesCard } from './case-files.view.js';
import type { CaseListPage, CasePage } from './case-pages.service.js';
import type { DecisionPreview } from './decision-preview.js';
import { windowCard } from './window.view.js';
import { withdrawalCard } from '../case-review/withdrawal.view.js';

/**
 * The staff case pages: the district's list with its deadline flags; one case with every step, deadline,
 * document and delivery (postal fallbacks first), statement and payment, and the forms this member of staff may
 * use next; and the confirmation page before a decision is taken.
 */

/** What every staff case page needs besides its data: who is signed in and the form token. */
export interface CasePageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

const fmt = (d: Date | string | null | undefined) => formatShanghai(d, false);
const fen = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatYuan(v));

/** A deadline flag in the reader's language; the flag's own message stays in its title. */
function flagText(
  f: { key: string; level: string; dueOn: string; daysLeft: number },
  { t, label }: StaffI18n,
): string {
  const deadline = label('deadline', f.key);
  if (f.level === 'missed') return t('flag.missed', { deadline, due: f.dueOn });
  return t(f.level === 'reminder' ? 'flag.reminder' : 'flag.atRisk', {
    deadline,
    due: f.dueOn,
    days: f.daysLeft,
  });
}

/** Who took a step: a member of staff by name and role, otherwise the system or the party. */
function actorText(
  e: { actor: string; actor_name: string | null; actor_role: string | null },
  { label }: StaffI18n,
): string {
  if (e.actor_name) return `${e.actor_name}（${label('role', e.actor_role)}）`;
  const kind = e.actor.split(':')[0] ?? '';
  return kind === 'system' || kind === 'party' || kind === 'staff' ? label('actorKind', kind) : e.actor;
}

export function caseListView({ cases: rows }: CaseListPage, staff: StaffPrincipal): SafeHtml {
  const { t, label } = i18nFor(staff);
  return page(
    { title: t('case.listTitle'), staff },
    html`<h1>${t('case.listTitle')}</h1>
          <p><a href="/staff/cases" id="cases-all">${t('case.all')}</a> · <a href="/staff/cases?flagged=1" id="cases-flagged">${t('case.flagged')}</a></p>
          <table id="case-list">
            <thead>
              <tr>
                <th>${t('case.number')}</th>
                <th>${t('case.party')}</th>
                <th>${t('case.type')}</th>
                <th>${t('case.status')}</th>
                <th>${t('case.fine')}</th>
                <th>${t('case.flags')}</th>
                <th>${t('case.filed')}</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (c) =>
                  html`<tr data-case-id="${c.id}">
                    <td><a href="/staff/cases/${c.id}">${c.case_number}</a></td>
                    <td>${c.party_name ?? '—'}</td>
                    <td>${label('violationType', c.violation_type)}</td>
                    <td data-state="${c.status}">${label('caseState', c.status)}</td>
                    <td>${fen(c.final_fine_fen ?? c.proposed_fine_fen)}</td>
                    <td>
                      ${c.flags.map((f) => html`<span class="status ${f.level === 'missed' ? 'bad' : 'warn'}" data-flag="${f.key}-${f.level}">${label('deadline', f.key)} ${label('flagLevel', f.level)}</span> `)}
                    </td>
                    <td>${fmt(c.filed_at)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`,
  );
}

/**
 * What will be issued, then the confirmation: the form posts the same fields again with `confirm=yes`.
 * `fields` are the decision form's fields as posted (the token and `confirm` are left out).
 */
export function decisionPreviewView(
  caseId: string,
  preview: DecisionPreview,
  fields: Record<string, string | undefined>,
  { staff, csrfToken }: CasePageContext,
): SafeHtml {
  const { t } = i18nFor(staff);
  return page(
    { title: t('case.confirmTitle'), staff },
    html`<h1>${t('case.confirmTitle')}</h1>
              <section class="card" id="decision-preview">
                <p>${t('case.willIssue')} <strong>${preview.document}</strong></p>
                <p>
                  ${t('case.penalty')}
                  <strong id="preview-amount" data-fen="${preview.fineFen}">${preview.amount}</strong>
                  （${t('case.capitals')} <span id="preview-capitals">${preview.amountInCapitals}</span>）
                </p>
                <p>${t('case.recipient')} <span id="preview-recipient">${preview.recipient}</span></p>
                <p>${t('case.channel')} <span id="preview-channel">${preview.channel}</span></p>
                <h2>${t('case.reasons')}</h2>
                <ol id="preview-reasons">
                  ${preview.reasons.map((r) => html`<li>${r}</li>`)}
                </ol>
              </section>
              <form method="post" action="/staff/cases/${caseId}/decide" id="confirm-form">
                <input type="hidden" name="_csrf" value="${csrfToken}" />
                ${Object.entries(fields)
                  .filter(([, v]) => v !== undefined)
                  .map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
                <input type="hidden" name="confirm" value="yes" />
                <p>
                  <button type="submit" id="confirm-decide">${t('case.confirmDecide')}</button>
                  <a href="/staff/cases/${caseId}">${t('common.cancel')}</a>
                </p>
              </form>`,
  );
}

/** One case, with the forms this member of staff may use next. */
export function caseView(p: CasePage, { staff, csrfToken }: CasePageContext): SafeHtml {
  const d = p.detail;
  const c = d.caseRow;
  const s = c.snapshot;
  const waitUntil = p.waitUntil;
  const i18n = i18nFor(staff);
  const { t, label } = i18n;
  return page(
    { title: c.case_number, staff },
    html`<p><a href="/staff/cases" id="back-to-cases">${t('case.backToList')}</a></p>
            <h1 id="case-number">
              ${c.case_number}
              <span class="status" id="case-status" data-state="${c.status}">${label('caseState', c.status)}</span>
            </h1>
            ${d.issueFailures.map(
              (f) =>
                html`<p class="notice error" data-issue-failure="${f.kind}">
                  ${t('case.issueFailure', { kind: label('documentKind', f.kind), error: f.last_error ?? '', attempts: f.attempts, since: fmt(f.first_failed_at), next: fmt(f.next_attempt_at) })}
                </p>`,
            )}
            ${d.postalNeeded.length > 0 ? html`<p class="notice error" id="postal-needed">${t('case.postalNeeded', { kinds: d.postalNeeded.map((x) => label('documentKind', x.kind)).join('、') })}</p>` : ''}
            ${
              c.flags.length > 0
                ? html`<ul id="flags">
                    ${c.flags.map((f) => html`<li class="status ${f.level === 'missed' ? 'bad' : 'warn'}" data-flag="${f.key}-${f.level}" title="${f.message}">${flagText(f, i18n)}</li>`)}
                  </ul>`
                : ''
            }
            <div class="grid2">
              <section class="card">
                <h2>${t('case.case')}</h2>
                <table>
                  <tr>
                    <th>${t('case.party')}</th>
                    <td>
                      ${d.party?.name ?? '—'}（${label('partyKind', s.partyKind)}）· ${t('case.onlineConsent')}
                      ${d.party?.online_delivery_consent ? t('common.yes') : t('common.no')}
                    </td>
                  </tr>
                  <tr>
                    <th>${t('case.violation')}</th>
                    <td data-violation-type="${c.violation_type}">
                      ${label('violationType', c.violation_type)} · ${t('case.catalogue', { version: c.catalogue_version })}
                    </td>
                  </tr>
                  <tr>
                    <th>${t('case.proposedInForce')}</th>
                    <td>${fen(s.proposedFineFen)} / <strong id="fine-in-force">${fen(s.fineFen)}</strong></td>
                  </tr>
                  <tr>
                    <th>${t('case.hearingRight')}</th>
                    <td>${s.hearingRight ? t('common.yes') : t('common.no')}</td>
                  </tr>
                  <tr>
                    <th>${t('case.reasons')}</th>
                    <td>
                      <ul>
                        ${s.reasons.map((r) => html`<li>${r}</li>`)}
                      </ul>
                    </td>
                  </tr>
                </table>
                <h2>${t('case.deadlines')}</h2>
                <p class="muted" id="receipt-dates">
                  ${t('deadline.binding')}：${label('documentKind', 'advance_notice')} ${t('deadline.receivedOn')}
                  ${s.steps.advance_notice_received ?? '—'} · ${label('documentKind', 'decision')}
                  ${t('deadline.receivedOn')} ${s.steps.decision_received ?? '—'}
                </p>
                <table id="deadlines">
                  ${d.plan.map(
                    (p) =>
                      html`<tr data-deadline="${p.key}">
                        <th>${label('deadline', p.key)}</th>
                        <td>${p.dueOn}${p.provisional ? t('case.provisional') : ''}</td>
                        <td class="muted">
                          ${label('deadlineOwner', p.owner)} · ${label('dayCounting', p.counting)} · ${p.basis}
                        </td>
                      </tr>`,
                  )}
                </table>
              </section>
              <section class="card">
                <h2>${t('case.steps')}</h2>
                <ol id="events">
                  ${d.events.map((e) => html`<li data-event="${e.kind}">${fmt(e.at)} · <strong>${label('caseStep', e.kind)}</strong> ${e.from_state && e.to_state && e.from_state !== e.to_state ? `${label('caseState', e.from_state)} → ${label('caseState', e.to_state)}` : ''} <span class="muted">${actorText(e, i18n)}</span></li>`)}
                </ol>
              </section>
            </div>
            <section class="card">
              <h2>${t('case.documents')}</h2>
              <table id="deliveries">
                <thead>
                  <tr>
                    <th>${t('case.document')}</th>
                    <th>${t('review.channel')}</th>
                    <th>${t('case.status')}</th>
                    <th>${t('case.attempts')}</th>
                    <th>${t('case.sentDelivered')}</th>
                    <th>${t('case.lastError')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.deliveries.map(
                    (x) =>
                      html`<tr data-delivery="${x.channel}-${x.status}">
                        <td>${label('documentKind', x.kind)}</td>
                        <td>${label('deliveryChannel', x.channel)}</td>
                        <td>
                          <span
                            class="status ${x.status === 'fallback' || x.status === 'failed' ? 'bad' : 'ok'}"
                            >${label('deliveryStatus', x.status)}</span
                          >
                        </td>
                        <td>${x.attempts}</td>
                        <td>${fmt(x.sent_at)} / ${fmt(x.delivered_at)}</td>
                        <td class="muted">${x.last_error ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <ul>
                ${d.notices.map((n) => html`<li data-notice="${n.kind}">${label('documentKind', n.kind)} · ${t('case.issued', { on: n.issued_on ?? '—' })} · SHA-256 <code>${n.document_sha256 ?? '—'}</code> · ${n.acknowledged_at ? t('case.acknowledged', { at: fmt(n.acknowledged_at) }) : t('case.notAcknowledged')}</li>`)}
              </ul>
            </section>
            <section class="card" id="statements">
              <h2>${t('case.statements')}</h2>
              ${d.statements.length === 0 ? html`<p class="muted">${t('case.none')}</p>` : ''}
              ${d.statements.map(
                (st) =>
                  html`<div class="statement" data-review="${st.review_status}">
                    <p>${fmt(st.submitted_at)} · <span class="status">${label('statementReviewStatus', st.review_status)}</span>${st.channel === 'window' ? html` · <span class="status" data-channel="window">${t('window.takenAtWindow')}</span>` : ''}</p>
                    <blockquote>${st.body}</blockquote>
                    ${st.attachments.length ? html`<p class="muted">${st.attachments.map((a) => html`${a.name} (${a.contentType}, ${a.size} B, SHA-256 <code>${a.sha256.slice(0, 16)}…</code>) `)}</p>` : ''}
                  </div>`,
              )}
              ${d.hearing ? html`<p id="hearing-requested">${t('case.hearingRequested', { at: fmt(d.hearing.requested_at), status: label('hearingStatus', d.hearing.status) })}</p>` : ''}
              ${
                waitUntil
                  ? html`<p class="notice" id="party-periods">
                      ${s.deadlines.hearing_request ? t('case.partyPeriodsHearing', { until: waitUntil }) : t('case.partyPeriods', { until: waitUntil })}
                    </p>`
                  : s.rightsWaived
                    ? html`<p class="muted" id="party-periods">${t('case.waived', { ref: s.waiverReference ?? '' })}</p>`
                    : ''
              }
              ${
                p.canRecordWaiver
                  ? html`<form method="post" action="/staff/cases/${c.id}/waiver" id="waiver-form">
                      <input type="hidden" name="_csrf" value="${csrfToken}" />
                      <label for="waiver-ref">${t('case.waiverRef')}</label
                      ><input id="waiver-ref" name="reference" required maxlength="200" />
                      <p><button type="submit" id="waiver-submit" class="secondary">${t('case.recordWaiver')}</button></p>
                    </form>`
                  : ''
              }
              ${
                s.legalReview
                  ? html`<p id="legal-review" data-conclusion="${s.legalReview.conclusion}">
                      ${t('case.legalReview')} ${s.legalReview.on}：
                      <strong>${label('legalReviewConclusion', s.legalReview.conclusion)}</strong>
                      — ${s.legalReview.opinion}
                    </p>`
                  : ''
              }
              ${
                p.canReview
                  ? html`<form method="post" action="/staff/cases/${c.id}/legal-review" id="review-form">
                      <h3>${t('case.legalReviewForm')}</h3>
                      <input type="hidden" name="_csrf" value="${csrfToken}" />
                      ${
                        p.withStatement
                          ? html`<label for="outcome">${t('case.statementOutcome')}</label
                              ><select id="outcome" name="outcome">
                                <option value="reject">${t('case.outcomeReject', { fine: fen(s.proposedFineFen) })}</option>
                                <option value="partly_accept">${t('case.outcomePartly')}</option>
                                <option value="accept">${t('case.outcomeAccept')}</option>
                              </select>
                              <label for="revised">${t('case.revisedFine', { fine: fen(s.proposedFineFen) })}</label
                              ><input id="revised" name="revisedFineYuan" inputmode="decimal" maxlength="20" placeholder="${t('case.revisedPlaceholder')}" />
                              <label for="reasons">${t('case.reasons')}</label
                              ><textarea id="reasons" name="reasons" required maxlength="1000"></textarea>`
                          : ''
                      }
                      <label for="opinion">${t('case.opinion')}</label
                      ><textarea id="opinion" name="opinion" maxlength="2000" placeholder="事实清楚，证据确凿，适用依据正确，程序合法"></textarea>
                      <label for="conclusion">${t('case.conclusion')}</label
                      ><select id="conclusion" name="conclusion">
                        <option value="approved">${t('case.approveDecision')}</option>
                        <option value="rejected">${t('case.rejectDecision')}</option>
                      </select>
                      <p><button type="submit" id="review-submit">${t('case.recordReview')}</button></p>
                    </form>`
                  : ''
              }
            </section>
            ${
              p.canDecide
                ? html`<section class="card" id="decide">
                    <h2>${t('case.decisionTitle')}</h2>
                    ${
                      s.legalReview?.conclusion !== 'approved'
                        ? html`<p class="notice" id="decide-blocked">${t('case.decideBlocked')}</p>`
                        : html`<form method="post" action="/staff/cases/${c.id}/decide" id="decide-form">
                            <input type="hidden" name="_csrf" value="${csrfToken}" />
                            ${c.status === 'hearing_requested' ? html`<label for="hearing-ref">${t('case.hearingRecord')}</label><input id="hearing-ref" name="hearingRecordRef" maxlength="200" />` : ''}
                            ${
                              s.collectiveDiscussionRequired
                                ? html`<fieldset id="collective">
                                    <legend>${t('case.collective')}</legend>
                                    <label for="cd-on">${t('case.date')}</label><input id="cd-on" name="discussionOn" type="date" />
                                    <label for="cd-who">${t('case.participants')}</label
                                    ><textarea id="cd-who" name="discussionParticipants" maxlength="2000"></textarea>
                                    <label for="cd-conclusion">${t('case.discussionConclusion')}</label
                                    ><textarea id="cd-conclusion" name="discussionConclusion" maxlength="2000"></textarea>
                                  </fieldset>`
                                : ''
                            }
                            <label for="extension">${t('case.extension')}</label
                            ><input id="extension" name="extensionReference" maxlength="200" />
                            <p><button type="submit" id="decide-submit">${t('case.previewDecision')}</button></p>
                          </form>`
                    }
                  </section>`
                : ''
            }
            ${p.window ? windowCard(p.window, csrfToken, i18n) : ''}
            ${p.afterDecision ? afterDecisionCard(p.afterDecision, c, p.reviewer, csrfToken, i18n) : ''}
            ${withdrawalCard(c.id, p.withdrawal, csrfToken, i18n)}
            ${caseFilesCard({ caseId: c.id, notices: d.notices, evidence: p.evidence, statements: d.statements, payments: d.payments }, i18n)}
            <section class="card">
              <h2>${t('case.payments')}</h2>
              <ul id="payments">
                ${d.payments.map((p) => html`<li data-payment="${p.status}">${p.gateway_order_id} · ${fen(p.amount_fen)}（${t('case.lateFee', { fee: fen(p.late_fee_fen) })}）· ${label('paymentStatus', p.status)} ${fmt(p.paid_at)}</li>`)}
              </ul>
            </section>`,
  );
}
