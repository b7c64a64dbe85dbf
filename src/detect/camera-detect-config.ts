import type { NormalizedBox } from './detection.js';
import type { DetectionFilter, ZoneDetectionFilter } from './detection-filter.js';
import type { Zone } from '../zones/zone.schema.js';
import { isScheduleActive } from '../zones/schedule.js';

/** What the detector needs from a camera's config version: crops to look closer at and filters to apply. */
export interface CameraDetectConfig {
  crops: NormalizedBox[];
  filter: DetectionFilter;
  zoneFilters: ZoneDetectionFilter[];
}

const DEFAULT_MIN_SCORE = 0.25;

function bounds(points: readonly { x: number; y: number }[]): NormalizedBox {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
}

/**
 * Zones that are enabled and within their schedule at `at` give the crops (their bounding boxes; the detector's
 * crop planner decides which are worth a closer look) and their own minimum scores; ignore zones become masks.
 */
export function cameraDetectConfig(
  zones: readonly Zone[],
  cameraFilter: {
    minScore?: number;
    minArea?: number;
    maxArea?: number;
    minScoreByLabel?: Record<string, number>;
  },
  at: number,
): CameraDetectConfig {
  const active = zones.filter((z) => z.enabled && isScheduleActive(z.schedule, at));
  const watched = active.filter((z) => z.kind !== 'ignore');
  return {
    crops: watched.map((z) => bounds(z.points)),
    filter: {
      minScore: cameraFilter.minScore ?? DEFAULT_MIN_SCORE,
      minArea: cameraFilter.minArea,
      maxArea: cameraFilter.maxArea,
      minScoreByLabel: cameraFilter.minScoreByLabel,
      ignoreMasks: active.filter((z) => z.kind === 'ignore').map((z) => z.points),
    },
    zoneFilters: watched
      .filter((z) => z.minScore !== undefined)
      .map((z) => ({
        region: z.points,
        filter: { minScore: z.minScore, minArea: cameraFilter.minArea, maxArea: cameraFilter.maxArea },
      })),
  };
}
