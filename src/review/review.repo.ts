import type { Queryable } from '../db/pool.js';
import type { ReviewStage } from './review-reasons.js';

export interface ReviewTaskRow {
  id: string;
  violation_id: string;
  district_id: string;
  stage: ReviewStage;
  status: 'open' | 'claimed' | 'done' | 'cancelled';
  priority: number;
  violation_type: string;
  camera_id: string;
  claimed_by: string | null;
  lease_expires_at: Date | null;
  decision: string | null;
  reason_code: string | null;
  reason_text: string | null;
  created_at: Date;
}

export interface ClaimFilter {
  /** null: every district (admins) */
  districtId: string | null;
  stage: ReviewStage;
  violationType?: string;
  cameraId?: string;
  order: 'oldest' | 'priority';
}

/** The task this reviewer already holds at this stage, if its lease still runs (a reload resumes it). */
export async function findHeldTask(
  db: Queryable,
  reviewerId: string,
  stage: ReviewStage,
): Promise<ReviewTaskRow | null> {
  const { rows } = await db.query<ReviewTaskRow>(
    `select * from review_tasks where claimed_by = $1 and stage = $2 and status = 'claimed' and lease_expires_at > now()
      order by created_at limit 1`,
    [reviewerId, stage],
  );
  return rows[0] ?? null;
}

/**
 * Claims the next task: open ones, and claimed ones whose lease ran out. `for update skip locked` lets any number
 * of reviewers claim at once without waiting on each other or ever getting the same row.
 */
export async function claimNextTask(
  db: Queryable,
  reviewerId: string,
  f: ClaimFilter,
  leaseSeconds: number,
): Promise<ReviewTaskRow | null> {
  const order = f.order === 'priority' ? 'priority desc, created_at' : 'created_at';
  const { rows } = await db.query<ReviewTaskRow>(
    `update review_tasks t
        set status = 'claimed', claimed_by = $1, lease_expires_at = now() + make_interval(secs => $2)
      where t.id = (
        select id from review_tasks
         where stage = $3
           and ($4::text is null or district_id = $4)
           and ($5::text is null or violation_type = $5)
           and ($6::uuid is null or camera_id = $6)
           and (status = 'open' or (status = 'claimed' and lease_expires_at < now()))
         order by ${order}
         limit 1
         for update skip locked)
      returning t.*`,
    [reviewerId, leaseSeconds, f.stage, f.districtId, f.violationType ?? null, f.cameraId ?? null],
  );
  return rows[0] ?? null;
}

export async function findTask(db: Queryable, id: string): Promise<ReviewTaskRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<ReviewTaskRow>('select * from review_tasks where id = $1', [id]);
  return rows[0] ?? null;
}

/** Records the decision if, and only if, this reviewer still holds the task; returns false otherwise. */
export async function completeTask(
  db: Queryable,
  id: string,
  reviewerId: string,
  d: { decision: string; reasonCode: string | null; reasonText: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update review_tasks set status = 'done', decision = $3, reason_code = $4, reason_text = $5, decided_by = $2, decided_at = now(),
            lease_expires_at = null
      where id = $1 and status = 'claimed' and claimed_by = $2 and lease_expires_at > now()`,
    [id, reviewerId, d.decision, d.reasonCode, d.reasonText],
  );
  return rowCount === 1;
}

export async function releaseTask(db: Queryable, id: string, reviewerId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update review_tasks set status = 'open', claimed_by = null, lease_expires_at = null
      where id = $1 and status = 'claimed' and claimed_by = $2`,
    [id, reviewerId],
  );
  return rowCount === 1;
}

export async function extendLease(
  db: Queryable,
  id: string,
  reviewerId: string,
  leaseSeconds: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update review_tasks set lease_expires_at = now() + make_interval(secs => $3)
      where id = $1 and status = 'claimed' and claimed_by = $2 and lease_expires_at > now()`,
    [id, reviewerId, leaseSeconds],
  );
  return rowCount === 1;
}

export async function insertReviewTask(
  db: Queryable,
  t: {
    violationId: string;
    districtId: string;
    stage: ReviewStage;
    violationType: string;
    cameraId: string;
    priority?: number;
  },
): Promise<void> {
  await db.query(
    `insert into review_tasks (violation_id, district_id, stage, violation_type, camera_id, priority)
     values ($1, $2, $3, $4, $5, $6) on conflict (violation_id, stage) do nothing`,
    [t.violationId, t.districtId, t.stage, t.violationType, t.cameraId, t.priority ?? 0],
  );
}

/** The violation's review tasks not yet decided are cancelled (it closed otherwise, e.g. corrected on site). */
export async function cancelOpenReviewTasks(db: Queryable, violationId: string): Promise<number> {
  const { rowCount } = await db.query(
    `update review_tasks set status = 'cancelled', lease_expires_at = null
      where violation_id = $1 and status in ('open', 'claimed')`,
    [violationId],
  );
  return rowCount ?? 0;
}

export async function queueCounts(
  db: Queryable,
  districtId: string | null,
): Promise<{ stage: string; open: number; claimed: number }[]> {
  const { rows } = await db.query<{ stage: string; open: number; claimed: number }>(
    `select stage, count(*) filter (where status = 'open')::int as open, count(*) filter (where status = 'claimed')::int as claimed
       from review_tasks where status in ('open', 'claimed') and ($1::text is null or district_id = $1)
      group by stage order by stage`,
    [districtId],
  );
  return rows;
}
