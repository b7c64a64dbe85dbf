import type { CaptureCount } from './alert-measures.repo.js';

/**
 * Subjects of alerts, as the stable keys the `alerts.subject` column holds (migration 0026), and the grouping
 * of capture counts into each subject's hour and baseline. Pure.
 */

export const subjects = {
  camera: (cameraId: string): string => `camera:${cameraId}`,
  cameraRule: (cameraId: string, rule: string): string => `camera:${cameraId}:rule:${rule}`,
  queue: (name: string): string => `queue:${name}`,
  backlog: (districtId: string): string => `district:${districtId}:backlog`,
  detector: (): string => 'detector',
} as const;

export interface VolumeSeries {
  subject: string;
  cameraId: string;
  districtId: string;
  current: number;
  /** the same hour of each past week the camera existed, most recent first */
  baseline: number[];
}

/**
 * Turns the rows of `captureCounts` into one series per camera (all its rules) and one per camera and rule. A
 * week the camera existed without a capture of a rule counts as zero for that rule.
 */
export function volumeSeries(rows: readonly CaptureCount[]): VolumeSeries[] {
  const cameras = new Map<string, { districtId: string; weeks: Set<number>; counts: Map<string, number> }>();
  for (const r of rows) {
    let c = cameras.get(r.cameraId);
    if (!c) cameras.set(r.cameraId, (c = { districtId: r.districtId, weeks: new Set(), counts: new Map() }));
    c.weeks.add(r.week);
    if (r.rule !== null) c.counts.set(`${r.rule}\u0000${r.week}`, r.n);
  }
  const out: VolumeSeries[] = [];
  for (const [cameraId, c] of cameras) {
    // only a camera that existed through the hour just past is judged
    if (!c.weeks.has(0)) continue;
    const past = [...c.weeks].filter((w) => w > 0).sort((a, b) => a - b);
    const rules = new Set([...c.counts.keys()].map((k) => k.split('\u0000')[0]!));
    const count = (rule: string | null, week: number): number =>
      rule === null
        ? [...rules].reduce((sum, r) => sum + (c.counts.get(`${r}\u0000${week}`) ?? 0), 0)
        : (c.counts.get(`${rule}\u0000${week}`) ?? 0);
    const series = (rule: string | null, subject: string): VolumeSeries => ({
      subject,
      cameraId,
      districtId: c.districtId,
      current: count(rule, 0),
      baseline: past.map((w) => count(rule, w)),
    });
    out.push(series(null, subjects.camera(cameraId)));
    for (const rule of [...rules].sort()) out.push(series(rule, subjects.cameraRule(cameraId, rule)));
  }
  return out;
}
