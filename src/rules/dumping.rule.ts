import { boxGap, iou, type Box } from '../geometry/box.js';
import {
  insideZone,
  isCarried,
  isIgnored,
  trackObservation,
  watchedTracks,
  type Observation,
  type ZoneFrame,
} from './observation.js';
import type { Track } from './tracker.js';

/*
 * Illegal dumping (dumping spot): a new static object or pile, found by the detector's watched roles (dumping by
 * default) or by the background model, with no person staying by it.
 *
 * "New" matters: a bin or a heap that was there when the zone started watching is part of the scene. Such
 * objects go into the zone's baseline, remembered by place, so that the same heap picked up again under a new
 * track id after a long detector miss is still recognised. The background model needs no baseline: what was
 * there at its first frame is its background.
 */

export interface BaselineObject {
  box: Box;
  lastSeenAt: number;
}

/** A baseline object not seen for this long is forgotten; if it comes back later it counts as new. */
export const BASELINE_FORGET_MS = 6 * 3600 * 1000;
const SAME_PLACE_IOU = 0.3;

export interface DumpingFrameResult {
  observations: Observation[];
  baseline: BaselineObject[];
}

/**
 * Someone staying in place close to the pile. Only a stationary track counts: passers-by, even two walking the
 * same line a few seconds apart and so sharing a track, never stop the clock.
 */
function isAttended(box: Box, persons: readonly Track[], frame: ZoneFrame): boolean {
  const { attendDistance, frameAspect } = frame.config;
  return persons.some((p) => p.stationary && boxGap(p.box, box, frameAspect) <= attendDistance);
}

export function dumpingObservations(
  frame: ZoneFrame,
  baseline: readonly BaselineObject[],
  watchingSince: number,
): DumpingFrameResult {
  const persons = frame.present.filter((t) => t.role === 'person');
  const vehicles = frame.present.filter((t) => t.role === 'vehicle');
  const remembered = baseline
    .filter((b) => frame.capturedAt - b.lastSeenAt <= BASELINE_FORGET_MS)
    .map((b) => ({ ...b }));

  const candidates = watchedTracks(frame)
    .filter((t) => t.role !== 'person' && t.role !== 'vehicle')
    .filter((t) => insideZone(t.box, frame.zone, frame.config))
    // Goods still on a van's bed, or in someone's hands, have not been dumped.
    .filter((t) => !isCarried(t, [...persons, ...vehicles], frame.config));

  const fresh: Track[] = [];
  for (const t of candidates) {
    const known = remembered.find((b) => iou(b.box, t.box) >= SAME_PLACE_IOU);
    if (known) {
      known.box = t.box;
      known.lastSeenAt = frame.capturedAt;
    } else if (t.firstSeenAt <= watchingSince) {
      remembered.push({ box: t.box, lastSeenAt: frame.capturedAt });
    } else {
      fresh.push(t);
    }
  }

  const observations: Observation[] = fresh.map(trackObservation);
  for (const region of frame.sceneRegions) {
    if (!insideZone(region.box, frame.zone, frame.config)) continue;
    // Regions have no class; an ignore zone hides them when it hides the catch-all role.
    if (isIgnored(region.box, 'other', frame)) continue;
    observations.push({
      trackIds: [],
      box: region.box,
      labels: ['scene-change'],
      fromSceneChange: true,
      dwellCounts: true,
      settled: true,
    });
  }
  for (const o of observations) o.dwellCounts = !isAttended(o.box, persons, frame);
  return { observations, baseline: remembered };
}
