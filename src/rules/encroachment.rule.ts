import { boxFootPoint, type Box } from '../geometry/box.js';
import { toFrameHeights } from '../geometry/point.js';
import { pointInPolygon } from '../geometry/polygon.js';
import { projectOntoPolyline } from '../geometry/polyline.js';
import type { FrontLine } from '../zones/zone.schema.js';
import {
  isCarried,
  trackObservation,
  watchedTracks,
  type Observation,
  type ZoneFrame,
} from './observation.js';

/**
 * How far an object stands beyond the front line on the sidewalk side, in frame heights (negative: on the shop's
 * side). It is measured at the object's foot point, the middle of its box's lower edge, because the line is drawn
 * on the ground: the top of a tall rack leans over the line in the image without standing beyond it, and a box
 * straddling the line stands on it.
 */
export function depthBeyondLine(box: Box, line: FrontLine, aspect: number): number {
  const foot = toFrameHeights(boxFootPoint(box), aspect);
  const points = line.points.map((p) => toFrameHeights(p, aspect));
  return projectOntoPolyline(foot, points, line.sidewalkSide).signedDistance;
}

/*
 * Shop encroachment (shop front zone): goods standing in the zone beyond the shop's front line, on the sidewalk
 * side, by more than the allowed depth. The zone's polygon is the stretch of sidewalk in front of this shop, so
 * the neighbour's goods, even beyond their own line, are not attributed to this shop.
 */
export function encroachmentObservations(frame: ZoneFrame): Observation[] {
  const line = frame.zone.frontLine;
  if (!line) return [];
  const persons = frame.present.filter((t) => t.role === 'person');
  return watchedTracks(frame)
    .filter((t) => t.role !== 'person')
    .filter((t) => pointInPolygon(boxFootPoint(t.box), frame.zone.points))
    .filter((t) => depthBeyondLine(t.box, line, frame.config.frameAspect) > line.allowedDepth)
    .filter((t) => !isCarried(t, persons, frame.config))
    .map(trackObservation);
}
