import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { AfterDecisionService } from './after-decision.service.js';
import type { CaseSnapshot } from './case-state.js';

/*
 * After the decision, in the API under /api/cases/:id/…: the party's reconsideration or lawsuit and how it
 * ended, the application to the court, and the close once the court enforced. The case page posts the same
 * steps as plain forms (after-decision-pages.routes.ts).
 */

export const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });

const Day = (description: string) => Type.String({ format: 'date', description });
const Ref = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });

const ReviewStarted = Type.Object(
  {
    kind: Type.Union([Type.Literal('reconsideration'), Type.Literal('litigation')]),
    on: Day('The day the application or lawsuit was filed'),
    body: Ref('The reconsideration body or the court'),
    reference: Ref('Its case reference'),
  },
  { additionalProperties: false },
);
const ReviewConcluded = Type.Object(
  {
    outcome: Type.Union([Type.Literal('upheld'), Type.Literal('varied'), Type.Literal('revoked')]),
    revisedFineFen: Type.Optional(
      Type.Integer({ minimum: 0, description: 'The fine after a varied decision, in fen; never higher' }),
    ),
    on: Day('The day the reconsideration decision or judgment took effect'),
    reference: Ref('The reference of that decision or judgment'),
  },
  { additionalProperties: false },
);
const Referral = Type.Object(
  {
    on: Day('The day of the application to the court'),
    demandDeliveredOn: Type.Optional(
      Day(
        'The day the demand to pay (催告书) reached the party; default: the recorded delivery of the one issued',
      ),
    ),
    court: Ref('The court applied to'),
    reference: Ref('The application reference'),
    finalDocumentRef: Type.Optional(
      Ref('After a reconsideration or lawsuit: the decision or judgment that made the penalty final'),
    ),
  },
  { additionalProperties: false },
);
const Enforced = Type.Object(
  { on: Day('The day the court enforced the decision'), reference: Ref('The court document reference') },
  { additionalProperties: false },
);

export interface AfterDecisionDeps {
  afterDecision: AfterDecisionService;
}

/** What a step answers: where the case stands now. */
const summary = (s: CaseSnapshot) => ({ state: s.state, fineFen: s.fineFen, outcome: s.outcome ?? null });

/** The after-decision steps of the JSON API. */
export const afterDecisionRoutes: FastifyPluginAsyncTypebox<AfterDecisionDeps> = async (
  app,
  { afterDecision },
) => {
  const step = <S extends TSchema>(
    path: string,
    body: S,
    title: string,
    run: (staff: StaffPrincipal, id: string, input: Static<S>) => Promise<CaseSnapshot>,
  ) =>
    app.post(
      `/api/cases/:id/${path}`,
      {
        schema: { tags: ['cases'], summary: title, params: CaseId, body },
        preValidation: app.csrfProtection,
        preHandler: requireStaff('admin', 'legal_reviewer'),
      },
      async (request) => summary(await run(staffOf(request), request.params.id, request.body)),
    );

  step(
    'review-started',
    ReviewStarted,
    'Record an administrative reconsideration or lawsuit against the decision',
    (staff, id, input) => afterDecision.startReview(staff, id, input),
  );
  step(
    'review-concluded',
    ReviewConcluded,
    'Record how the reconsideration or lawsuit ended',
    (staff, id, input) => afterDecision.concludeReview(staff, id, input),
  );
  step(
    'enforcement-referral',
    Referral,
    'Record the application to the court to enforce an unpaid fine',
    (staff, id, input) => afterDecision.referForEnforcement(staff, id, input),
  );
  step('enforced', Enforced, 'Close a case the court has enforced', (staff, id, input) =>
    afterDecision.closeEnforced(staff, id, input),
  );
};
