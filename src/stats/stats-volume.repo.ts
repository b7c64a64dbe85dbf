import type { RowQuery as Queryable } from '../db/no-jit.js';
import type { StatsDimension, StatsQuery } from './stats-query.js';

/*
 * The pipeline's figures: frames sampled and detected (the per-day counts of stats_camera_days), violation
 * candidates, violations, review outcomes and warn-first outcomes, by district, street, camera, rule or type.
 * Violations count in the period of their capture (first_seen_at). Definitions: docs/statistics.md.
 */

/** The six parameters every query here takes, in this order. */
export function baseParams(q: StatsQuery): unknown[] {
  return [q.districtId, q.start, q.end, q.cameraId, q.rule, q.violationType];
}

/** Violations (alias v) in the query's district, period, camera, rule and type. */
export const VIOLATION_WHERE = `($1::text is null or v.district_id = $1)
   and v.first_seen_at >= $2 and v.first_seen_at < $3
   and ($4::uuid is null or v.camera_id = $4)
   and ($5::text is null or v.rule = $5)
   and ($6::text is null or v.violation_type = $6)`;

/** The key of a breakdown over violations (v) joined to their camera (c). */
function violationKey(by: StatsDimension): string {
  switch (by) {
    case 'district':
      return 'v.district_id';
    case 'street':
      return "coalesce(c.street, '')";
    case 'camera':
      return 'v.camera_id::text';
    case 'rule':
      return 'v.rule';
    case 'type':
      return 'v.violation_type';
  }
}

/** The camera join a breakdown needs (only the street is on the camera). */
function cameraJoin(by: StatsDimension): string {
  return by === 'street' ? 'join cameras c on c.id = v.camera_id' : '';
}

export interface ViolationCountRow {
  key: string;
  violations: number;
  warned: number;
  corrected: number;
  pending_review: number;
  approved: number;
  rejected: number;
}

export async function violationCounts(
  db: Queryable,
  q: StatsQuery,
  by: StatsDimension,
): Promise<ViolationCountRow[]> {
  const { rows } = await db.query<ViolationCountRow>(
    `select ${violationKey(by)} as key, count(*)::int as violations,
            count(*) filter (where v.status = 'warned')::int as warned,
            count(*) filter (where v.status = 'corrected')::int as corrected,
            count(*) filter (where v.status in ('pending_review', 'more_evidence'))::int as pending_review,
            count(*) filter (where v.status in ('approved', 'closed'))::int as approved,
            count(*) filter (where v.status = 'rejected')::int as rejected
       from violations v ${cameraJoin(by)}
      where ${VIOLATION_WHERE}
      group by 1 order by 2 desc, 1`,
    baseParams(q),
  );
  return rows;
}

export interface FrameCountRow {
  key: string;
  frames: number;
  detected_frames: number;
  detected_objects: number;
}

/** Frames counted per camera: by district, street or camera only (a frame has no rule or type). */
export async function frameCounts(
  db: Queryable,
  q: StatsQuery,
  by: 'district' | 'street' | 'camera',
): Promise<FrameCountRow[]> {
  const key = by === 'district' ? 'c.district_id' : by === 'street' ? "coalesce(c.street, '')" : 'c.id::text';
  const { rows } = await db.query<FrameCountRow>(
    `select ${key} as key, sum(s.frames)::bigint as frames, sum(s.detected_frames)::bigint as detected_frames,
            sum(s.detected_objects)::bigint as detected_objects
       from stats_camera_days s join cameras c on c.id = s.camera_id
      where ($1::text is null or c.district_id = $1) and s.day between $2::date and $3::date
        and ($4::uuid is null or s.camera_id = $4)
      group by 1`,
    [q.districtId, q.from, q.to, q.cameraId],
  );
  return rows;
}

export interface CandidateCountRow {
  key: string;
  candidates: number;
  warned: number;
  corrected: number;
  escalated: number;
  withdrawn: number;
  unchecked: number;
}

/**
 * Violation candidates (the rules' confirmed scenes, before evidence) created in the period, and the warn-first
 * outcomes of those that were warned (recheck_at set). By district, street, camera or rule (a candidate has no
 * type yet).
 */
export async function candidateCounts(
  db: Queryable,
  q: StatsQuery,
  by: 'district' | 'street' | 'camera' | 'rule',
): Promise<CandidateCountRow[]> {
  const key =
    by === 'district'
      ? 'c.district_id'
      : by === 'street'
        ? "coalesce(c.street, '')"
        : by === 'camera'
          ? 'vc.camera_id::text'
          : 'vc.rule';
  const { rows } = await db.query<CandidateCountRow>(
    `select ${key} as key, count(*)::int as candidates,
            count(*) filter (where vc.recheck_at is not null)::int as warned,
            count(*) filter (where vc.recheck_outcome = 'corrected')::int as corrected,
            count(*) filter (where vc.recheck_outcome = 'escalate')::int as escalated,
            count(*) filter (where vc.recheck_outcome = 'withdrawn')::int as withdrawn,
            count(*) filter (where vc.recheck_outcome = 'unchecked')::int as unchecked
       from violation_candidates vc join cameras c on c.id = vc.camera_id
      where ($1::text is null or c.district_id = $1) and vc.created_at >= $2 and vc.created_at < $3
        and ($4::uuid is null or vc.camera_id = $4) and ($5::text is null or vc.rule = $5)
      group by 1`,
    [q.districtId, q.start, q.end, q.cameraId, q.rule],
  );
  return rows;
}

export interface ReviewCountRow {
  key: string;
  reviewed: number;
  approved: number;
  rejected: number;
  more_evidence: number;
}

/**
 * Review outcomes of the violations captured in the period: a violation counts as reviewed once any review task
 * of it was decided; rejected (a false positive) when any stage rejected it; approved when the legal stage
 * approved it and no stage rejected it.
 */
export async function reviewCounts(
  db: Queryable,
  q: StatsQuery,
  by: StatsDimension,
): Promise<ReviewCountRow[]> {
  const { rows } = await db.query<ReviewCountRow>(
    `with r as (
       select ${violationKey(by)} as key,
              bool_or(t.decision = 'reject') as rejected,
              bool_or(t.stage = 'legal' and t.decision = 'approve') as approved,
              bool_or(t.decision = 'more_evidence') as more_evidence
         from violations v ${cameraJoin(by)}
         join review_tasks t on t.violation_id = v.id and t.decision is not null
        where ${VIOLATION_WHERE}
        group by v.id, 1)
     select key, count(*)::int as reviewed,
            count(*) filter (where approved and not rejected)::int as approved,
            count(*) filter (where rejected)::int as rejected,
            count(*) filter (where more_evidence)::int as more_evidence
       from r group by key order by 2 desc, 1`,
    baseParams(q),
  );
  return rows;
}

export interface DailyRow {
  day: string;
  violations: number;
}

/** Violations per Beijing day of capture. */
export async function violationsPerDay(db: Queryable, q: StatsQuery): Promise<DailyRow[]> {
  const { rows } = await db.query<DailyRow>(
    `select (v.first_seen_at at time zone 'Asia/Shanghai')::date::text as day, count(*)::int as violations
       from violations v
      where ${VIOLATION_WHERE}
      group by 1 order by 1`,
    baseParams(q),
  );
  return rows;
}

export interface NameRow {
  key: string;
  label: string;
}

/** The names of districts and cameras the breakdowns show, for the keys they returned. */
export async function districtNames(db: Queryable, ids: string[]): Promise<NameRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<NameRow>(
    'select id as key, name as label from districts where id = any($1::text[])',
    [ids],
  );
  return rows;
}

export async function cameraNames(db: Queryable, ids: string[]): Promise<NameRow[]> {
  const uuids = ids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
  if (uuids.length === 0) return [];
  const { rows } = await db.query<NameRow>(
    'select id::text as key, name as label from cameras where id = any($1::uuid[])',
    [uuids],
  );
  return rows;
}

/** The cameras a filter may choose from, in the district in effect. */
export async function camerasForFilter(
  db: Queryable,
  districtId: string | null,
): Promise<{ id: string; name: string; district_id: string }[]> {
  const { rows } = await db.query<{ id: string; name: string; district_id: string }>(
    `select id::text, name, district_id from cameras where ($1::text is null or district_id = $1)
      order by district_id, name limit 2000`,
    [districtId],
  );
  return rows;
}

export async function cameraDistrict(db: Queryable, cameraId: string): Promise<string | null> {
  const { rows } = await db.query<{ district_id: string }>('select district_id from cameras where id = $1', [
    cameraId,
  ]);
  return rows[0]?.district_id ?? null;
}

export async function listDistricts(db: Queryable): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; name: string }>('select id, name from districts order by id');
  return rows;
}
