import { createHash } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { StaffRole } from '../auth/principal.js';

/**
 * The command screen's read model: today's and yesterday's counts, the review backlog, the cameras with their
 * health and position. Every query takes the district scope (null: the whole city), never a request's value.
 */

/** A count of today so far and of yesterday up to the same time of day. */
export interface TodayYesterday {
  today: number;
  yesterday: number;
}

export interface DayCounts {
  frames: { today: number; yesterday: number };
  violations: TodayYesterday;
  reviewsDone: TodayYesterday;
  casesFiled: TodayYesterday;
  payments: TodayYesterday;
  paidFen: TodayYesterday;
}

export interface Windows {
  todayStart: Date;
  now: Date;
  yesterdayStart: Date;
  yesterdayNow: Date;
}

interface CountRow {
  frames_today: number;
  frames_yesterday: number;
  violations_today: number;
  violations_yesterday: number;
  reviews_today: number;
  reviews_yesterday: number;
  cases_today: number;
  cases_yesterday: number;
  payments_today: number;
  payments_yesterday: number;
  paid_today: string;
  paid_yesterday: string;
}

/**
 * The day's counts in one round trip. $1 scope, $2 today's start, $3 now, $4 yesterday's start, $5 yesterday's
 * "now". Frames are counted from `camera_frame_counts` (ten-minute buckets kept by a trigger, migration 0034),
 * since retention deletes the frame rows themselves within the hour.
 */
export async function dayCounts(db: Queryable, scope: string | null, w: Windows): Promise<DayCounts> {
  const { rows } = await db.query<CountRow>(
    `with f as (
       select coalesce(sum(n.frames) filter (where n.bucket >= $2 and n.bucket < $3), 0)::int as today,
              coalesce(sum(n.frames) filter (where n.bucket >= $4 and n.bucket < $5), 0)::int as yesterday
         from camera_frame_counts n join cameras c on c.id = n.camera_id
        where n.bucket >= $4 and n.bucket < $3 and ($1::text is null or c.district_id = $1)
     ), v as (
       select count(*) filter (where created_at >= $2 and created_at < $3)::int as today,
              count(*) filter (where created_at >= $4 and created_at < $5)::int as yesterday
         from violations
        where created_at >= $4 and created_at < $3 and ($1::text is null or district_id = $1)
     ), r as (
       select count(*) filter (where decided_at >= $2 and decided_at < $3)::int as today,
              count(*) filter (where decided_at >= $4 and decided_at < $5)::int as yesterday
         from review_tasks
        where status = 'done' and decided_at >= $4 and decided_at < $3 and ($1::text is null or district_id = $1)
     ), k as (
       select count(*) filter (where filed_at >= $2 and filed_at < $3)::int as today,
              count(*) filter (where filed_at >= $4 and filed_at < $5)::int as yesterday
         from cases
        where filed_at >= $4 and filed_at < $3 and ($1::text is null or district_id = $1)
     ), p as (
       select count(*) filter (where p.paid_at >= $2 and p.paid_at < $3)::int as today,
              count(*) filter (where p.paid_at >= $4 and p.paid_at < $5)::int as yesterday,
              coalesce(sum(p.amount_fen) filter (where p.paid_at >= $2 and p.paid_at < $3), 0) as paid_today,
              coalesce(sum(p.amount_fen) filter (where p.paid_at >= $4 and p.paid_at < $5), 0) as paid_yesterday
         from payments p join cases c on c.id = p.case_id
        where p.status = 'paid' and p.paid_at >= $4 and p.paid_at < $3
          and ($1::text is null or c.district_id = $1)
     )
     select f.today as frames_today, f.yesterday as frames_yesterday,
            v.today as violations_today, v.yesterday as violations_yesterday,
            r.today as reviews_today, r.yesterday as reviews_yesterday,
            k.today as cases_today, k.yesterday as cases_yesterday,
            p.today as payments_today, p.yesterday as payments_yesterday,
            p.paid_today, p.paid_yesterday
       from f, v, r, k, p`,
    [scope, w.todayStart, w.now, w.yesterdayStart, w.yesterdayNow],
  );
  const r = rows[0]!;
  return {
    frames: { today: r.frames_today, yesterday: r.frames_yesterday },
    violations: { today: r.violations_today, yesterday: r.violations_yesterday },
    reviewsDone: { today: r.reviews_today, yesterday: r.reviews_yesterday },
    casesFiled: { today: r.cases_today, yesterday: r.cases_yesterday },
    payments: { today: r.payments_today, yesterday: r.payments_yesterday },
    paidFen: { today: Number(r.paid_today), yesterday: Number(r.paid_yesterday) },
  };
}

export interface Backlog {
  /** review tasks open or claimed, both stages */
  open: number;
  evidence: number;
  legal: number;
  oldestCreatedAt: Date | null;
}

export async function reviewBacklogOf(db: Queryable, scope: string | null): Promise<Backlog> {
  const { rows } = await db.query<Backlog>(
    `select count(*)::int as open,
            count(*) filter (where stage = 'evidence')::int as evidence,
            count(*) filter (where stage = 'legal')::int as legal,
            min(created_at) as "oldestCreatedAt"
       from review_tasks
      where status in ('open', 'claimed') and ($1::text is null or district_id = $1)`,
    [scope],
  );
  return rows[0]!;
}

export interface ScreenCameraRow {
  id: string;
  name: string;
  districtId: string;
  latitude: number | null;
  longitude: number | null;
  enabled: boolean;
  sampleIntervalS: number;
  lastFrameAt: Date | null;
  lastErrorAt: Date | null;
  /** the newest frame's hash: the page reloads a tile's picture only when it changes */
  latestFrame: string | null;
}

/** The cameras of the scope with what their status is derived from (camera-status.ts), by name. */
export async function screenCameras(
  db: Queryable,
  scope: string | null,
  limit: number,
): Promise<ScreenCameraRow[]> {
  const { rows } = await db.query<ScreenCameraRow>(
    `select c.id, c.name, c.district_id as "districtId", c.latitude, c.longitude, c.enabled,
            c.sample_interval_s as "sampleIntervalS", h.last_frame_at as "lastFrameAt",
            h.last_error_at as "lastErrorAt", h.latest_frame_sha256 as "latestFrame"
       from cameras c left join camera_health h on h.camera_id = c.id
      where ($1::text is null or c.district_id = $1)
      order by c.name, c.id
      limit $2`,
    [scope, limit],
  );
  return rows;
}

/**
 * Whether the session behind a stream still stands for the same member of staff, role and district, without
 * sliding its expiry (watching the screen is not activity): a stream ends when the session expires, is signed
 * out, or its user is disabled or moved.
 */
export async function sessionStillValid(
  db: Queryable,
  token: string,
  who: { userId: string; role: StaffRole; districtId: string | null },
): Promise<boolean> {
  const hash = createHash('sha256').update(token).digest();
  const { rows } = await db.query(
    `select 1 from staff_sessions s join staff_users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > now() and u.active
        and u.id = $2 and u.role::text = $3 and u.district_id is not distinct from $4`,
    [hash, who.userId, who.role, who.districtId],
  );
  return rows.length > 0;
}
