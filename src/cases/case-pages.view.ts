import type { StaffPrincipal } from '../auth/principal.js';
import { formatYuan } from '../law/money.js';
import { html, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import { afterDecisionCard } from './after-decision.view.js';
import { caseFilesCard } from './case-files.view.js';
import type { CaseListPage, CasePage } from './case-pages.service.js';
import type { DecisionPreview } from './decision-preview.js';
import { windowCard } from './window.view.js';
import { i18nFor } from '../web/i18n/index.js';

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

export function caseListView({ cases: rows }: CaseListPage, staff: StaffPrincipal): SafeHtml {
  return page(
    { title: 'Cases', staff },
    html`<h1>Cases</h1>
          <p><a href="/staff/cases">All</a> · <a href="/staff/cases?flagged=1">At risk or missed</a></p>
          <table id="case-list">
            <thead>
              <tr>
                <th>Case number</th>
                <th>Party</th>
                <th>Type</th>
                <th>Status</th>
                <th>Fine</th>
                <th>Flags</th>
                <th>Filed</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map(
                (c) =>
                  html`<tr data-case-id="${c.id}">
                    <td><a href="/staff/cases/${c.id}">${c.case_number}</a></td>
                    <td>${c.party_name ?? '—'}</td>
                    <td>${c.violation_type}</td>
                    <td>${c.status}</td>
                    <td>${fen(c.final_fine_fen ?? c.proposed_fine_fen)}</td>
                    <td>
                      ${c.flags.map((f) => html`<span class="status ${f.level === 'missed' ? 'bad' : 'warn'}">${f.key} ${f.level}</span> `)}
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
  return page(
    { title: 'Confirm the decision', staff },
    html`<h1>确认决定 · Confirm the decision</h1>
              <section class="card" id="decision-preview">
                <p>将签发 · Will be issued: <strong>${preview.document}</strong></p>
                <p>
                  处罚 · Penalty:
                  <strong id="preview-amount" data-fen="${preview.fineFen}">${preview.amount}</strong>
                  （大写 <span id="preview-capitals">${preview.amountInCapitals}</span>）
                </p>
                <p>当事人 · Recipient: <span id="preview-recipient">${preview.recipient}</span></p>
                <p>送达方式 · Channel: <span id="preview-channel">${preview.channel}</span></p>
                <h2>理由 · Reasons</h2>
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
                  <button type="submit" id="confirm-decide">确认作出决定 · Confirm and decide</button>
                  <a href="/staff/cases/${caseId}">取消 · Cancel</a>
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
  return page(
    { title: c.case_number, staff },
    html`<p><a href="/staff/cases">← Cases</a></p>
            <h1 id="case-number">
              ${c.case_number}
              <span class="status" id="case-status" data-state="${c.status}">${c.status}</span>
            </h1>
            ${d.issueFailures.map(
              (f) =>
                html`<p class="notice error" data-issue-failure="${f.kind}">文书未能制发 (${f.kind} could not be issued): ${f.last_error} — ${f.attempts} attempt(s) since ${fmt(f.first_failed_at)}, next at ${fmt(f.next_attempt_at)}.</p>`,
            )}
            ${d.postalNeeded.length > 0 ? html`<p class="notice error" id="postal-needed">Postal delivery needed for ${d.postalNeeded.map((x) => x.kind).join(', ')}: online delivery is not allowed or failed.</p>` : ''}
            ${
              c.flags.length > 0
                ? html`<ul id="flags">
                    ${c.flags.map((f) => html`<li class="status ${f.level === 'missed' ? 'bad' : 'warn'}" data-flag="${f.key}-${f.level}">${f.message}</li>`)}
                  </ul>`
                : ''
            }
            <div class="grid2">
              <section class="card">
                <h2>Case</h2>
                <table>
                  <tr>
                    <th>Party</th>
                    <td>
                      ${d.party?.name ?? '—'} (${s.partyKind}) · online consent:
                      ${d.party?.online_delivery_consent ? 'yes' : 'no'}
                    </td>
                  </tr>
                  <tr>
                    <th>Violation</th>
                    <td>${c.violation_type} · catalogue ${c.catalogue_version}</td>
                  </tr>
                  <tr>
                    <th>Proposed / in force</th>
                    <td>${fen(s.proposedFineFen)} / <strong id="fine-in-force">${fen(s.fineFen)}</strong></td>
                  </tr>
                  <tr>
                    <th>Hearing right</th>
                    <td>${s.hearingRight ? 'yes' : 'no'}</td>
                  </tr>
                  <tr>
                    <th>Reasons</th>
                    <td>
                      <ul>
                        ${s.reasons.map((r) => html`<li>${r}</li>`)}
                      </ul>
                    </td>
                  </tr>
                </table>
                <h2>Deadlines</h2>
                <table id="deadlines">
                  ${d.plan.map(
                    (p) =>
                      html`<tr data-deadline="${p.key}">
                        <th>${p.key}</th>
                        <td>${p.dueOn}${p.provisional ? ' (provisional calendar)' : ''}</td>
                        <td class="muted">${p.owner} · ${p.counting} · ${p.basis}</td>
                      </tr>`,
                  )}
                </table>
              </section>
              <section class="card">
                <h2>Steps</h2>
                <ol id="events">
                  ${d.events.map((e) => html`<li data-event="${e.kind}">${fmt(e.at)} · <strong>${e.kind}</strong> ${e.from_state && e.to_state && e.from_state !== e.to_state ? `${e.from_state} → ${e.to_state}` : ''} <span class="muted">${e.actor}</span></li>`)}
                </ol>
              </section>
            </div>
            <section class="card">
              <h2>Documents and deliveries</h2>
              <table id="deliveries">
                <thead>
                  <tr>
                    <th>Document</th>
                    <th>Channel</th>
                    <th>Status</th>
                    <th>Attempts</th>
                    <th>Sent / delivered</th>
                    <th>Last error</th>
                  </tr>
                </thead>
                <tbody>
                  ${d.deliveries.map(
                    (x) =>
                      html`<tr data-delivery="${x.channel}-${x.status}">
                        <td>${x.kind}</td>
                        <td>${x.channel}</td>
                        <td>
                          <span
                            class="status ${x.status === 'fallback' || x.status === 'failed' ? 'bad' : 'ok'}"
                            >${x.status}</span
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
                ${d.notices.map((n) => html`<li>${n.kind} · issued ${n.issued_on ?? '—'} · SHA-256 <code>${n.document_sha256 ?? '—'}</code> · ${n.acknowledged_at ? `acknowledged ${fmt(n.acknowledged_at)}` : 'not acknowledged'}</li>`)}
              </ul>
            </section>
            <section class="card" id="statements">
              <h2>Statements</h2>
              ${d.statements.length === 0 ? html`<p class="muted">None.</p>` : ''}
              ${d.statements.map(
                (st) =>
                  html`<div class="statement" data-review="${st.review_status}">
                    <p>${fmt(st.submitted_at)} · <span class="status">${st.review_status}</span>${st.channel === 'window' ? html` · <span class="status" data-channel="window">${i18nFor(staff).t('window.takenAtWindow')}</span>` : ''}</p>
                    <blockquote>${st.body}</blockquote>
                    ${st.attachments.length ? html`<p class="muted">${st.attachments.map((a) => html`${a.name} (${a.contentType}, ${a.size} B, SHA-256 <code>${a.sha256.slice(0, 16)}…</code>) `)}</p>` : ''}
                  </div>`,
              )}
              ${d.hearing ? html`<p>Hearing requested ${fmt(d.hearing.requested_at)} · ${d.hearing.status}</p>` : ''}
              ${
                waitUntil
                  ? html`<p class="notice" id="party-periods">
                      当事人的陈述、申辩${s.deadlines.hearing_request ? '和要求听证' : ''}期限至
                      <strong>${waitUntil}</strong>（北京时间）届满，届满前不作出决定 · The decision waits until the
                      party's periods end on ${waitUntil}, unless the party waives them in writing.
                    </p>`
                  : s.rightsWaived
                    ? html`<p class="muted" id="party-periods">当事人已书面放弃 · Waived in writing: ${s.waiverReference ?? ''}</p>`
                    : ''
              }
              ${
                p.canRecordWaiver
                  ? html`<form method="post" action="/staff/cases/${c.id}/waiver" id="waiver-form">
                      <input type="hidden" name="_csrf" value="${csrfToken}" />
                      <label for="waiver-ref">当事人书面放弃声明文号 · Reference of the party's written waiver</label
                      ><input id="waiver-ref" name="reference" required maxlength="200" />
                      <p><button type="submit" id="waiver-submit" class="secondary">记录书面放弃 · Record the waiver</button></p>
                    </form>`
                  : ''
              }
              ${
                s.legalReview
                  ? html`<p id="legal-review" data-conclusion="${s.legalReview.conclusion}">
                      法制审核 · Legal review ${s.legalReview.on}:
                      <strong>${s.legalReview.conclusion === 'approved' ? '同意 · approved' : '不同意 · not approved'}</strong>
                      — ${s.legalReview.opinion}
                    </p>`
                  : ''
              }
              ${
                p.canReview
                  ? html`<form method="post" action="/staff/cases/${c.id}/legal-review" id="review-form">
                      <h3>法制审核 · Legal review (APL art. 58)</h3>
                      <input type="hidden" name="_csrf" value="${csrfToken}" />
                      ${
                        p.withStatement
                          ? html`<label for="outcome">陈述、申辩的处理 · Outcome of the statement</label
                              ><select id="outcome" name="outcome">
                                <option value="reject">不予采纳 · Reject (fine stays ${fen(s.proposedFineFen)})</option>
                                <option value="partly_accept">部分采纳 · Partly accept (lower fine)</option>
                                <option value="accept">采纳 · Accept (drop the penalty unless a fine is given)</option>
                              </select>
                              <label for="revised">调整后的罚款（元）· Revised fine in 元 (never above ${fen(s.proposedFineFen)})</label
                              ><input id="revised" name="revisedFineYuan" inputmode="decimal" maxlength="20" placeholder="例如 50 或 50.50" />
                              <label for="reasons">理由 · Reasons</label
                              ><textarea id="reasons" name="reasons" required maxlength="1000"></textarea>`
                          : ''
                      }
                      <label for="opinion">审核意见 · Opinion</label
                      ><textarea id="opinion" name="opinion" maxlength="2000" placeholder="事实清楚，证据确凿，适用依据正确，程序合法"></textarea>
                      <label for="conclusion">审核结论 · Conclusion</label
                      ><select id="conclusion" name="conclusion">
                        <option value="approved">同意 · Approve the decision</option>
                        <option value="rejected">不同意 · Do not approve (no decision can be taken)</option>
                      </select>
                      <p><button type="submit" id="review-submit">记录法制审核 · Record the legal review</button></p>
                    </form>`
                  : ''
              }
            </section>
            ${
              p.canDecide
                ? html`<section class="card" id="decide">
                    <h2>决定 · Decision (负责人, APL art. 57)</h2>
                    ${
                      s.legalReview?.conclusion !== 'approved'
                        ? html`<p class="notice" id="decide-blocked">法制审核未通过或尚未进行，不能作出决定 (APL art. 58).</p>`
                        : html`<form method="post" action="/staff/cases/${c.id}/decide" id="decide-form">
                            <input type="hidden" name="_csrf" value="${csrfToken}" />
                            ${c.status === 'hearing_requested' ? html`<label for="hearing-ref">听证笔录 · Hearing record</label><input id="hearing-ref" name="hearingRecordRef" maxlength="200" />` : ''}
                            ${
                              s.collectiveDiscussionRequired
                                ? html`<fieldset id="collective">
                                    <legend>集体讨论 · Collective discussion (the catalogue marks this case serious)</legend>
                                    <label for="cd-on">日期 · Date</label><input id="cd-on" name="discussionOn" type="date" />
                                    <label for="cd-who">参加人员（每行一人）· Participants, one per line</label
                                    ><textarea id="cd-who" name="discussionParticipants" maxlength="2000"></textarea>
                                    <label for="cd-conclusion">讨论结论 · Conclusion</label
                                    ><textarea id="cd-conclusion" name="discussionConclusion" maxlength="2000"></textarea>
                                  </fieldset>`
                                : ''
                            }
                            <label for="extension">延期审批文号 · Extension approval reference (only past the 90-day limit)</label
                            ><input id="extension" name="extensionReference" maxlength="200" />
                            <p><button type="submit" id="decide-submit">预览决定书 · Preview the decision</button></p>
                          </form>`
                    }
                  </section>`
                : ''
            }
            ${p.window ? windowCard(p.window, csrfToken, i18nFor(staff)) : ''}
            ${p.afterDecision ? afterDecisionCard(p.afterDecision, c, p.reviewer, csrfToken) : ''}
            ${caseFilesCard({ caseId: c.id, notices: d.notices, evidence: p.evidence, statements: d.statements, payments: d.payments })}
            <section class="card">
              <h2>Payments</h2>
              <ul id="payments">
                ${d.payments.map((p) => html`<li data-payment="${p.status}">${p.gateway_order_id} · ${fen(p.amount_fen)} (late fee ${fen(p.late_fee_fen)}) · ${p.status} ${fmt(p.paid_at)}</li>`)}
              </ul>
            </section>`,
  );
}
