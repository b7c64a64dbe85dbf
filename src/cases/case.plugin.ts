import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/deps.js';
import { casePageRoutes } from './case-pages.routes.js';
import { caseRoutes } from './case.routes.js';
import { CaseService } from './case.service.js';
import { StatementReviewService } from './statement-review.service.js';

/** The staff side of cases: the API under /api/cases and /api/statements, and the pages under /staff/cases. */
export async function casesPlugin(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const statements = new StatementReviewService(deps.pool, new CaseService(deps.pool));
  await app.register(caseRoutes, { ...deps, statements });
  await app.register(casePageRoutes, { ...deps, statements });
}
