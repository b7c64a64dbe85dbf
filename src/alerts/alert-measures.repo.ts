import type { Queryable } from '../db/pool.js';
import type { ScheduleWindow } from '../zones/zone.schema.js';

/** What the alert rules measure in Postgres (src/alerts/alert-rules.ts, capture-volume.ts decide on it). */

export interface CameraForAlerts {
  id: string;
  districtId: string;
  sampleIntervalS: number;
  schedule: { always?: boolean; windows?: ScheduleWindow[] } | null;
  createdAt: Date;
  lastFrameAt: Date | null;
  lastErrorAt: Date | null;
}

/** Every enabled camera with what its status is derived from. */
export async function camerasForAlerts(db: Queryable): Promise<CameraForAlerts[]> {
  const { rows } = await db.query<CameraForAlerts>(
    `select c.id, c.district_id as "districtId", c.sample_interval_s as "sampleIntervalS", c.schedule,
            c.created_at as "createdAt", h.last_frame_at as "lastFrameAt", h.last_error_at as "lastErrorAt"
       from cameras c left join camera_health h on h.camera_id = c.id
      where c.enabled`,
  );
  return rows;
}

export interface CaptureCount {
  cameraId: string;
  districtId: string;
  /** 0: the hour just past; k: the same hour k weeks before */
  week: number;
  /** null on the row of a week without any capture */
  rule: string | null;
  n: number;
}

/**
 * Violation candidates (every capture the rules made, whatever became of it) per enabled camera and rule in the
 * hour before `end` and in the same hour of each of the `weeks` weeks before. A week before the camera was
 * registered has no row at all, so it is left out of the baseline rather than counted as zero.
 */
export async function captureCounts(db: Queryable, end: Date, weeks: number): Promise<CaptureCount[]> {
  const { rows } = await db.query<CaptureCount>(
    `with w as (
       select k, $1::timestamptz - make_interval(weeks => k) as e from generate_series(0, $2::int) k
     )
     select c.id as "cameraId", c.district_id as "districtId", w.k as week, vc.rule, count(vc.camera_id)::int as n
       from cameras c
       join w on c.created_at <= w.e - interval '1 hour'
       left join violation_candidates vc
         on vc.camera_id = c.id and vc.created_at >= w.e - interval '1 hour' and vc.created_at < w.e
      where c.enabled
      group by c.id, c.district_id, w.k, vc.rule`,
    [end, weeks],
  );
  return rows;
}

/** The same reasons as the camera page's false-positive share (camera-health.repo.ts). */
const FALSE_POSITIVE_REASONS = ['false_detection', 'not_violation'];

export interface ReviewOutcomeCount {
  cameraId: string;
  districtId: string;
  reviewed: number;
  rejected: number;
}

/** Review decisions (approve or reject) per enabled camera since `since`, and those rejected as false positives. */
export async function reviewOutcomes(db: Queryable, since: Date): Promise<ReviewOutcomeCount[]> {
  const { rows } = await db.query<ReviewOutcomeCount>(
    `select c.id as "cameraId", c.district_id as "districtId",
            count(t.id)::int as reviewed,
            count(t.id) filter (where t.decision = 'reject' and t.reason_code = any($2::text[]))::int as rejected
       from cameras c
       left join review_tasks t on t.camera_id = c.id and t.status = 'done' and t.decided_at >= $1
                              and t.decision in ('approve', 'reject')
      where c.enabled
      group by c.id, c.district_id`,
    [since, FALSE_POSITIVE_REASONS],
  );
  return rows;
}

export interface BacklogCount {
  districtId: string;
  overdue: number;
  oldestAt: Date | null;
}

/** Per district: review tasks waiting (open or claimed) since before `cutoff`, and the oldest waiting task. */
export async function reviewBacklogs(db: Queryable, cutoff: Date): Promise<BacklogCount[]> {
  const { rows } = await db.query<BacklogCount>(
    `select d.id as "districtId",
            count(t.id) filter (where t.created_at <= $1)::int as overdue,
            min(t.created_at) as "oldestAt"
       from districts d
       left join review_tasks t on t.district_id = d.id and t.status in ('open', 'claimed')
      group by d.id`,
    [cutoff],
  );
  return rows;
}

export interface DetectorFigures {
  detections: number;
  failedFrames: number;
  framesWaiting: number;
}

/** Detections stored and frames failed since `since`; frames still queued for detection since before `waitCutoff`. */
export async function detectorFigures(
  db: Queryable,
  since: Date,
  waitCutoff: Date,
): Promise<DetectorFigures> {
  const { rows } = await db.query<DetectorFigures>(
    `select (select count(*)::int from detections where created_at >= $1) as detections,
            (select count(*)::int from frames where status = 'failed' and created_at >= $1) as "failedFrames",
            (select count(*)::int from frames where status = 'queued' and created_at <= $2
                and created_at >= $2::timestamptz - interval '1 day') as "framesWaiting"`,
    [since, waitCutoff],
  );
  return rows[0]!;
}
