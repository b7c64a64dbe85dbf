import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { AppDeps } from '../http/deps.js';
import { DomainError } from '../shared/errors.js';
import { html } from '../web/html.js';
import { page, sendPage } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import { caseDetail } from './case-detail.service.js';
import { listCases } from './case.repo.js';
import { formatYuan } from './money.js';
import { afterDecisionCard } from './after-decision.page.js';
import type { AfterDecisionService } from './after-decision.service.js';
import type { StatementOutcome, StatementReviewService } from './statement-review.service.js';

/**
 * Staff pages of cases: the district's list with deadline flags, and one case with every step, deadline,
 * document, delivery (postal fallbacks first), statement and payment. The statement review is a plain form.
 */

const fmt = (d: Date | string | null | undefined) => formatShanghai(d, false);
const fen = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatYuan(v));

async function guard(request: FastifyRequest, reply: FastifyReply) {
  if (!request.staff) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
}

export async function casePageRoutes(
  app: FastifyInstance,
  deps: AppDeps & { statements: StatementReviewService; afterDecision: AfterDecisionService },
): Promise<void> {
  app.get('/staff/cases', { schema: { hide: true }, preHandler: guard }, async (request, reply) => {
    const staff = request.staff as StaffPrincipal;
    const flagged = (request.query as { flagged?: string }).flagged === '1';
    const rows = await listCases(deps.pool, districtScope(staff), { flagged, limit: 200, offset: 0 });
    return sendPage(
      reply,
      page(
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
      ),
    );
  });

  app.get(
    '/staff/cases/:id',
    {
      schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      preHandler: guard,
    },
    async (request, reply) => {
      const staff = request.staff as StaffPrincipal;
      let d;
      try {
        d = await caseDetail(deps.pool, staff, (request.params as { id: string }).id);
      } catch (error) {
        if (error instanceof DomainError)
          return sendPage(
            reply,
            page(
              { title: 'Case', staff },
              html`<h1>Case</h1>
                <p class="error">${error.message}</p>`,
            ),
            error.statusCode,
          );
        throw error;
      }
      const c = d.caseRow;
      const s = c.snapshot;
      const reviewer = staff.role === 'legal_reviewer' || staff.role === 'admin';
      const reviewable = reviewer && (c.status === 'statement_review' || c.status === 'hearing_requested');
      const afterDecision = await afterDecisionCard(deps.afterDecision, c, reviewer, reply.generateCsrf());
      return sendPage(
        reply,
        page(
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
                    <p>${fmt(st.submitted_at)} · <span class="status">${st.review_status}</span></p>
                    <blockquote>${st.body}</blockquote>
                    ${st.attachments.length ? html`<p class="muted">${st.attachments.map((a) => html`${a.name} (${a.contentType}, ${a.size} B, SHA-256 <code>${a.sha256.slice(0, 16)}…</code>) `)}</p>` : ''}
                  </div>`,
              )}
              ${d.hearing ? html`<p>Hearing requested ${fmt(d.hearing.requested_at)} · ${d.hearing.status}</p>` : ''}
              ${
                reviewable
                  ? html`<form method="post" action="/staff/cases/${c.id}/statement-review" id="review-form">
                      <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
                      <label for="outcome">Outcome</label
                      ><select id="outcome" name="outcome">
                        <option value="reject">Reject (fine stays ${fen(s.proposedFineFen)})</option>
                        <option value="partly_accept">Partly accept (lower fine)</option>
                        <option value="accept">Accept (drop the penalty unless a fine is given)</option>
                      </select>
                      <label for="revised">Revised fine in fen (never above ${s.proposedFineFen})</label
                      ><input id="revised" name="revisedFineFen" inputmode="numeric" pattern="[0-9]*" />
                      <label for="reasons">Reasons</label
                      ><textarea id="reasons" name="reasons" required maxlength="1000"></textarea>
                      ${c.status === 'hearing_requested' ? html`<label for="hearing-ref">Hearing record</label><input id="hearing-ref" name="hearingRecordRef" required />` : ''}
                      <p><button type="submit" id="review-submit">Record the review and decide</button></p>
                    </form>`
                  : ''
              }
            </section>
            ${
              c.status === 'awaiting_decision'
                ? html`<section class="card" id="decide">
                    <h2>Decision</h2>
                    <p class="muted">The statement period has closed or was waived with no statement to review: decide on the proposed fine.</p>
                    <form method="post" action="/staff/cases/${c.id}/decide" id="decide-form">
                      <input type="hidden" name="_csrf" value="${reply.generateCsrf()}" />
                      <label for="extension">Extension approval reference (only past the 90-day limit)</label
                      ><input id="extension" name="extensionReference" maxlength="200" />
                      <p><button type="submit" id="decide-submit">Decide (${fen(s.fineFen)})</button></p>
                    </form>
                  </section>`
                : ''
            }
            ${afterDecision}
            <section class="card">
              <h2>Payments</h2>
              <ul id="payments">
                ${d.payments.map((p) => html`<li data-payment="${p.status}">${p.gateway_order_id} · ${fen(p.amount_fen)} (late fee ${fen(p.late_fee_fen)}) · ${p.status} ${fmt(p.paid_at)}</li>`)}
              </ul>
            </section>`,
        ),
      );
    },
  );

  app.post(
    '/staff/cases/:id/statement-review',
    {
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          _csrf: Type.String(),
          outcome: Type.String(),
          revisedFineFen: Type.Optional(Type.String({ maxLength: 12 })),
          reasons: Type.String({ maxLength: 1000 }),
          hearingRecordRef: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
      preValidation: app.csrfProtection,
      preHandler: guard,
    },
    async (request, reply) => {
      const staff = request.staff as StaffPrincipal;
      const id = (request.params as { id: string }).id;
      const body = request.body as {
        outcome: string;
        revisedFineFen?: string;
        reasons: string;
        hearingRecordRef?: string;
      };
      try {
        await deps.statements.review(staff, id, {
          outcome: body.outcome as StatementOutcome,
          revisedFineFen: body.revisedFineFen?.trim() ? Number(body.revisedFineFen) : undefined,
          reasons: [body.reasons],
          hearingRecordRef: body.hearingRecordRef?.trim() || undefined,
        });
      } catch (error) {
        if (error instanceof DomainError)
          return sendPage(
            reply,
            page(
              { title: 'Statement review', staff },
              html`<h1>Statement review</h1>
                <p class="error" id="review-error">${error.message}</p>
                <p><a href="/staff/cases/${id}">Back</a></p>`,
            ),
            error.statusCode,
          );
        throw error;
      }
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/decide',
    {
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          _csrf: Type.String(),
          extensionReference: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
      preValidation: app.csrfProtection,
      preHandler: guard,
    },
    async (request, reply) => {
      const staff = request.staff as StaffPrincipal;
      const id = (request.params as { id: string }).id;
      const ref = (request.body as { extensionReference?: string }).extensionReference?.trim();
      try {
        await deps.statements.decide(staff, id, ref ? { extensionReference: ref } : {});
      } catch (error) {
        if (error instanceof DomainError)
          return sendPage(
            reply,
            page(
              { title: 'Decision', staff },
              html`<h1>Decision</h1>
                <p class="error" id="decide-error">${error.message}</p>
                <p><a href="/staff/cases/${id}">Back</a></p>`,
            ),
            error.statusCode,
          );
        throw error;
      }
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );
}
