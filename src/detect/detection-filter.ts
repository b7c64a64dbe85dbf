import { boxArea, boxFootPoint } from '../geometry/box.js';
import type { Point } from '../geometry/point.js';
import { pointInPolygon, type Polygon } from '../geometry/polygon.js';
import type { Detection, DetectionRole } from './detection.js';

/**
 * What a camera (or a zone of it) wants to hear about. Every field is optional; an empty filter keeps all.
 * Areas are shares of the frame's area, so one setting holds for any resolution.
 */
export interface DetectionFilter {
  /** Detections scoring below this are dropped. */
  minScore?: number;
  /** Per-label minimum score, overriding `minScore` for that label (e.g. a stricter bar for "bottle"). */
  minScoreByLabel?: Readonly<Record<string, number>>;
  /** Boxes smaller than this share of the frame are dropped (specks, far-off noise). */
  minArea?: number;
  /** Boxes larger than this share of the frame are dropped (a lens-filling blur is not an object). */
  maxArea?: number;
  /** Only these roles are kept; absent means all. */
  roles?: readonly DetectionRole[];
  /**
   * Polygons where nothing is reported (a billboard with people on it, a private yard). A detection is dropped
   * when its foot point, the middle of its lower edge where it stands on the ground, lies inside one.
   */
  ignoreMasks?: readonly Polygon[];
}

/** A zone's own filter: used instead of the camera's for detections standing inside `region`. */
export interface ZoneDetectionFilter {
  region: Polygon;
  filter: DetectionFilter;
}

function passes(d: Detection, f: DetectionFilter, foot: Point): boolean {
  const minScore = f.minScoreByLabel?.[d.label] ?? f.minScore;
  if (minScore !== undefined && d.score < minScore) return false;
  const area = boxArea(d.box);
  if (f.minArea !== undefined && area < f.minArea) return false;
  if (f.maxArea !== undefined && area > f.maxArea) return false;
  if (f.roles && !f.roles.includes(d.role)) return false;
  if (f.ignoreMasks?.some((mask) => pointInPolygon(foot, mask))) return false;
  return true;
}

/**
 * Applies the camera's filter, or for a detection standing in one or more zones those zones' filters laid over
 * the camera's: it is kept when it passes any of them, because each zone's rule judges it on its own terms.
 * The camera's ignore masks always apply.
 */
export function filterDetections(
  detections: readonly Detection[],
  camera: DetectionFilter = {},
  zones: readonly ZoneDetectionFilter[] = [],
): Detection[] {
  const zoneFilters = zones.map((z) => ({
    region: z.region,
    filter: {
      ...camera,
      ...z.filter,
      ignoreMasks: [...(camera.ignoreMasks ?? []), ...(z.filter.ignoreMasks ?? [])],
    },
  }));
  return detections.filter((d) => {
    const foot = boxFootPoint(d.box);
    const inZones = zoneFilters.filter((z) => pointInPolygon(foot, z.region));
    if (inZones.length === 0) return passes(d, camera, foot);
    return inZones.some((z) => passes(d, z.filter, foot));
  });
}
