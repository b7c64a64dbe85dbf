import type { Queryable } from '../db/pool.js';
import type { SpotJudgement } from '../rules/spot-judgement.js';

/** The spot checks of complaints (migration 0037): frames taken on request, kept outside the frames table. */

export type SpotCheckStatus = 'pending' | 'done' | 'failed';

export interface SpotCheckRow {
  id: string;
  complaintId: string;
  districtId: string;
  cameraId: string;
  cameraName: string | null;
  requestedBy: string;
  requestedByName: string | null;
  requestedAt: Date;
  imageKey: string;
  sha256: string;
  status: SpotCheckStatus;
  result: SpotJudgement | null;
  finishedAt: Date | null;
  error: string | null;
}

const SELECT = `
  select s.id, s.complaint_id as "complaintId", c.district_id as "districtId", s.camera_id as "cameraId",
         cam.name as "cameraName", s.requested_by as "requestedBy", u.display_name as "requestedByName",
         s.requested_at as "requestedAt", s.image_key as "imageKey", s.sha256, s.status, s.result,
         s.finished_at as "finishedAt", s.error
    from complaint_spot_checks s
    join complaints c on c.id = s.complaint_id
    left join cameras cam on cam.id = s.camera_id
    left join staff_users u on u.id = s.requested_by`;

export async function insertSpotCheck(
  db: Queryable,
  input: { complaintId: string; cameraId: string; requestedBy: string; imageKey: string; sha256: string },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into complaint_spot_checks (complaint_id, camera_id, requested_by, image_key, sha256)
     values ($1, $2, $3, $4, $5) returning id`,
    [input.complaintId, input.cameraId, input.requestedBy, input.imageKey, input.sha256],
  );
  return rows[0]!.id;
}

/** A complaint's spot checks, newest first, within the district scope (null: every district). */
export async function listSpotChecks(
  db: Queryable,
  complaintId: string,
  scope: string | null,
): Promise<SpotCheckRow[]> {
  const { rows } = await db.query<SpotCheckRow>(
    `${SELECT} where s.complaint_id = $1 and ($2::text is null or c.district_id = $2)
      order by s.requested_at desc, s.id`,
    [complaintId, scope],
  );
  return rows;
}

/** One spot check of a complaint, within the district scope (null: every district). */
export async function findSpotCheck(
  db: Queryable,
  complaintId: string,
  id: string,
  scope: string | null,
): Promise<SpotCheckRow | null> {
  const { rows } = await db.query<SpotCheckRow>(
    `${SELECT} where s.id = $1 and s.complaint_id = $2 and ($3::text is null or c.district_id = $3)`,
    [id, complaintId, scope],
  );
  return rows[0] ?? null;
}

/** The check a job works on, with the camera's current version (its zones as they are now). */
export async function findSpotCheckForJob(
  db: Queryable,
  id: string,
): Promise<(SpotCheckRow & { cameraVersion: number }) | null> {
  const { rows } = await db.query<SpotCheckRow & { cameraVersion: number }>(
    `${SELECT.replace('cam.name as "cameraName"', 'cam.name as "cameraName", cam.version as "cameraVersion"')}
      where s.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Records the result of a pending check; false when it was no longer pending (a retried job). */
export async function finishSpotCheck(
  db: Queryable,
  id: string,
  outcome: { status: 'done'; result: SpotJudgement } | { status: 'failed'; error: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update complaint_spot_checks
        set status = $2, result = $3, error = $4, finished_at = now()
      where id = $1 and status = 'pending'`,
    [
      id,
      outcome.status,
      outcome.status === 'done' ? JSON.stringify(outcome.result) : null,
      outcome.status === 'failed' ? outcome.error.slice(0, 1000) : null,
    ],
  );
  return (rowCount ?? 0) > 0;
}
