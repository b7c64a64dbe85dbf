import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { afterDecisionRoutes } from './after-decision.routes.js';
import { AfterDecisionService } from './after-decision.service.js';
import { casePageRoutes } from './case-pages.routes.js';
import { caseRoutes } from './case.routes.js';
import { CaseService } from './case.service.js';
import { HearingService } from './hearing.service.js';
import { StatementReviewService } from './statement-review.service.js';

/**
 * The staff side of cases: the API under /api/cases and /api/statements, and the pages under /staff/cases,
 * from the statement review to the court's enforcement.
 */
export async function casesPlugin(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const cases = new CaseService(deps.pool);
  const statements = new StatementReviewService(deps.pool, cases);
  const afterDecision = new AfterDecisionService(deps.pool, cases);
  const hearings = new HearingService(cases);
  await app.register(caseRoutes, { ...deps, statements, hearings });
  await app.register(casePageRoutes, { ...deps, statements, afterDecision });
  await app.register(afterDecisionRoutes, { ...deps, afterDecision });
}
