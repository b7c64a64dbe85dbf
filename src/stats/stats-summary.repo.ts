import type { PoolClient } from 'pg';
import type { RowQuery as Queryable } from '../db/no-jit.js';
import { CASE_OF_VIOLATION, STEP_SECONDS } from './stats-cases.repo.js';
import { HISTOGRAM_BUCKETS, sqlBucketOf } from './stats-summary-shape.js';

/*
 * The statistics summary's writes (migration 0038): the dirty marks the triggers leave, the day rows computed from
 * the source tables for marked (district, day) pairs, and the month rows summed from the day rows. The definitions
 * are those of the live queries in stats-volume.repo.ts and stats-cases.repo.ts (docs/statistics.md).
 */

export type SummaryKind = 'capture' | 'candidate' | 'filed' | 'decided' | 'paid';

export interface DirtyMark {
  id: string;
  kind: SummaryKind;
  district_id: string;
  day: string;
}

/** A camera for rows whose violation has none (never a real camera id, so a camera filter never matches it). */
const NO_CAMERA = "'00000000-0000-0000-0000-000000000000'::uuid";

/**
 * Pairs of district and day from two parallel arrays ($1 text[], $2 date[]), each once, with the instants of the
 * Beijing day: from its midnight (lo, included) to the next (hi, excluded). The source rows of each pair are read
 * through a lateral subquery kept apart by `offset 0` (else the planner folds it into a hash join that scans the
 * whole table), so that each pair is one index range scan.
 */
const PAIRS = `select d, day, (day::timestamp at time zone 'Asia/Shanghai') as lo,
                      ((day + 1)::timestamp at time zone 'Asia/Shanghai') as hi
                 from (select distinct d, day from unnest($1::text[], $2::date[]) as x(d, day)) x`;

/**
 * Serialises refreshes (two at once would recompute the same rows), held to the end of the transaction, and turns
 * JIT off for it (compiling a year's aggregate costs more than running it; src/db/no-jit.ts).
 */
export async function lockRefresh(client: PoolClient): Promise<void> {
  await client.query('set local jit = off');
  await client.query("select pg_advisory_xact_lock(hashtext('stats_summary_refresh'))");
}

/** The oldest marks, of one district or of all (null). */
export async function takeDirty(
  client: PoolClient,
  districtId: string | null,
  limit: number,
): Promise<DirtyMark[]> {
  const { rows } = await client.query<DirtyMark>(
    `select id::text, kind, district_id, day::text from stats_summary_dirty
      where ($1::text is null or district_id = $1) order by kind, district_id, day limit $2`,
    [districtId, limit],
  );
  return rows;
}

export async function deleteDirty(client: PoolClient, ids: string[]): Promise<void> {
  await client.query('delete from stats_summary_dirty where id = any($1::bigint[])', [ids]);
}

/** How many marks wait, for one district or all (null), counted up to `cap`. */
export async function dirtyCount(db: Queryable, districtId: string | null, cap: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from stats_summary_dirty
      where ($1::text is null or district_id = $1) limit $2) x`,
    [districtId, cap],
  );
  return rows[0]!.n;
}

interface SummaryTable {
  table: string;
  /** key columns after grain and day */
  keys: string[];
  /** columns summed into month rows */
  sums: string[];
  /** histogram columns summed bucket by bucket */
  histograms?: string[];
}

const COUNTS: SummaryTable = {
  table: 'stats_summary_counts',
  keys: ['district_id', 'camera_id', 'rule', 'violation_type'],
  sums: [
    'violations',
    'warned',
    'corrected',
    'pending_review',
    'approved',
    'rejected',
    'reviewed',
    'review_approved',
    'review_rejected',
    'review_more_evidence',
  ],
};
const STEPS: SummaryTable = {
  table: 'stats_summary_steps',
  keys: ['district_id', 'rule', 'violation_type'],
  sums: ['violations'],
  histograms: ['review_h', 'filing_h', 'decision_h', 'payment_h'],
};
const CANDIDATES: SummaryTable = {
  table: 'stats_summary_candidates',
  keys: ['district_id', 'camera_id', 'rule'],
  sums: ['candidates', 'warned', 'corrected', 'escalated', 'withdrawn', 'unchecked'],
};
const FILED: SummaryTable = {
  table: 'stats_summary_filed',
  keys: ['district_id', 'camera_id', 'rule', 'violation_type', 'status'],
  sums: ['cases'],
};
const DECIDED: SummaryTable = {
  table: 'stats_summary_decided',
  keys: ['district_id', 'camera_id', 'rule', 'violation_type'],
  sums: ['decided', 'paid'],
};
const PAYMENTS: SummaryTable = {
  table: 'stats_summary_payments',
  keys: ['district_id', 'camera_id', 'rule', 'violation_type', 'channel', 'gateway'],
  sums: ['payments', 'amount_fen', 'fine_fen', 'late_fee_fen', 'with_late_fee'],
};

async function deleteDayRows(client: PoolClient, t: SummaryTable, districts: string[], days: string[]) {
  await client.query(
    `delete from ${t.table} s using (${PAIRS}) p
      where s.grain = 'day' and s.district_id = p.d and s.day = p.day`,
    [districts, days],
  );
}

/** Recomputes the month rows of the months the pairs fall in, from the day rows. */
async function rollUpMonths(client: PoolClient, t: SummaryTable, districts: string[], days: string[]) {
  const months = `select distinct d, date_trunc('month', day)::date as month from unnest($1::text[], $2::date[]) as x(d, day)`;
  await client.query(
    `delete from ${t.table} s using (${months}) m
      where s.grain = 'month' and s.district_id = m.d and s.day = m.month`,
    [districts, days],
  );
  // the day rows (s) of each month (m) asked
  const monthDays = `${t.table} s on s.grain = 'day' and s.district_id = m.d
     and s.day >= m.month and s.day < (m.month + interval '1 month')::date`;
  const keys = t.keys.map((k) => `s.${k}`).join(', ');
  const sums = t.sums.map((c) => `sum(s.${c})`).join(', ');
  if (!t.histograms) {
    await client.query(
      `insert into ${t.table} (grain, day, ${t.keys.join(', ')}, ${t.sums.join(', ')})
       select 'month', m.month, ${keys}, ${sums}
         from (${months}) m join ${monthDays}
        group by m.month, ${keys}`,
      [districts, days],
    );
    return;
  }
  // histograms: each bucket summed over the month's day rows, then put back together in bucket order
  const perBucket = t.histograms.map((h) => `sum(s.${h}[b.k])::int as ${h}`).join(', ');
  const assembled = t.histograms.map((h) => `array_agg(e.${h} order by e.k)`).join(', ');
  const eKeys = t.keys.map((k) => `e.${k}`).join(', ');
  await client.query(
    `with m as (${months}),
     e as (select m.month, ${keys}, b.k, ${perBucket}
             from m join ${monthDays}
            cross join generate_series(1, ${HISTOGRAM_BUCKETS}) b(k)
            group by m.month, ${keys}, b.k),
     totals as (select m.month, ${keys}, ${t.sums.map((c) => `sum(s.${c}) as ${c}`).join(', ')}
                  from m join ${monthDays}
                 group by m.month, ${keys})
     insert into ${t.table} (grain, day, ${t.keys.join(', ')}, ${t.sums.join(', ')}, ${t.histograms.join(', ')})
     select 'month', e.month, ${eKeys}, ${t.sums.map((c) => `max(x.${c})`).join(', ')}, ${assembled}
       from e join totals x on x.month = e.month and ${t.keys.map((k) => `x.${k} = e.${k}`).join(' and ')}
      group by e.month, ${eKeys}`,
    [districts, days],
  );
}

/** Violations captured on the pairs' days: status counts and review outcomes per camera, rule and type. */
async function insertCaptureCounts(client: PoolClient, districts: string[], days: string[]) {
  await client.query(
    `insert into stats_summary_counts (grain, day, district_id, camera_id, rule, violation_type, violations, warned,
                                       corrected, pending_review, approved, rejected, reviewed, review_approved,
                                       review_rejected, review_more_evidence)
     select 'day', p.day, v.district_id, v.camera_id, v.rule, v.violation_type, count(*),
            count(*) filter (where v.status = 'warned'),
            count(*) filter (where v.status = 'corrected'),
            count(*) filter (where v.status in ('pending_review', 'more_evidence')),
            count(*) filter (where v.status in ('approved', 'closed')),
            count(*) filter (where v.status = 'rejected'),
            count(*) filter (where r.decided),
            count(*) filter (where r.decided and r.approved and not r.rejected),
            count(*) filter (where r.decided and r.rejected),
            count(*) filter (where r.decided and r.more_evidence)
       from (${PAIRS}) p
       cross join lateral (select v.id, v.district_id, v.camera_id, v.rule, v.violation_type, v.status
                             from violations v
                            where v.district_id = p.d and v.first_seen_at >= p.lo and v.first_seen_at < p.hi offset 0) v
       cross join lateral (
         select count(*) > 0 as decided,
                coalesce(bool_or(t.decision = 'reject'), false) as rejected,
                coalesce(bool_or(t.stage = 'legal' and t.decision = 'approve'), false) as approved,
                coalesce(bool_or(t.decision = 'more_evidence'), false) as more_evidence
           from review_tasks t where t.violation_id = v.id and t.decision is not null) r
      group by p.day, v.district_id, v.camera_id, v.rule, v.violation_type`,
    [districts, days],
  );
}

/** Violations captured on the pairs' days: the times from capture to each step, as histograms per rule and type. */
async function insertCaptureSteps(client: PoolClient, districts: string[], days: string[]) {
  await client.query(
    `with v as (
       select p.day, v.district_id, v.rule, v.violation_type, v.id, v.first_seen_at
         from (${PAIRS}) p
         cross join lateral (select v.district_id, v.rule, v.violation_type, v.id, v.first_seen_at
                               from violations v
                              where v.district_id = p.d and v.first_seen_at >= p.lo and v.first_seen_at < p.hi offset 0) v),
     d as (
       select v.day, v.district_id, v.rule, v.violation_type, ${STEP_SECONDS}
         from v left join lateral ${CASE_OF_VIOLATION} k on true),
     b as (
       select d.day, d.district_id, d.rule, d.violation_type, s.step, s.bucket, count(*)::int as n
         from d cross join lateral (values (1, ${sqlBucketOf('d.review')}), (2, ${sqlBucketOf('d.filing')}),
                                           (3, ${sqlBucketOf('d.decision')}), (4, ${sqlBucketOf('d.payment')})) s(step, bucket)
        where s.bucket is not null
        group by 1, 2, 3, 4, 5, 6),
     g as (select day, district_id, rule, violation_type, count(*)::int as violations from v group by 1, 2, 3, 4),
     h as (
       select g.day, g.district_id, g.rule, g.violation_type, st.step, array_agg(coalesce(b.n, 0) order by k.k) as hist
         from g cross join generate_series(1, 4) st(step) cross join generate_series(0, ${HISTOGRAM_BUCKETS - 1}) k(k)
         left join b on b.day = g.day and b.district_id = g.district_id and b.rule = g.rule
                    and b.violation_type = g.violation_type and b.step = st.step and b.bucket = k.k
        group by 1, 2, 3, 4, 5)
     insert into stats_summary_steps (grain, day, district_id, rule, violation_type, violations, review_h, filing_h,
                                      decision_h, payment_h)
     select 'day', g.day, g.district_id, g.rule, g.violation_type, g.violations,
            max(h.hist) filter (where h.step = 1), max(h.hist) filter (where h.step = 2),
            max(h.hist) filter (where h.step = 3), max(h.hist) filter (where h.step = 4)
       from g join h on h.day = g.day and h.district_id = g.district_id and h.rule = g.rule
                    and h.violation_type = g.violation_type
      group by g.day, g.district_id, g.rule, g.violation_type, g.violations`,
    [districts, days],
  );
}

/** Candidates created on the pairs' days by the district's cameras, with their warn-first outcomes. */
async function insertCandidates(client: PoolClient, districts: string[], days: string[]) {
  await client.query(
    `insert into stats_summary_candidates (grain, day, district_id, camera_id, rule, candidates, warned, corrected,
                                           escalated, withdrawn, unchecked)
     select 'day', p.day, c.district_id, vc.camera_id, vc.rule, count(*),
            count(*) filter (where vc.recheck_at is not null),
            count(*) filter (where vc.recheck_outcome = 'corrected'),
            count(*) filter (where vc.recheck_outcome = 'escalate'),
            count(*) filter (where vc.recheck_outcome = 'withdrawn'),
            count(*) filter (where vc.recheck_outcome = 'unchecked')
       from (${PAIRS}) p
       join cameras c on c.district_id = p.d
       cross join lateral (select vc.camera_id, vc.rule, vc.recheck_at, vc.recheck_outcome
                             from violation_candidates vc
                            where vc.camera_id = c.id and vc.created_at >= p.lo and vc.created_at < p.hi offset 0) vc
      group by p.day, c.district_id, vc.camera_id, vc.rule`,
    [districts, days],
  );
}

/** Cases filed on the pairs' days, by their state now. */
async function insertFiled(client: PoolClient, districts: string[], days: string[]) {
  await client.query(
    `insert into stats_summary_filed (grain, day, district_id, camera_id, rule, violation_type, status, cases)
     select 'day', p.day, k.district_id, coalesce(v.camera_id, ${NO_CAMERA}), coalesce(v.rule, ''), k.violation_type,
            k.status, count(*)
       from (${PAIRS}) p
       cross join lateral (select k.district_id, k.violation_id, k.violation_type, k.status
                             from cases k
                            where k.district_id = p.d and k.filed_at >= p.lo and k.filed_at < p.hi offset 0) k
       left join violations v on v.id = k.violation_id
      group by p.day, k.district_id, 4, 5, k.violation_type, k.status`,
    [districts, days],
  );
}

/** Cases decided on the pairs' days with a fine to pay, and how many of them are paid. */
async function insertDecided(client: PoolClient, districts: string[], days: string[]) {
  await client.query(
    `insert into stats_summary_decided (grain, day, district_id, camera_id, rule, violation_type, decided, paid)
     select 'day', p.day, k.district_id, coalesce(v.camera_id, ${NO_CAMERA}), coalesce(v.rule, ''), k.violation_type,
            count(*),
            count(*) filter (where exists (select 1 from payments pm where pm.case_id = k.id and pm.status = 'paid'))
       from (${PAIRS}) p
       cross join lateral (select k.id, k.district_id, k.violation_id, k.violation_type
                             from cases k
                            where k.district_id = p.d and k.decided_at >= p.lo and k.decided_at < p.hi
                              and coalesce(k.final_fine_fen, 0) > 0 offset 0) k
       left join violations v on v.id = k.violation_id
      group by p.day, k.district_id, 4, 5, k.violation_type`,
    [districts, days],
  );
}

/** Payments settled on the pairs' days, by channel and gateway. */
async function insertPaid(client: PoolClient, districts: string[], days: string[]) {
  await client.query(
    `insert into stats_summary_payments (grain, day, district_id, camera_id, rule, violation_type, channel, gateway,
                                         payments, amount_fen, fine_fen, late_fee_fen, with_late_fee)
     select 'day', p.day, k.district_id, coalesce(v.camera_id, ${NO_CAMERA}), coalesce(v.rule, ''), k.violation_type,
            pm.channel, pm.gateway, count(*), sum(pm.amount_fen), sum(pm.fine_fen), sum(pm.late_fee_fen),
            count(*) filter (where pm.late_fee_fen > 0)
       from (${PAIRS}) p
       cross join lateral (select pm.case_id, pm.channel, pm.gateway, pm.amount_fen, pm.fine_fen, pm.late_fee_fen
                             from payments pm
                            where pm.status = 'paid' and pm.paid_at >= p.lo and pm.paid_at < p.hi offset 0) pm
       join cases k on k.id = pm.case_id and k.district_id = p.d
       left join violations v on v.id = k.violation_id
      group by p.day, k.district_id, 4, 5, k.violation_type, pm.channel, pm.gateway`,
    [districts, days],
  );
}

/** Recomputes the day rows of the marked pairs of one kind and the month rows of their months. */
export async function refreshPairs(
  client: PoolClient,
  kind: SummaryKind,
  districts: string[],
  days: string[],
): Promise<void> {
  const jobs: [SummaryTable, (c: PoolClient, d: string[], y: string[]) => Promise<void>][] =
    kind === 'capture'
      ? [
          [COUNTS, insertCaptureCounts],
          [STEPS, insertCaptureSteps],
        ]
      : kind === 'candidate'
        ? [[CANDIDATES, insertCandidates]]
        : kind === 'filed'
          ? [[FILED, insertFiled]]
          : kind === 'decided'
            ? [[DECIDED, insertDecided]]
            : [[PAYMENTS, insertPaid]];
  for (const [table, insert] of jobs) {
    await deleteDayRows(client, table, districts, days);
    await insert(client, districts, days);
    await rollUpMonths(client, table, districts, days);
  }
}
