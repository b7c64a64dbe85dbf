import { parseTimeOfDay } from '../zones/schedule.js';
import type { CameraSchedule } from './camera.schema.js';

/**
 * Settings a schema accepts but that would switch a camera, or its detector filter, off without anyone noticing:
 * a window that opens and closes at the same minute, "not always" with no window, a filter no box can pass.
 * Each is refused with a sentence that says why and what to use instead; to stop a camera, staff disable it.
 */

export interface DetectionFilterSettings {
  minScore?: number;
  minArea?: number;
  maxArea?: number;
  minScoreByLabel?: Record<string, number>;
}

export function scheduleFaults(schedule: CameraSchedule | undefined): string[] {
  if (!schedule) return [];
  const faults: string[] = [];
  const windows = schedule.windows ?? [];
  if (schedule.always === false && windows.length === 0)
    faults.push(
      'schedule: always is false and no window is given, so the camera would never be sampled; give windows, or set enabled to false to stop it',
    );
  if (schedule.always === true && windows.length > 0)
    faults.push(
      'schedule: always is true but windows are given; leave always out (or false) to sample only in the windows',
    );
  windows.forEach((w, i) => {
    if (parseTimeOfDay(w.start) === parseTimeOfDay(w.end))
      faults.push(
        `schedule.windows.${i}: the window opens and closes at ${w.start}, so it never opens; use 00:00 to 24:00 for a whole day`,
      );
  });
  return faults;
}

export function detectionFilterFaults(filter: DetectionFilterSettings | undefined): string[] {
  if (!filter) return [];
  const faults: string[] = [];
  const { minScore, minArea, maxArea } = filter;
  if (minScore !== undefined && minScore >= 1)
    faults.push(`detectionFilter.minScore: ${minScore} would drop every detection; use a value below 1`);
  for (const [label, score] of Object.entries(filter.minScoreByLabel ?? {}))
    if (score >= 1)
      faults.push(
        `detectionFilter.minScoreByLabel.${label}: ${score} would drop every ${label}; use a value below 1`,
      );
  if (minArea !== undefined && minArea >= 1)
    faults.push(`detectionFilter.minArea: ${minArea} would drop every box; use a share of the frame below 1`);
  if (maxArea !== undefined && maxArea <= 0)
    faults.push(`detectionFilter.maxArea: ${maxArea} would drop every box; use a share of the frame above 0`);
  if (minArea !== undefined && maxArea !== undefined && minArea >= maxArea)
    faults.push(
      `detectionFilter: minArea (${minArea}) is not below maxArea (${maxArea}), so no box could pass`,
    );
  return faults;
}
