import type { Queryable } from '../db/pool.js';
import type { ReviewBacklogRow } from '../metrics/pipeline-metrics.js';

/** Review tasks waiting for a decision, grouped for the metrics (served by the partial index on open tasks). */
export async function reviewBacklog(db: Queryable): Promise<ReviewBacklogRow[]> {
  const { rows } = await db.query<{
    district_id: string;
    stage: string;
    status: string;
    tasks: number;
    oldest_s: number;
  }>(
    `select district_id, stage, status, count(*)::int as tasks,
            extract(epoch from now() - min(created_at))::float8 as oldest_s
       from review_tasks
      where status in ('open', 'claimed')
      group by district_id, stage, status`,
  );
  return rows.map((r) => ({
    districtId: r.district_id,
    stage: r.stage,
    status: r.status,
    tasks: r.tasks,
    oldestSeconds: Math.max(0, r.oldest_s),
  }));
}
