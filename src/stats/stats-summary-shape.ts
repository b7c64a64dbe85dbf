import { addDays, type LocalDate } from '../law/local-date.js';

/*
 * The shape of the statistics summary (stats_summary_*, migration 0038; docs/statistics.md, "The summary"): pure
 * functions shared by the refresh (which writes rows) and the query layer (which reads them). No database here.
 */

/**
 * Times from capture to a step are kept as histograms of seconds: bucket 0 holds everything under a minute,
 * bucket k ≥ 1 the times from 60 · 2^((k−1)/4) s up to 60 · 2^(k/4) s (a quarter of a doubling, each bucket about
 * 19 % wider than the last), and the last bucket everything from about 1.3 years up. The repository computes the
 * same bucket in SQL (`SQL_BUCKET_OF`); a test holds the two together.
 */
export const HISTOGRAM_BUCKETS = 80;
const PER_DOUBLING = 4;
const FIRST_EDGE_S = 60;

/** The lower edge of bucket k in seconds (bucket 0 starts at 0). */
export function bucketLowerEdge(k: number): number {
  return k === 0 ? 0 : FIRST_EDGE_S * 2 ** ((k - 1) / PER_DOUBLING);
}

/** The upper edge of bucket k in seconds (the last bucket's is its lower edge one step on, for interpolation). */
export function bucketUpperEdge(k: number): number {
  return FIRST_EDGE_S * 2 ** (k / PER_DOUBLING);
}

/** The bucket of a time in seconds; negative times (a clock set wrong) count in bucket 0. */
export function bucketOf(seconds: number): number {
  if (!(seconds >= FIRST_EDGE_S)) return 0;
  const k = 1 + Math.floor(PER_DOUBLING * Math.log2(seconds / FIRST_EDGE_S) + 1e-9);
  return Math.min(HISTOGRAM_BUCKETS - 1, k);
}

/** The same bucket as `bucketOf`, as SQL over an expression giving seconds (float8; null stays null). */
export function sqlBucketOf(secondsExpr: string): string {
  return `(case when (${secondsExpr}) is null then null when (${secondsExpr}) < ${FIRST_EDGE_S} then 0
     else least(${HISTOGRAM_BUCKETS - 1}, 1 + floor(${PER_DOUBLING} * log(2.0, ((${secondsExpr}) / ${FIRST_EDGE_S})::numeric) + 1e-9))::int end)`;
}

/**
 * The p-quantile (0 < p < 1) of the times a histogram counts, or null when it counts none. The rank is taken as
 * percentile_cont takes it (p · (n − 1) on the sorted times, 0-based); within the bucket holding that rank the
 * time is interpolated geometrically between its edges (linearly in bucket 0). Where the rank falls among many
 * times (the large queries the histograms serve) the answer lies in the exact figure's bucket, so within one
 * bucket's width (about 19 %) of it; among a few times far apart percentile_cont interpolates across empty
 * buckets and the two may differ more.
 */
export function histogramQuantile(counts: readonly number[], p: number): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = p * (n - 1);
  let below = 0;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k] ?? 0;
    if (c === 0) continue;
    if (rank < below + c) {
      // the position of the rank among the bucket's c times, spread evenly over it: (i + 0.5) / c
      const within = (rank - below + 0.5) / c;
      const lo = bucketLowerEdge(k);
      const hi = bucketUpperEdge(k);
      return k === 0 ? lo + (hi - lo) * within : lo * (hi / lo) ** within;
    }
    below += c;
  }
  return bucketLowerEdge(counts.length - 1);
}

/** Adds histograms bucket by bucket. */
export function addHistograms(into: number[], more: readonly number[]): number[] {
  for (let k = 0; k < more.length; k++) into[k] = (into[k] ?? 0) + (more[k] ?? 0);
  return into;
}

/**
 * How a period is read from the summary: the calendar months it covers whole from their month rows, the days
 * outside them (at most 30 at each end) from their day rows. `monthsFrom`..`monthsTo` are the first days of the
 * first and last whole month; when the period covers no whole month both are null and every day is read from day
 * rows. A query reads day rows with `day` in [from, to] but outside [monthsFrom, monthsEnd), where monthsEnd is
 * the first day after the last whole month.
 */
export interface SummarySpans {
  from: LocalDate;
  to: LocalDate;
  monthsFrom: LocalDate | null;
  monthsTo: LocalDate | null;
  /** the day after the last whole month (exclusive), or null */
  monthsEnd: LocalDate | null;
}

/** The first day of the month a date falls in. */
export function monthOf(date: LocalDate): LocalDate {
  return `${date.slice(0, 7)}-01`;
}

/** The first day of the month after the one a date falls in. */
export function nextMonthStart(date: LocalDate): LocalDate {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${date.slice(0, 4)}-${String(month + 1).padStart(2, '0')}-01`;
}

export function summarySpans(from: LocalDate, to: LocalDate): SummarySpans {
  // the first whole month starts on `from` when it is a 1st, otherwise on the next 1st
  const first = from.endsWith('-01') ? from : nextMonthStart(from);
  // the day after the last whole month: the 1st after `to` when `to` is a month's last day, otherwise `to`'s 1st
  const dayAfterTo = addDays(to, 1);
  const end = dayAfterTo.endsWith('-01') ? dayAfterTo : monthOf(to);
  if (first >= end) return { from, to, monthsFrom: null, monthsTo: null, monthsEnd: null };
  return { from, to, monthsFrom: first, monthsTo: monthOf(addDays(end, -1)), monthsEnd: end };
}
