import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Pool } from '../db/pool.js';
import { AmountError, parseYuan } from '../law/money.js';
import { ValidationError } from '../shared/errors.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import type { AfterDecisionService } from './after-decision.service.js';
import type { WithdrawalService } from '../case-review/withdrawal.service.js';
import { caseListPage, casePage } from './case-pages.service.js';
import { caseListView, caseView, decisionPreviewView } from './case-pages.view.js';
import type { DecideInput, StatementOutcome, StatementReviewService } from './statement-review.service.js';

/**
 * Staff pages of cases: the district's list, one case, and its forms (legal review, waiver, decision), each
 * answered with a redirect back to the case or the error page naming what was refused.
 */

export interface CasePageDeps {
  pool: Pool;
  statements: StatementReviewService;
  afterDecision: AfterDecisionService;
  withdrawals: WithdrawalService;
}

const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OUTCOMES: readonly StatementOutcome[] = ['accept', 'partly_accept', 'reject'];
const DecideForm = Type.Object({
  _csrf: Type.String(),
  extensionReference: Type.Optional(Type.String({ maxLength: 200 })),
  hearingRecordRef: Type.Optional(Type.String({ maxLength: 200 })),
  discussionOn: Type.Optional(Type.String({ maxLength: 10 })),
  discussionParticipants: Type.Optional(Type.String({ maxLength: 2000 })),
  discussionConclusion: Type.Optional(Type.String({ maxLength: 2000 })),
  confirm: Type.Optional(Type.String({ maxLength: 10 })),
});

export const casePageRoutes: FastifyPluginAsyncTypebox<CasePageDeps> = async (app, deps) => {
  const signedIn = staffPage();

  app.get(
    '/staff/cases',
    {
      schema: { hide: true, querystring: Type.Object({ flagged: Type.Optional(Type.String()) }) },
      preHandler: signedIn,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await caseListPage(deps.pool, staff, request.query.flagged === '1');
      return sendPage(reply, caseListView(data, staff));
    },
  );

  app.get(
    '/staff/cases/:id',
    { schema: { hide: true, params: CaseId }, preHandler: signedIn },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await casePage(deps.pool, deps.afterDecision, staff, request.params.id, deps.withdrawals);
      return sendPage(reply, caseView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );

  app.post(
    '/staff/cases/:id/legal-review',
    {
      schema: {
        hide: true,
        params: CaseId,
        body: Type.Object({
          _csrf: Type.String(),
          outcome: Type.Optional(Type.String({ maxLength: 20 })),
          revisedFineYuan: Type.Optional(Type.String({ maxLength: 20 })),
          reasons: Type.Optional(Type.String({ maxLength: 1000 })),
          opinion: Type.Optional(Type.String({ maxLength: 2000 })),
          conclusion: Type.String({ maxLength: 20 }),
        }),
      },
      config: { errorPage: { id: 'review-error', back: '/staff/cases/:id' } },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const conclusion = body.conclusion;
      if (conclusion !== 'approved' && conclusion !== 'rejected')
        throw new ValidationError('the conclusion is approved or rejected');
      const given = body.outcome?.trim() ? body.outcome : undefined;
      const outcome = given === undefined ? undefined : OUTCOMES.find((o) => o === given);
      if (given !== undefined && !outcome) throw new ValidationError(`unknown outcome ${given}`);
      const reasons = body.reasons?.trim() ? [body.reasons] : [];
      await deps.statements.legalReview(pageStaff(request), id, {
        conclusion,
        // Without a separate opinion, the reasons given for the statement stand as the opinion.
        opinion: body.opinion?.trim() || reasons.join('；'),
        outcome,
        reasons,
        revisedFineFen: body.revisedFineYuan?.trim() ? yuanToFen(body.revisedFineYuan) : undefined,
      });
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/waiver',
    {
      schema: {
        hide: true,
        params: CaseId,
        body: Type.Object({ _csrf: Type.String(), reference: Type.String({ maxLength: 200 }) }),
      },
      config: { errorPage: { id: 'waiver-error', back: '/staff/cases/:id' } },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const { id } = request.params;
      await deps.statements.recordWaiver(pageStaff(request), id, { reference: request.body.reference });
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/decide',
    {
      schema: { hide: true, params: CaseId, body: DecideForm },
      config: { errorPage: { id: 'decide-error', back: '/staff/cases/:id' } },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const { id } = request.params;
      const { _csrf: _, confirm, ...fields } = request.body;
      if (confirm !== 'yes') {
        // First what will be issued, then the confirmation: nothing is decided on this request.
        const preview = await deps.statements.previewDecision(staff, id);
        return sendPage(
          reply,
          decisionPreviewView(id, preview, fields, { staff, csrfToken: reply.generateCsrf() }),
        );
      }
      await deps.statements.decide(staff, id, decideInputFromForm(fields));
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );
};

function yuanToFen(text: string): number {
  try {
    return parseYuan(text);
  } catch (error) {
    if (error instanceof AmountError) throw new ValidationError(error.message);
    throw error;
  }
}

function decideInputFromForm(body: Record<string, string | undefined>): DecideInput {
  const participants = (body.discussionParticipants ?? '')
    .split(/\r?\n|[,，、]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const discussed = body.discussionOn?.trim() || participants.length > 0 || body.discussionConclusion?.trim();
  return {
    extensionReference: body.extensionReference?.trim() || undefined,
    hearingRecordRef: body.hearingRecordRef?.trim() || undefined,
    ...(discussed
      ? {
          collectiveDiscussion: {
            on: body.discussionOn?.trim() ?? '',
            participants,
            conclusion: body.discussionConclusion?.trim() ?? '',
          },
        }
      : {}),
  };
}
