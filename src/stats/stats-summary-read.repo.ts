import type { RowQuery as Queryable } from '../db/no-jit.js';
import type { CaseStateRow, PaymentChannelRow, PaymentRateRow } from './stats-cases.repo.js';
import type { StatsDimension, StatsQuery } from './stats-query.js';
import { HISTOGRAM_BUCKETS, summarySpans } from './stats-summary-shape.js';
import type { CandidateCountRow, DailyRow, ReviewCountRow, ViolationCountRow } from './stats-volume.repo.js';

/*
 * The statistics figures read from the summary (migration 0038) instead of the source tables: the same rows as
 * the live queries of stats-volume.repo.ts and stats-cases.repo.ts, from whole months' rows and the days around
 * them (summarySpans). Only called once the summary holds every change (StatsSummaryService.prepare).
 */

interface SpanColumns {
  camera?: boolean;
  rule?: boolean;
  type?: boolean;
}

/** The rows (alias s) of the query's district, period and filters, and the parameters they take. */
function spanWhere(q: StatsQuery, columns: SpanColumns): { where: string; params: unknown[] } {
  const spans = summarySpans(q.from, q.to);
  const params: unknown[] = [q.districtId, q.from, q.to, spans.monthsFrom, spans.monthsEnd];
  const parts = [
    '($1::text is null or s.district_id = $1)',
    `((s.grain = 'month' and s.day >= $4::date and s.day < $5::date)
      or (s.grain = 'day' and s.day between $2::date and $3::date
          and ($4::date is null or s.day < $4::date or s.day >= $5::date)))`,
  ];
  const filter = (value: string | null, column: string, type: string) => {
    params.push(value);
    parts.push(`($${params.length}::${type} is null or s.${column} = $${params.length}::${type})`);
  };
  if (columns.camera) filter(q.cameraId, 'camera_id', 'uuid');
  if (columns.rule) filter(q.rule, 'rule', 'text');
  if (columns.type) filter(q.violationType, 'violation_type', 'text');
  return { where: parts.join(' and '), params };
}

/** The key of a breakdown over summary rows (s) joined to their camera (c) for the street. */
function summaryKey(by: StatsDimension): string {
  switch (by) {
    case 'district':
      return 's.district_id';
    case 'street':
      return "coalesce(c.street, '')";
    case 'camera':
      return 's.camera_id::text';
    case 'rule':
      return 's.rule';
    case 'type':
      return 's.violation_type';
  }
}

const streetJoin = (by: StatsDimension): string =>
  by === 'street' ? 'join cameras c on c.id = s.camera_id' : '';

const ALL = { camera: true, rule: true, type: true } as const;

export async function summaryViolationCounts(
  db: Queryable,
  q: StatsQuery,
  by: StatsDimension,
): Promise<ViolationCountRow[]> {
  const { where, params } = spanWhere(q, ALL);
  const { rows } = await db.query<ViolationCountRow>(
    `select ${summaryKey(by)} as key, sum(s.violations)::int as violations, sum(s.warned)::int as warned,
            sum(s.corrected)::int as corrected, sum(s.pending_review)::int as pending_review,
            sum(s.approved)::int as approved, sum(s.rejected)::int as rejected
       from stats_summary_counts s ${streetJoin(by)}
      where ${where}
      group by 1 having sum(s.violations) > 0 order by 2 desc, 1`,
    params,
  );
  return rows;
}

export async function summaryReviewCounts(
  db: Queryable,
  q: StatsQuery,
  by: StatsDimension,
): Promise<ReviewCountRow[]> {
  const { where, params } = spanWhere(q, ALL);
  const { rows } = await db.query<ReviewCountRow>(
    `select ${summaryKey(by)} as key, sum(s.reviewed)::int as reviewed, sum(s.review_approved)::int as approved,
            sum(s.review_rejected)::int as rejected, sum(s.review_more_evidence)::int as more_evidence
       from stats_summary_counts s ${streetJoin(by)}
      where ${where}
      group by 1 having sum(s.reviewed) > 0 order by 2 desc, 1`,
    params,
  );
  return rows;
}

/** Violations per Beijing day of capture (day rows only), from the camera-less rows unless a camera is asked. */
export async function summaryViolationsPerDay(db: Queryable, q: StatsQuery): Promise<DailyRow[]> {
  const params: unknown[] = [q.districtId, q.from, q.to, q.rule, q.violationType];
  let table = 'stats_summary_steps';
  let camera = '';
  if (q.cameraId !== null) {
    table = 'stats_summary_counts';
    params.push(q.cameraId);
    camera = 'and s.camera_id = $6::uuid';
  }
  const { rows } = await db.query<DailyRow>(
    `select s.day::text as day, sum(s.violations)::int as violations
       from ${table} s
      where s.grain = 'day' and ($1::text is null or s.district_id = $1) and s.day between $2::date and $3::date
        and ($4::text is null or s.rule = $4) and ($5::text is null or s.violation_type = $5) ${camera}
      group by 1 having sum(s.violations) > 0 order by 1`,
    params,
  );
  return rows;
}

export interface StepHistograms {
  review: number[];
  filing: number[];
  decision: number[];
  payment: number[];
}

/** The summed histograms of the times from capture to each step (no camera filter: the rows have no camera). */
export async function summaryStepHistograms(db: Queryable, q: StatsQuery): Promise<StepHistograms> {
  const { where, params } = spanWhere(q, { rule: true, type: true });
  const { rows } = await db.query<{
    k: number;
    review: number;
    filing: number;
    decision: number;
    payment: number;
  }>(
    `select b.k, coalesce(sum(s.review_h[b.k]), 0)::int as review, coalesce(sum(s.filing_h[b.k]), 0)::int as filing,
            coalesce(sum(s.decision_h[b.k]), 0)::int as decision, coalesce(sum(s.payment_h[b.k]), 0)::int as payment
       from stats_summary_steps s cross join generate_series(1, ${HISTOGRAM_BUCKETS}) b(k)
      where ${where}
      group by b.k order by b.k`,
    params,
  );
  const out: StepHistograms = {
    review: new Array<number>(HISTOGRAM_BUCKETS).fill(0),
    filing: new Array<number>(HISTOGRAM_BUCKETS).fill(0),
    decision: new Array<number>(HISTOGRAM_BUCKETS).fill(0),
    payment: new Array<number>(HISTOGRAM_BUCKETS).fill(0),
  };
  for (const r of rows) {
    out.review[r.k - 1] = r.review;
    out.filing[r.k - 1] = r.filing;
    out.decision[r.k - 1] = r.decision;
    out.payment[r.k - 1] = r.payment;
  }
  return out;
}

/** How many violations the query covers, camera aside (to choose between exact step times and the histograms). */
export async function summaryViolationTotal(db: Queryable, q: StatsQuery): Promise<number> {
  const { where, params } = spanWhere(q, { rule: true, type: true });
  const { rows } = await db.query<{ n: number }>(
    `select coalesce(sum(s.violations), 0)::int as n from stats_summary_steps s where ${where}`,
    params,
  );
  return rows[0]!.n;
}

export async function summaryCandidateCounts(
  db: Queryable,
  q: StatsQuery,
  by: 'district' | 'street' | 'camera' | 'rule',
): Promise<CandidateCountRow[]> {
  const { where, params } = spanWhere(q, { camera: true, rule: true });
  const { rows } = await db.query<CandidateCountRow>(
    `select ${summaryKey(by)} as key, sum(s.candidates)::int as candidates, sum(s.warned)::int as warned,
            sum(s.corrected)::int as corrected, sum(s.escalated)::int as escalated,
            sum(s.withdrawn)::int as withdrawn, sum(s.unchecked)::int as unchecked
       from stats_summary_candidates s ${streetJoin(by)}
      where ${where}
      group by 1 having sum(s.candidates) > 0`,
    params,
  );
  return rows;
}

export async function summaryCasesByState(db: Queryable, q: StatsQuery): Promise<CaseStateRow[]> {
  const { where, params } = spanWhere(q, ALL);
  const { rows } = await db.query<CaseStateRow>(
    `select s.status as state, sum(s.cases)::int as cases
       from stats_summary_filed s where ${where}
      group by 1 having sum(s.cases) > 0 order by 2 desc, 1`,
    params,
  );
  return rows;
}

export async function summaryPaymentRate(db: Queryable, q: StatsQuery): Promise<PaymentRateRow> {
  const { where, params } = spanWhere(q, ALL);
  const { rows } = await db.query<PaymentRateRow>(
    `select coalesce(sum(s.decided), 0)::int as decided, coalesce(sum(s.paid), 0)::int as paid
       from stats_summary_decided s where ${where}`,
    params,
  );
  return rows[0]!;
}

export async function summaryPaymentsByChannel(db: Queryable, q: StatsQuery): Promise<PaymentChannelRow[]> {
  const { where, params } = spanWhere(q, ALL);
  const { rows } = await db.query<PaymentChannelRow>(
    `select s.channel, s.gateway, sum(s.payments)::int as payments, sum(s.amount_fen)::bigint as amount_fen,
            sum(s.fine_fen)::bigint as fine_fen, sum(s.late_fee_fen)::bigint as late_fee_fen,
            sum(s.with_late_fee)::int as with_late_fee
       from stats_summary_payments s where ${where}
      group by 1, 2 having sum(s.payments) > 0 order by 3 desc, 1, 2`,
    params,
  );
  return rows;
}
