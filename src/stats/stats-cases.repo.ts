import type { RowQuery as Queryable } from '../db/no-jit.js';
import type { StatsQuery } from './stats-query.js';
import { baseParams, VIOLATION_WHERE } from './stats-volume.repo.js';

/*
 * The procedure's figures: cases by state, the time from capture to each step, payments, statements, hearings,
 * reconsiderations and lawsuits, complaints. Each names the timestamp that puts a row in the period; the
 * camera, rule and type filters reach a case through its violation. Definitions: docs/statistics.md.
 */

/** Cases (alias k) in the district and of the type, camera and rule asked; the period is added by each query. */
const CASE_FILTER = `($1::text is null or k.district_id = $1)
   and ($6::text is null or k.violation_type = $6)
   and (($4::uuid is null and $5::text is null) or exists (
         select 1 from violations fv where fv.id = k.violation_id
            and ($4::uuid is null or fv.camera_id = $4) and ($5::text is null or fv.rule = $5)))`;

export interface CaseStateRow {
  state: string;
  cases: number;
}

/** Cases filed in the period, by their state now. */
export async function casesByState(db: Queryable, q: StatsQuery): Promise<CaseStateRow[]> {
  const { rows } = await db.query<CaseStateRow>(
    `select k.status as state, count(*)::int as cases from cases k
      where ${CASE_FILTER} and k.filed_at >= $2 and k.filed_at < $3
      group by 1 order by 2 desc, 1`,
    baseParams(q),
  );
  return rows;
}

export interface DurationRow {
  step: 'review' | 'filing' | 'decision' | 'payment';
  n: number;
  median_s: number | null;
  p90_s: number | null;
  /** true when estimated from the summary's histograms rather than computed from every violation */
  estimated?: boolean;
}

/**
 * The four step times of a violation `v` with its case `k` (null where the step was not reached), as columns
 * review, filing, decision, payment: one definition for the live query below and the statistics summary.
 */
export const STEP_SECONDS = `extract(epoch from (select max(t.decided_at) from review_tasks t
                                   where t.violation_id = v.id and t.decision in ('approve', 'reject'))
                                 - v.first_seen_at)::float8 as review,
              extract(epoch from k.filed_at - v.first_seen_at)::float8 as filing,
              extract(epoch from k.decided_at - v.first_seen_at)::float8 as decision,
              extract(epoch from (select max(pm.paid_at) from payments pm where pm.case_id = k.id and pm.status = 'paid')
                                 - v.first_seen_at)::float8 as payment`;
/** The case of violation `v`, for a lateral join: a probe of the unique violation_id, not a scan of every case. */
export const CASE_OF_VIOLATION = `(select k.id, k.filed_at, k.decided_at from cases k where k.violation_id = v.id)`;

/**
 * Seconds from capture (first_seen_at) to the end of review (the last approve or reject), to filing, to the
 * decision and to payment, for the violations captured in the period: median and 90th percentile of those that
 * reached the step.
 */
export async function stepDurations(db: Queryable, q: StatsQuery): Promise<DurationRow[]> {
  const { rows } = await db.query<{
    n: number[];
    review: (number | null)[] | null;
    filing: (number | null)[] | null;
    decision: (number | null)[] | null;
    payment: (number | null)[] | null;
  }>(
    `with d as (
       select ${STEP_SECONDS}
         from violations v
         left join lateral ${CASE_OF_VIOLATION} k on true
        where ${VIOLATION_WHERE})
     select array[count(review), count(filing), count(decision), count(payment)]::int[] as n,
            percentile_cont(array[0.5, 0.9]) within group (order by review) as review,
            percentile_cont(array[0.5, 0.9]) within group (order by filing) as filing,
            percentile_cont(array[0.5, 0.9]) within group (order by decision) as decision,
            percentile_cont(array[0.5, 0.9]) within group (order by payment) as payment
       from d`,
    baseParams(q),
  );
  const row = rows[0]!;
  const steps = ['review', 'filing', 'decision', 'payment'] as const;
  return steps.map((step, i) => ({
    step,
    n: row.n[i] ?? 0,
    median_s: row[step]?.[0] ?? null,
    p90_s: row[step]?.[1] ?? null,
  }));
}

export interface PaymentChannelRow {
  channel: string;
  gateway: string;
  payments: number;
  amount_fen: number;
  fine_fen: number;
  late_fee_fen: number;
  with_late_fee: number;
}

/** Payments settled (paid_at) in the period, by channel and gateway, with the fines and late fees they carried. */
export async function paymentsByChannel(db: Queryable, q: StatsQuery): Promise<PaymentChannelRow[]> {
  const { rows } = await db.query<PaymentChannelRow>(
    `select p.channel, p.gateway, count(*)::int as payments, sum(p.amount_fen)::bigint as amount_fen,
            sum(p.fine_fen)::bigint as fine_fen, sum(p.late_fee_fen)::bigint as late_fee_fen,
            count(*) filter (where p.late_fee_fen > 0)::int as with_late_fee
       from payments p join cases k on k.id = p.case_id
      where p.status = 'paid' and p.paid_at >= $2 and p.paid_at < $3 and ${CASE_FILTER}
      group by 1, 2 order by 3 desc, 1, 2`,
    baseParams(q),
  );
  return rows;
}

export interface PaymentRateRow {
  decided: number;
  paid: number;
}

/** Cases decided in the period with a fine to pay, and how many of them are paid (at any time since). */
export async function paymentRate(db: Queryable, q: StatsQuery): Promise<PaymentRateRow> {
  const { rows } = await db.query<PaymentRateRow>(
    `select count(*)::int as decided,
            count(*) filter (where exists (select 1 from payments p where p.case_id = k.id and p.status = 'paid'))::int
              as paid
       from cases k
      where k.decided_at >= $2 and k.decided_at < $3 and coalesce(k.final_fine_fen, 0) > 0 and ${CASE_FILTER}`,
    baseParams(q),
  );
  return rows[0]!;
}

export interface StatementRow {
  channel: string;
  review_status: string;
  statements: number;
}

/** Statements (陈述申辩) submitted in the period, by channel and by how they were reviewed. */
export async function statementsByOutcome(db: Queryable, q: StatsQuery): Promise<StatementRow[]> {
  const { rows } = await db.query<StatementRow>(
    `select s.channel, s.review_status, count(*)::int as statements
       from statements s join cases k on k.id = s.case_id
      where s.submitted_at >= $2 and s.submitted_at < $3 and ${CASE_FILTER}
      group by 1, 2 order by 1, 2`,
    baseParams(q),
  );
  return rows;
}

export interface HearingRow {
  status: string;
  hearings: number;
}

/** Hearings requested in the period, by their status now. */
export async function hearingsByStatus(db: Queryable, q: StatsQuery): Promise<HearingRow[]> {
  const { rows } = await db.query<HearingRow>(
    `select h.status, count(*)::int as hearings
       from hearings h join cases k on k.id = h.case_id
      where h.requested_at >= $2 and h.requested_at < $3 and ${CASE_FILTER}
      group by 1 order by 1`,
    baseParams(q),
  );
  return rows;
}

export interface AfterDecisionRow {
  event: 'review_started' | 'review_concluded';
  detail: string;
  events: number;
}

/**
 * Reconsiderations and lawsuits recorded in the period (case events review_started, by kind) and their ends
 * (review_concluded, by outcome).
 */
export async function afterDecisionEvents(db: Queryable, q: StatsQuery): Promise<AfterDecisionRow[]> {
  const { rows } = await db.query<AfterDecisionRow>(
    `select e.kind as event,
            coalesce(case when e.kind = 'review_started' then e.data->>'kind' else e.data->>'outcome' end, '') as detail,
            count(*)::int as events
       from case_events e join cases k on k.id = e.case_id
      where e.kind in ('review_started', 'review_concluded') and e.at >= $2 and e.at < $3 and ${CASE_FILTER}
      group by 1, 2 order by 1 desc, 2`,
    baseParams(q),
  );
  return rows;
}

export interface ComplaintRow {
  district_id: string;
  received: number;
  open: number;
  open_overdue: number;
  substantiated: number;
  not_substantiated: number;
  transferred: number;
  answered_in_time: number;
  answered_late: number;
}

/**
 * Complaints received (received_on) in the period, by district: their status now, and whether each answer (a
 * reply, or a transfer) came by its legal deadline (reply_due_on, transfer_due_on). Open ones past their reply
 * deadline on `today` are counted apart. The camera filter reaches the complaints matched to that camera; rule
 * and type do not apply.
 */
export async function complaintCounts(db: Queryable, q: StatsQuery, today: string): Promise<ComplaintRow[]> {
  const { rows } = await db.query<ComplaintRow>(
    `select c.district_id, count(*)::int as received,
            count(*) filter (where c.status = 'open')::int as open,
            count(*) filter (where c.status = 'open' and c.reply_due_on < $5::date)::int as open_overdue,
            count(*) filter (where c.status = 'substantiated')::int as substantiated,
            count(*) filter (where c.status = 'not_substantiated')::int as not_substantiated,
            count(*) filter (where c.status = 'transferred')::int as transferred,
            count(*) filter (where (c.status in ('substantiated', 'not_substantiated') and c.outcome_on <= c.reply_due_on)
                                or (c.status = 'transferred' and c.outcome_on <= c.transfer_due_on))::int as answered_in_time,
            count(*) filter (where (c.status in ('substantiated', 'not_substantiated') and c.outcome_on > c.reply_due_on)
                                or (c.status = 'transferred' and c.outcome_on > c.transfer_due_on))::int as answered_late
       from complaints c
      where ($1::text is null or c.district_id = $1) and c.received_on between $2::date and $3::date
        and ($4::uuid is null or c.matched_camera_id = $4)
      group by 1 order by 1`,
    [q.districtId, q.from, q.to, q.cameraId, today],
  );
  return rows;
}
