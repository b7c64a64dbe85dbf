import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { AppDeps } from '../app/deps.js';
import { DomainError } from '../shared/errors.js';
import { html } from '../web/html.js';
import { page, sendPage } from '../web/layout.js';
import type {
  AfterDecisionService,
  EnforcedInput,
  ReferralInput,
  ReviewConcludedInput,
  ReviewStartedInput,
} from './after-decision.service.js';
import type { CaseSnapshot } from './case-state.js';

/*
 * After the decision: the API under /api/cases/:id/… and the same four steps as plain forms of the staff case
 * page (posted to /staff/cases/:id/…, answered with a redirect back or a page naming what was refused).
 */

const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });
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

type Deps = AppDeps & { afterDecision: AfterDecisionService };
type Step = 'review-started' | 'review-concluded' | 'enforcement-referral' | 'enforced';

const summary = (s: CaseSnapshot) => ({ state: s.state, fineFen: s.fineFen, outcome: s.outcome ?? null });

function stepRunners(afterDecision: AfterDecisionService) {
  const run: Record<Step, (staff: StaffPrincipal, id: string, body: never) => Promise<CaseSnapshot>> = {
    'review-started': (staff, id, body: ReviewStartedInput) => afterDecision.startReview(staff, id, body),
    'review-concluded': (staff, id, body: ReviewConcludedInput) =>
      afterDecision.concludeReview(staff, id, body),
    'enforcement-referral': (staff, id, body: ReferralInput) =>
      afterDecision.referForEnforcement(staff, id, body),
    enforced: (staff, id, body: EnforcedInput) => afterDecision.closeEnforced(staff, id, body),
  };
  return run;
}

const STEPS: [Step, TSchema, string][] = [
  [
    'review-started',
    ReviewStarted,
    'Record an administrative reconsideration or lawsuit against the decision',
  ],
  ['review-concluded', ReviewConcluded, 'Record how the reconsideration or lawsuit ended'],
  ['enforcement-referral', Referral, 'Record the application to the court to enforce an unpaid fine'],
  ['enforced', Enforced, 'Close a case the court has enforced'],
];

/** The after-decision steps of the JSON API. */
export async function afterDecisionRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const run = stepRunners(deps.afterDecision);
  for (const [step, body, title] of STEPS) {
    app.post(
      `/api/cases/:id/${step}`,
      {
        schema: { tags: ['cases'], summary: title, params: CaseId, body },
        preValidation: app.csrfProtection,
        preHandler: requireStaff('admin', 'legal_reviewer'),
      },
      async (request) =>
        summary(
          await run[step](staffOf(request), (request.params as { id: string }).id, request.body as never),
        ),
    );
  }
}

/** The same steps posted from the case page's forms. */
export async function afterDecisionPageRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const run = stepRunners(deps.afterDecision);
  // The page's forms send strings; empty optional fields are left out, the fine is given in yuan.
  const FormField = Type.Optional(Type.String({ maxLength: 200 }));
  const Form = Type.Object({
    _csrf: Type.String(),
    kind: FormField,
    outcome: FormField,
    revisedFineYuan: FormField,
    on: FormField,
    demandDeliveredOn: FormField,
    body: FormField,
    court: FormField,
    reference: FormField,
    finalDocumentRef: FormField,
  });
  for (const [step] of STEPS) {
    app.post(
      `/staff/cases/:id/${step}`,
      {
        schema: { hide: true, params: CaseId, body: Form },
        preValidation: app.csrfProtection,
        preHandler: async (request, reply) => {
          if (!request.staff) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
        },
      },
      async (request, reply) => {
        const id = (request.params as { id: string }).id;
        const { _csrf: _, revisedFineYuan, ...fields } = request.body as Record<string, string | undefined>;
        const input: Record<string, unknown> = Object.fromEntries(
          Object.entries(fields)
            .map(([k, v]) => [k, v?.trim()] as const)
            .filter(([, v]) => v),
        );
        if (revisedFineYuan?.trim()) {
          const yuan = Number(revisedFineYuan);
          input.revisedFineFen = Number.isFinite(yuan) ? Math.round(yuan * 100) : Number.NaN;
        }
        try {
          await run[step](request.staff as StaffPrincipal, id, input as never);
        } catch (error) {
          if (error instanceof DomainError)
            return sendPage(
              reply,
              page(
                { title: 'Case', staff: request.staff },
                html`<h1>Not recorded</h1>
                  <p class="error" id="after-decision-error">${error.message}</p>
                  <p><a href="/staff/cases/${id}">Back to the case</a></p>`,
              ),
              error.statusCode,
            );
          throw error;
        }
        return reply.redirect(`/staff/cases/${id}`, 303);
      },
    );
  }
}
