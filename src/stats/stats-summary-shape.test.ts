import { describe, expect, it } from 'vitest';
import {
  bucketLowerEdge,
  bucketOf,
  bucketUpperEdge,
  HISTOGRAM_BUCKETS,
  histogramQuantile,
  summarySpans,
} from './stats-summary-shape.js';

function exactQuantile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = p * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (rank - lo);
}

function histogramOf(values: number[]): number[] {
  const h = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  for (const v of values) h[bucketOf(v)]! += 1;
  return h;
}

describe('duration histograms', () => {
  it('puts a time in the bucket whose edges hold it', () => {
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(59.9)).toBe(0);
    expect(bucketOf(60)).toBe(1);
    expect(bucketOf(120)).toBe(5); // one doubling is four buckets
    for (const s of [61, 3_600, 86_400, 2 * 86_400, 9.5 * 86_400, 200 * 86_400]) {
      const k = bucketOf(s);
      expect(bucketLowerEdge(k)).toBeLessThanOrEqual(s);
      expect(bucketUpperEdge(k)).toBeGreaterThan(s);
    }
    expect(bucketOf(10 * 365 * 86_400)).toBe(HISTOGRAM_BUCKETS - 1);
  });

  it('gives no quantile of an empty histogram', () => {
    expect(histogramQuantile(new Array<number>(HISTOGRAM_BUCKETS).fill(0), 0.5)).toBeNull();
  });

  it('estimates the median and 90th percentile within one bucket (19 %) of the exact figure', () => {
    // times spread like review and payment times: hours to weeks, skewed
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const values = Array.from({ length: 5_000 }, () => 3_600 * Math.exp(random() * 6));
    const h = histogramOf(values);
    for (const p of [0.5, 0.9]) {
      const exact = exactQuantile(values, p);
      const estimate = histogramQuantile(h, p)!;
      expect(Math.abs(estimate / exact - 1)).toBeLessThan(0.19);
    }
  });

  it('lands in the bucket of a single repeated time', () => {
    const h = histogramOf(new Array<number>(10).fill(2 * 86_400));
    const median = histogramQuantile(h, 0.5)!;
    expect(bucketOf(median)).toBe(bucketOf(2 * 86_400));
  });
});

describe('summary spans', () => {
  it('reads whole months from month rows and the ends from day rows', () => {
    expect(summarySpans('2025-12-08', '2026-12-07')).toEqual({
      from: '2025-12-08',
      to: '2026-12-07',
      monthsFrom: '2026-01-01',
      monthsTo: '2026-11-01',
      monthsEnd: '2026-12-01',
    });
  });

  it('takes a month that starts and ends the period whole', () => {
    expect(summarySpans('2026-03-01', '2026-03-31')).toMatchObject({
      monthsFrom: '2026-03-01',
      monthsTo: '2026-03-01',
      monthsEnd: '2026-04-01',
    });
    expect(summarySpans('2024-02-01', '2024-02-29').monthsEnd).toBe('2024-03-01');
    expect(summarySpans('2025-12-01', '2025-12-31').monthsEnd).toBe('2026-01-01');
  });

  it('reads every day from day rows when no month is whole', () => {
    for (const [from, to] of [
      ['2026-03-02', '2026-03-31'],
      ['2026-03-01', '2026-03-30'],
      ['2026-03-15', '2026-04-14'],
      ['2026-03-07', '2026-03-07'],
    ] as const)
      expect(summarySpans(from, to)).toEqual({ from, to, monthsFrom: null, monthsTo: null, monthsEnd: null });
  });
});
