import { boxGap, iou, type Box } from '../geometry/box.js';
import {
  agreeingTracks,
  insideZone,
  isCarried,
  regionObservation,
  trackObservation,
  watchedTracks,
  zoneRegions,
  type Observation,
  type ZoneFrame,
} from './observation.js';
import type { Track } from './tracker.js';

/*
 * Illegal dumping (dumping spot): a new static object or pile with no one staying by it, judged on agreement of
 * evidence rather than on one proxy label.
 *
 * Where the background model runs, it is the witness: a static new region in the zone is an object left there,
 * whatever the detector makes of it (the default model rarely sees a bag on the pavement at all). A detection of
 * a watched role counts only where such a region agrees, and then adds its label to the evidence: a `toilet` the
 * model sees on a utility box, or on the legs of a table, is part of the learnt background and never a change, so
 * it cannot make dumping on its own. Without a grid (no background model) detections are all there is and count
 * alone, as they always did.
 *
 * "New" matters for detections: a bin or a heap that was there when the zone started watching is part of the
 * scene. Such objects go into the zone's baseline, remembered by place, so that the same heap picked up again
 * under a new track id after a long detector miss is still recognised. The background model needs no baseline:
 * what was there while it learnt is its background.
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
 * same line a few seconds apart and so sharing a track, never attend it.
 */
function near(box: Box, person: Track, frame: ZoneFrame): boolean {
  return boxGap(person.box, box, frame.config.frameAspect) <= frame.config.attendDistance;
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

  const regions = zoneRegions(frame, (box) => insideZone(box, frame.zone, frame.config));
  const observations: Observation[] = [
    ...agreeingTracks(frame, fresh, regions).map(trackObservation),
    ...regions.map(regionObservation),
  ];
  for (const o of observations) {
    const close = frame.persons.filter((p) => near(o.box, p, frame));
    o.attended = close.some((p) => p.stationary);
    o.personNear = close.length > 0;
  }
  return { observations, baseline: remembered };
}
