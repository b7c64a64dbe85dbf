import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { districtScope } from '../auth/principal.js';
import type { AppDeps } from '../app/deps.js';
import { MAX_LIST_OFFSET } from '../http/input-guard.js';
import { caseDetail } from './case-detail.service.js';
import { CASE_STATES } from './case-state.js';
import { listCases } from './case.repo.js';
import { AmountError, parseYuan } from '../law/money.js';
import type { HearingRecordInput, HearingService, ScheduleInput } from './hearing.service.js';
import type {
  DecideInput,
  LegalReviewInput,
  StatementReviewInput,
  StatementReviewService,
} from './statement-review.service.js';
import { ValidationError } from '../shared/errors.js';

/** The staff API of cases: lists and details scoped to the caller's district, the statement review, decisions. */

const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });
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

export async function caseRoutes(
  app: FastifyInstance,
  deps: AppDeps & { statements: StatementReviewService; hearings: HearingService },
): Promise<void> {
  app.get(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases of the caller district, newest first',
        querystring: Type.Object({
          status: Type.Optional(Type.Union(CASE_STATES.map((s) => Type.Literal(s)))),
          flagged: Type.Optional(Type.Boolean({ description: 'Only cases with a deadline flag' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_LIST_OFFSET })),
        }),
      },
      preHandler: requireStaff(),
    },
    async (request) => {
      const q = request.query as { status?: string; flagged?: boolean; limit?: number; offset?: number };
      const rows = await listCases(deps.pool, districtScope(staffOf(request)), {
        status: q.status,
        flagged: q.flagged,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return { cases: rows };
    },
  );

  app.get(
    '/api/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case with every step, deadline, document and delivery (logged)',
        params: CaseId,
      },
      preHandler: requireStaff(),
    },
    async (request) => {
      const d = await caseDetail(deps.pool, staffOf(request), (request.params as { id: string }).id);
      return {
        case: { ...d.caseRow, benchmark: d.caseRow.benchmark },
        party: d.party
          ? {
              id: d.party.id,
              name: d.party.name,
              kind: d.party.kind,
              onlineDeliveryConsent: d.party.online_delivery_consent,
            }
          : null,
        plan: d.plan,
        events: d.events,
        notices: d.notices.map((n) => ({
          id: n.id,
          kind: n.kind,
          issuedOn: n.issued_on,
          documentSha256: n.document_sha256,
          acknowledgedAt: n.acknowledged_at,
        })),
        deliveries: d.deliveries.map((x) => ({
          id: x.id,
          kind: x.kind,
          channel: x.channel,
          status: x.status,
          attempts: x.attempts,
          lastError: x.last_error,
          sentAt: x.sent_at,
          deliveredAt: x.delivered_at,
        })),
        postalNeeded: d.postalNeeded.map((x) => x.notice_id),
        statements: d.statements,
        hearing: d.hearing,
        payments: d.payments.map((p) => ({
          id: p.id,
          status: p.status,
          amountFen: p.amount_fen,
          lateFeeFen: p.late_fee_fen,
          orderId: p.gateway_order_id,
          paidAt: p.paid_at,
        })),
      };
    },
  );

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
      const body = request.body as StatementReviewInput & { revisedFineYuan?: string };
      const { revisedFineYuan: _typed, ...rest } = body;
      return deps.statements.review(staffOf(request), (request.params as { id: string }).id, {
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
      const body = request.body as LegalReviewInput & { revisedFineYuan?: string };
      const { revisedFineYuan: _typed, ...rest } = body;
      return deps.statements.legalReview(staffOf(request), (request.params as { id: string }).id, {
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
    async (request) =>
      deps.statements.previewDecision(staffOf(request), (request.params as { id: string }).id),
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
    async (request) =>
      deps.statements.decide(
        staffOf(request),
        (request.params as { id: string }).id,
        (request.body ?? {}) as DecideInput,
      ),
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
    async (request) =>
      deps.statements.recordWaiver(
        staffOf(request),
        (request.params as { id: string }).id,
        request.body as { reference: string; receivedOn?: string },
      ),
  );

  app.post(
    '/api/cases/:id/hearing/schedule',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Schedule the hearing: time at least seven working days after the notice, place, a host who did not investigate the case, a clerk (APL art. 64)',
        params: CaseId,
        body: Type.Object(
          {
            at: Type.String({ format: 'date-time', description: 'When the hearing is held' }),
            place: Type.String({ minLength: 1, maxLength: 200 }),
            hostId: Type.String({
              format: 'uuid',
              description: 'Staff member who hosts; not an investigator',
            }),
            clerkId: Type.String({ format: 'uuid', description: 'Staff member who keeps the record' }),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer'),
    },
    async (request) =>
      deps.hearings.schedule(
        staffOf(request),
        (request.params as { id: string }).id,
        request.body as ScheduleInput,
      ),
  );

  app.post(
    '/api/cases/:id/hearing/record',
    {
      schema: {
        tags: ['cases'],
        summary:
          "The hearing record (听证笔录) and the party's one or two representatives; the decision rests on it",
        params: CaseId,
        body: Type.Object(
          {
            heldAt: Type.String({ format: 'date-time' }),
            record: Type.String({ minLength: 1, maxLength: 100_000, description: 'The record as written' }),
            representatives: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    name: Type.String({ minLength: 1, maxLength: 100 }),
                    relation: Type.Optional(Type.String({ maxLength: 100 })),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 10, description: 'At most two are accepted (APL art. 64 (5))' },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer'),
    },
    async (request) =>
      deps.hearings.record(
        staffOf(request),
        (request.params as { id: string }).id,
        request.body as HearingRecordInput,
      ),
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
      const body = request.body as { noticeId: string; receivedOn: string };
      return deps.statements.recordPostalDelivery(
        staffOf(request),
        (request.params as { id: string }).id,
        body.noticeId,
        body.receivedOn,
      );
    },
  );
}
