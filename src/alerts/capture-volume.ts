import { round, type Verdict } from './alert-rules.js';

/**
 * Abnormal capture volume against the subject's own baseline. The count of the hour just past is compared with
 * the counts of the same hour, on the same weekday, in each of the past N weeks (so a camera busy on market
 * mornings is compared with market mornings, not with its quiet nights). The comparison is a robust z-score:
 *
 *   z = (x - median) / (1.4826 * MAD)
 *
 * with MAD the median absolute deviation of the baseline counts. Median and MAD ignore a few unusual weeks (a
 * holiday, a week the camera was broken) where a mean and standard deviation would be pulled by them; 1.4826
 * makes the MAD estimate a standard deviation for normally distributed counts. Capture counts are small
 * integers and often equal from week to week, which makes the MAD 0: the scale is then floored at
 * `MIN_SCALE` (one capture), so that one capture more than usual is never "infinitely" abnormal.
 */

export const MAD_TO_SIGMA = 1.4826;
export const MIN_SCALE = 1;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function medianAbsoluteDeviation(values: readonly number[], centre = median(values)): number {
  return median(values.map((v) => Math.abs(v - centre)));
}

export interface RobustScore {
  median: number;
  mad: number;
  scale: number;
  z: number;
}

export function robustZ(value: number, baseline: readonly number[]): RobustScore {
  const m = median(baseline);
  const mad = medianAbsoluteDeviation(baseline, m);
  const scale = Math.max(MAD_TO_SIGMA * mad, MIN_SCALE);
  return { median: m, mad, scale, z: (value - m) / scale };
}

export interface VolumeInput {
  /** captures in the hour just past */
  current: number;
  /** captures in the same hour of each past week the subject existed (most recent first) */
  baseline: readonly number[];
}

export interface VolumeThresholds {
  volumeZ: number;
  volumeResolveZ: number;
  volumeMinWeeks: number;
  volumeMinCount: number;
}

/**
 * A surge (z at or above the threshold, with at least `volumeMinCount` captures) or a collapse (z at or below
 * minus the threshold, from a median of at least `volumeMinCount`) raises; |z| under the resolve threshold
 * clears. Too short a baseline (a new camera) neither raises nor clears an alert that is already open.
 */
export function captureVolume(input: VolumeInput, t: VolumeThresholds): Verdict {
  const weeks = input.baseline.length;
  if (weeks < t.volumeMinWeeks) {
    return {
      raise: false,
      clear: false,
      severity: 'info',
      detail: { current: input.current, weeks, minWeeks: t.volumeMinWeeks },
    };
  }
  const s = robustZ(input.current, input.baseline);
  const surge = s.z >= t.volumeZ && input.current >= t.volumeMinCount;
  const collapse = s.z <= -t.volumeZ && s.median >= t.volumeMinCount;
  return {
    raise: surge || collapse,
    clear: Math.abs(s.z) < t.volumeResolveZ,
    severity: 'warning',
    detail: {
      current: input.current,
      median: s.median,
      mad: s.mad,
      z: round(s.z, 2),
      direction: s.z >= 0 ? 'up' : 'down',
      weeks,
      threshold: t.volumeZ,
    },
  };
}
