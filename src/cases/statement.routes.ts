import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { AmountError, parseYuan } from '../law/money.js';
import { ValidationError } from '../shared/errors.js';
import { CaseId } from './case.routes.js';
import type { StatementReviewService } from './statement-review.service.js';

/** The staff API of a case's statements: the statement and legal review, the waiver, postal delivery, the decision. */

export interface StatementRoutesDeps {
  statements: StatementReviewService;
}

const REVIEWERS = ['admin', 'legal_reviewer'] as const;

const Outcome = Type.Union([Type.Literal('accept'), Type.Literal('partly_accept'), Type.Literal('reject')], {
  description:
    'accept drops the fine unless a revised fine is given; partly_accept lowers it; reject keeps it',
});
const RevisedFine = {
  revisedFineFen: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'The fine after the review, in fen; never above the proposed fine',
    }),
  ),
  revisedFineYuan: Type.Optional(
    Type.String({
      maxLength: 20,
      description: 'The same in 元 as typed (at most two decimals: 角 and 分); instead of revisedFineFen',
    }),
  ),
};
const Reasons = Type.Array(Type.String({ minLength: 1, maxLength: 1000 }), {
  minItems: 1,
  maxItems: 20,
  description: 'The reviewer reasons, quoted in the decision',
});
const Conclusion = Type.Union([Type.Literal('approved'), Type.Literal('rejected')], {
  description: 'The legal review approves the decision, or does not (then no decision can be taken)',
});

const ReviewBody = Type.Object(
  {
    outcome: Outcome,
    ...RevisedFine,
    reasons: Reasons,
    reductionApproved: Type.Optional(
      Type.Boolean({ description: 'Approval of a fine below the statutory minimum' }),
    ),
    opinion: Type.Optional(Type.String({ maxLength: 2000, description: 'The legal review opinion' })),
    conclusion: Type.Optional(Conclusion),
  },
  { additionalProperties: false },
);

const LegalReviewBody = Type.Object(
  {
    conclusion: Conclusion,
    opinion: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'The legal review opinion (APL art. 58)',
    }),
    outcome: Type.Optional(Outcome),
    ...RevisedFine,
    reasons: Type.Optional(Reasons),
    reductionApproved: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const DecideBody = Type.Object(
  {
    extensionReference: Type.Optional(
      Type.String({ maxLength: 200, description: 'The approved extension, when past day 90' }),
    ),
    hearingRecordRef: Type.Optional(
      Type.String({ maxLength: 200, description: 'The hearing record, when a hearing was held' }),
    ),
    collectiveDiscussion: Type.Optional(
      Type.Object(
        {
          on: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Date of the discussion' }),
          participants: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
            minItems: 1,
            maxItems: 30,
          }),
          conclusion: Type.String({ minLength: 1, maxLength: 2000 }),
        },
        {
          additionalProperties: false,
          description:
            'The collective discussion, for a case the catalogue marks complex or serious (APL art. 57)',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A revised fine given in 元 becomes fen; both at once, or a bad amount, is a 400. */
function revisedFine(body: { revisedFineFen?: number; revisedFineYuan?: string }): number | undefined {
  if (body.revisedFineYuan === undefined) return body.revisedFineFen;
  if (body.revisedFineFen !== undefined)
    throw new ValidationError('give the revised fine once, in fen or in 元');
  try {
    return parseYuan(body.revisedFineYuan);
  } catch (error) {
    if (error instanceof AmountError) throw new ValidationError(error.message);
    throw error;
  }
}

export const statementRoutes: FastifyPluginAsyncTypebox<StatementRoutesDeps> = async (app, deps) => {
  app.get(
    '/api/statements/pending',
    {
      schema: {
        tags: ['cases'],
        summary: "Party statements waiting for the legal reviewers of the caller's district",
      },
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request) => ({
      statements: await deps.statements.pending(staffOf(request)),
    }),
  );

  app.post(
    '/api/cases/:id/statement-review',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Review the statements of a case with an approving legal review (a defence never raises the fine); the agency head then decides',
        params: CaseId,
        body: ReviewBody,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request) => {
      const body = request.body;
      const { revisedFineYuan: _typed, ...rest } = body;
      return deps.statements.review(staffOf(request), request.params.id, {
        ...rest,
        revisedFineFen: revisedFine(body),
      });
    },
  );

  app.post(
    '/api/cases/:id/legal-review',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The legal review (法制审核) before the decision: opinion, conclusion and any statement review',
        params: CaseId,
        body: LegalReviewBody,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request) => {
      const body = request.body;
      const { revisedFineYuan: _typed, ...rest } = body;
      return deps.statements.legalReview(staffOf(request), request.params.id, {
        ...rest,
        revisedFineFen: revisedFine(body),
      });
    },
  );

  app.get(
    '/api/cases/:id/decision-preview',
    {
      schema: {
        tags: ['cases'],
        summary:
          'What the decision will say if taken now: the fine in figures and capitals (大写), the reasons, the recipient and channel',
        params: CaseId,
      },
      preHandler: requireStaff('agency_head', ...REVIEWERS),
    },
    async (request) => deps.statements.previewDecision(staffOf(request), request.params.id),
  );

  app.post(
    '/api/cases/:id/decide',
    {
      schema: {
        tags: ['cases'],
        summary:
          "The agency head's decision (APL art. 57), after an approving legal review and once the party's periods ended or were waived",
        params: CaseId,
        body: DecideBody,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('agency_head'),
    },
    async (request) => deps.statements.decide(staffOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/waiver',
    {
      schema: {
        tags: ['cases'],
        summary:
          "Record the party's written waiver of its statement and hearing periods (with its reference)",
        params: CaseId,
        body: Type.Object(
          {
            reference: Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'Reference of the signed declaration (放弃陈述、申辩、听证声明书)',
            }),
            receivedOn: Type.Optional(
              Type.String({
                pattern: '^\\d{4}-\\d{2}-\\d{2}$',
                description: 'Day it was received (Beijing date)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer'),
    },
    async (request) => deps.statements.recordWaiver(staffOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/postal-delivery',
    {
      schema: {
        tags: ['cases'],
        summary: 'Record a document delivered by post, on the date of the signed return receipt',
        params: CaseId,
        body: Type.Object(
          {
            noticeId: Type.String({ format: 'uuid' }),
            receivedOn: Type.String({ format: 'date', description: 'YYYY-MM-DD, a day of the calendar' }),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer'),
    },
    async (request) => {
      const body = request.body;
      return deps.statements.recordPostalDelivery(
        staffOf(request),
        request.params.id,
        body.noticeId,
        body.receivedOn,
      );
    },
  );
};
