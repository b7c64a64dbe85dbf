import type { Queryable } from '../db/pool.js';
import { cameraStatus, type CameraStatus } from './camera-status.js';

export interface CameraHealthView {
  status: CameraStatus;
  lastFrameAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  framesTotal: number;
  dropsTotal: number;
  errorsTotal: number;
  framesLastMinute: number;
  /** share of reviewed violations of this camera rejected as not a violation or a false detection */
  falsePositiveRate: number | null;
  reviewed: number;
}

const FALSE_POSITIVE_REASONS = ['false_detection', 'not_violation'];

export async function listCameraHealth(
  db: Queryable,
  cameraIds: readonly string[],
  now = new Date(),
): Promise<Map<string, CameraHealthView>> {
  if (cameraIds.length === 0) return new Map();
  const { rows } = await db.query<{
    id: string;
    sample_interval_s: number;
    last_frame_at: Date | null;
    last_error: string | null;
    last_error_at: Date | null;
    frames_total: number | null;
    drops_total: number | null;
    errors_total: number | null;
    frames_last_minute: number;
    reviewed: number;
    false_positives: number;
  }>(
    `select c.id, c.sample_interval_s, h.last_frame_at, h.last_error, h.last_error_at, h.frames_total, h.drops_total, h.errors_total,
            (select count(*)::int from frames f where f.camera_id = c.id and f.created_at > now() - interval '1 minute') as frames_last_minute,
            coalesce(r.reviewed, 0) as reviewed, coalesce(r.false_positives, 0) as false_positives
       from cameras c
       left join camera_health h on h.camera_id = c.id
       left join lateral (
         select count(*)::int as reviewed,
                count(*) filter (where t.decision = 'reject' and t.reason_code = any($2::text[]))::int as false_positives
           from review_tasks t where t.camera_id = c.id and t.status = 'done'
       ) r on true
      where c.id = any($1::uuid[])`,
    [cameraIds, FALSE_POSITIVE_REASONS],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        status: cameraStatus({
          lastFrameAt: r.last_frame_at,
          lastErrorAt: r.last_error_at,
          sampleIntervalS: r.sample_interval_s,
          now,
        }),
        lastFrameAt: r.last_frame_at,
        lastError: r.last_error,
        lastErrorAt: r.last_error_at,
        framesTotal: r.frames_total ?? 0,
        dropsTotal: r.drops_total ?? 0,
        errorsTotal: r.errors_total ?? 0,
        framesLastMinute: r.frames_last_minute,
        falsePositiveRate: r.reviewed > 0 ? r.false_positives / r.reviewed : null,
        reviewed: r.reviewed,
      },
    ]),
  );
}

export async function recordCameraError(db: Queryable, cameraId: string, message: string): Promise<void> {
  await db.query(
    `insert into camera_health (camera_id, last_error, last_error_at, errors_total, updated_at) values ($1, $2, now(), 1, now())
     on conflict (camera_id) do update set last_error = excluded.last_error, last_error_at = now(),
       errors_total = camera_health.errors_total + 1, updated_at = now()`,
    [cameraId, message.slice(0, 500)],
  );
}

/** A camera's frames resumed after a gap of `ms` (from the last frame before the failure to the first after). */
export async function recordCameraOutage(
  db: Queryable,
  cameraId: string,
  outage: { ms: number; endedAt: Date },
): Promise<void> {
  await db.query(
    `insert into camera_health (camera_id, outages_total, outage_ms_total, last_outage_ms, last_outage_at, updated_at)
     values ($1, 1, $2, $2, $3, now())
     on conflict (camera_id) do update set outages_total = camera_health.outages_total + 1,
       outage_ms_total = camera_health.outage_ms_total + excluded.last_outage_ms,
       last_outage_ms = excluded.last_outage_ms, last_outage_at = excluded.last_outage_at, updated_at = now()`,
    [cameraId, Math.round(outage.ms), outage.endedAt],
  );
}

/** Where a camera's frame numbering stands: the last sequence number given and its capture time. */
export async function findCameraSequence(
  db: Queryable,
  cameraId: string,
): Promise<{ last_seq: number; last_captured_at: Date | null } | null> {
  const { rows } = await db.query<{ last_seq: number; last_captured_at: Date | null }>(
    'select last_seq, last_captured_at from camera_health where camera_id = $1',
    [cameraId],
  );
  return rows[0] ?? null;
}

/** A frame entered the pipeline: counted, and it becomes the camera's latest frame and sequence position. */
export async function recordFrameTaken(
  tx: Queryable,
  cameraId: string,
  frame: { seq: number; capturedAt: Date; sha256: string; width: number; height: number },
): Promise<void> {
  await tx.query(
    `insert into camera_health (camera_id, last_frame_at, frames_total, last_seq, last_captured_at,
                                latest_frame_sha256, latest_frame_width, latest_frame_height, updated_at)
     values ($1, now(), 1, $2, $3, $4, $5, $6, now())
     on conflict (camera_id) do update set last_frame_at = now(),
       frames_total = camera_health.frames_total + 1, last_seq = excluded.last_seq,
       last_captured_at = excluded.last_captured_at, latest_frame_sha256 = excluded.latest_frame_sha256,
       latest_frame_width = excluded.latest_frame_width, latest_frame_height = excluded.latest_frame_height,
       updated_at = now()`,
    [cameraId, frame.seq, frame.capturedAt, frame.sha256, frame.width, frame.height],
  );
}

/** A waiting frame of the camera was replaced by a newer one before detection. */
export async function recordFrameDropped(tx: Queryable, cameraId: string): Promise<void> {
  await tx.query(
    'update camera_health set drops_total = drops_total + 1, updated_at = now() where camera_id = $1',
    [cameraId],
  );
}

/** A frame taken outside the pipeline (staff asked for one) becomes the frame zones are drawn on. */
export async function setLatestFrame(
  db: Queryable,
  cameraId: string,
  frame: { sha256: string; width: number; height: number },
): Promise<void> {
  await db.query(
    `insert into camera_health (camera_id, latest_frame_sha256, latest_frame_width, latest_frame_height) values ($1, $2, $3, $4)
     on conflict (camera_id) do update set latest_frame_sha256 = excluded.latest_frame_sha256,
       latest_frame_width = excluded.latest_frame_width, latest_frame_height = excluded.latest_frame_height, updated_at = now()`,
    [cameraId, frame.sha256, frame.width, frame.height],
  );
}

export async function findLatestFrameSha256(db: Queryable, cameraId: string): Promise<string | null> {
  const { rows } = await db.query<{ latest_frame_sha256: string | null }>(
    'select latest_frame_sha256 from camera_health where camera_id = $1',
    [cameraId],
  );
  return rows[0]?.latest_frame_sha256 ?? null;
}
