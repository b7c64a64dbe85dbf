import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { StaffPrincipal } from '../auth/principal.js';
import { ValidationError } from '../shared/errors.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { CaseId, type AfterDecisionDeps } from './after-decision.routes.js';
import type { CaseSnapshot } from './case-state.js';

/*
 * The after-decision steps posted from the case page's forms (after-decision.view.ts): answered with a redirect
 * back to the case, or the error page naming what was refused (its message in #after-decision-error).
 */

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
type FormFields = Static<typeof Form>;

/** A form field, trimmed; undefined when left empty. */
const given = (value: string | undefined) => value?.trim() || undefined;

/** One of the allowed values, or the refusal the service would give for any other. */
function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], refusal: string): T {
  const found = allowed.find((a) => a === given(value));
  if (found === undefined) throw new ValidationError(refusal);
  return found;
}

/** The fine in yuan as fen; a value that is not a number is left for the service to refuse. */
function fineFen(yuan: string | undefined): number | undefined {
  if (!given(yuan)) return undefined;
  const value = Number(yuan);
  return Number.isFinite(value) ? Math.round(value * 100) : Number.NaN;
}

export const afterDecisionPageRoutes: FastifyPluginAsyncTypebox<AfterDecisionDeps> = async (
  app,
  { afterDecision },
) => {
  const steps: Record<string, (staff: StaffPrincipal, id: string, f: FormFields) => Promise<CaseSnapshot>> = {
    'review-started': (staff, id, f) =>
      afterDecision.startReview(staff, id, {
        kind: oneOf(f.kind, ['reconsideration', 'litigation'], 'kind is reconsideration or litigation'),
        on: given(f.on) ?? '',
        body: given(f.body) ?? '',
        reference: given(f.reference) ?? '',
      }),
    'review-concluded': (staff, id, f) =>
      afterDecision.concludeReview(staff, id, {
        outcome: oneOf(f.outcome, ['upheld', 'varied', 'revoked'], 'outcome is upheld, varied or revoked'),
        revisedFineFen: fineFen(f.revisedFineYuan),
        on: given(f.on) ?? '',
        reference: given(f.reference) ?? '',
      }),
    'enforcement-referral': (staff, id, f) =>
      afterDecision.referForEnforcement(staff, id, {
        on: given(f.on) ?? '',
        demandDeliveredOn: given(f.demandDeliveredOn),
        court: given(f.court) ?? '',
        reference: given(f.reference) ?? '',
        finalDocumentRef: given(f.finalDocumentRef),
      }),
    enforced: (staff, id, f) =>
      afterDecision.closeEnforced(staff, id, { on: given(f.on) ?? '', reference: given(f.reference) ?? '' }),
  };

  for (const [step, run] of Object.entries(steps)) {
    app.post(
      `/staff/cases/:id/${step}`,
      {
        schema: { hide: true, params: CaseId, body: Form },
        config: { errorPage: { id: 'after-decision-error', back: '/staff/cases/:id' } },
        preValidation: app.csrfProtection,
        preHandler: staffPage(),
      },
      async (request, reply) => {
        await run(pageStaff(request), request.params.id, request.body);
        return reply.redirect(`/staff/cases/${request.params.id}`, 303);
      },
    );
  }
};
