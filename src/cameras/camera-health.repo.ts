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
