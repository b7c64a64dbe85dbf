import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import type { CaseReviewCheckService } from './case-review-check.service.js';
import type { CaseReviewSampleService } from './case-review-sample.service.js';
import type { SupervisionService } from './supervision.service.js';
import type { WithdrawalService } from './withdrawal.service.js';

/** The JSON routes of case-file review and of withdrawals; roles are checked by the services. */

export interface CaseReviewRoutesDeps {
  caseReviewChecks: CaseReviewCheckService;
  caseReviewSamples: CaseReviewSampleService;
  supervision: SupervisionService;
  withdrawals: WithdrawalService;
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Text = (description: string) => Type.String({ maxLength: 2000, description });
const Kind = Type.Union([
  Type.Literal('not_pursued'),
  Type.Literal('overdue'),
  Type.Literal('withdrawal'),
  Type.Literal('rejection'),
]);
const ScoreItem = Type.Integer({ minimum: 0, maximum: 100 });

export const caseReviewRoutes: FastifyPluginAsyncTypebox<CaseReviewRoutesDeps> = async (app, deps) => {
  const signedIn = requireStaff();
  const tags = ['case review'];

  app.post(
    '/api/cases/:id/withdrawals',
    {
      schema: {
        tags,
        summary: 'Propose withdrawing a case, with its reason (district staff, legal reviewer)',
        params: Id,
        body: Type.Object({ reason: Text('why the case is withdrawn') }, { additionalProperties: false }),
      },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const id = await deps.withdrawals.propose(staffOf(request), request.params.id, request.body);
      return reply.code(201).send({ withdrawalId: id });
    },
  );

  app.post(
    '/api/cases/:id/withdrawals/:withdrawalId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or refuse a proposed withdrawal (an agency head other than the proposer)',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          withdrawalId: Type.String({ format: 'uuid' }),
        }),
        body: Type.Object(
          { approve: Type.Boolean(), note: Type.Optional(Text('required when refusing')) },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request) => {
      const { id, withdrawalId } = request.params;
      await deps.withdrawals.decide(staffOf(request), id, withdrawalId, request.body);
      return { ok: true };
    },
  );

  app.get(
    '/api/case-review/findings',
    {
      schema: {
        tags,
        summary: 'Findings of the case-file review checks in the caller scope',
        querystring: Type.Object({ kind: Type.Optional(Kind), resolved: Type.Optional(Type.Boolean()) }),
      },
      preHandler: signedIn,
    },
    async (request) =>
      deps.caseReviewChecks.findings(staffOf(request), {
        kind: request.query.kind,
        includeResolved: request.query.resolved,
      }),
  );

  app.post(
    '/api/case-review/run',
    {
      schema: { tags, summary: 'Run the case-file review checks now over the caller scope' },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request) => deps.caseReviewChecks.runNow(staffOf(request)),
  );

  app.post(
    '/api/case-review/draws',
    {
      schema: {
        tags,
        summary: 'Draw a random sample of closed cases, each with a random eligible reviewer (双随机)',
        body: Type.Object(
          {
            districtId: Type.Optional(Type.String({ maxLength: 32, description: 'admins only' })),
            closedFrom: Type.String({ maxLength: 10 }),
            closedTo: Type.String({ maxLength: 10 }),
            size: Type.Integer({ minimum: 1, maximum: 100 }),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const id = await deps.caseReviewSamples.draw(staffOf(request), request.body);
      return reply.code(201).send(await deps.caseReviewSamples.detail(staffOf(request), id));
    },
  );

  app.get(
    '/api/case-review/draws/:id',
    {
      schema: { tags, summary: 'A draw with its sheets and whether it verifies', params: Id },
      preHandler: signedIn,
    },
    async (request) => deps.caseReviewSamples.detail(staffOf(request), request.params.id),
  );

  app.post(
    '/api/case-review/sheets/:id/scores',
    {
      schema: {
        tags,
        summary: 'Score a drawn case file (the drawn reviewer, once)',
        params: Id,
        body: Type.Object(
          {
            scores: Type.Object(
              {
                facts: ScoreItem,
                evidence: ScoreItem,
                procedure: ScoreItem,
                law: ScoreItem,
                documents: ScoreItem,
              },
              { additionalProperties: false },
            ),
            comment: Type.Optional(Text('the reviewer comment')),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request) => {
      await deps.caseReviewSamples.score(staffOf(request), request.params.id, request.body);
      return { sheet: await deps.caseReviewSamples.sheet(staffOf(request), request.params.id) };
    },
  );

  app.get(
    '/api/case-review/results',
    { schema: { tags, summary: 'Scores per unit and per reviewer' }, preHandler: signedIn },
    async (request) => deps.caseReviewSamples.results(staffOf(request)),
  );

  app.get(
    '/api/supervision-notices',
    { schema: { tags, summary: 'Supervision notices (督办) in the caller scope' }, preHandler: signedIn },
    async (request) => ({ notices: await deps.supervision.list(staffOf(request)) }),
  );

  app.post(
    '/api/supervision-notices',
    {
      schema: {
        tags,
        summary: 'Send a supervision notice to the unit of a finding or a scored sheet',
        body: Type.Object(
          {
            sourceKind: Type.Union([Type.Literal('finding'), Type.Literal('sheet')]),
            sourceId: Type.String({ format: 'uuid' }),
            request: Text('what the unit must do'),
            dueOn: Type.String({ maxLength: 10 }),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const id = await deps.supervision.issue(staffOf(request), request.body);
      return reply.code(201).send({ notice: await deps.supervision.detail(staffOf(request), id) });
    },
  );

  app.post(
    '/api/supervision-notices/:id/answer',
    {
      schema: {
        tags,
        summary: "The unit's answer to a supervision notice (its district staff)",
        params: Id,
        body: Type.Object({ answer: Text('what the unit did') }, { additionalProperties: false }),
      },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request) => {
      await deps.supervision.answer(staffOf(request), request.params.id, request.body);
      return { notice: await deps.supervision.detail(staffOf(request), request.params.id) };
    },
  );
};
