import { districtScope, type StaffPrincipal } from '../../auth/principal.js';
import type { Pool } from '../../db/pool.js';
import { queueCounts } from '../../review/review.repo.js';

/*
 * An example page to copy, in three parts: this page-data function (typed props, SQL only through a
 * repository), a view (example-pages.view.ts) and a route (example-pages.routes.ts). It is not registered.
 */

/** 1. Page data: what the page shows, as typed props. No HTML here, and no SQL (that is in `*.repo.ts`). */
export interface OpenTasksPage {
  stages: { stage: string; open: number }[];
}

export async function openTasksPage(
  pool: Pool,
  staff: StaffPrincipal,
  stage: string,
): Promise<OpenTasksPage> {
  const counts = await queueCounts(pool, districtScope(staff));
  return { stages: counts.filter((c) => c.stage === stage).map(({ open }) => ({ stage, open })) };
}
