import { boxFootPoint, type Box } from '../geometry/box.js';
import { toFrameHeights } from '../geometry/point.js';
import { pointInPolygon } from '../geometry/polygon.js';
import { projectOntoPolyline } from '../geometry/polyline.js';
import type { FrontLine } from '../zones/zone.schema.js';
import {
  agreeingTracks,
  isCarried,
  regionObservation,
  trackObservation,
  watchedTracks,
  zoneRegions,
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
 * the neighbour's goods, even beyond their own line, are not attributed to this shop. Where the background model
 * runs, boxes and racks without a class show as lasting new regions and count by themselves, and a detection
 * counts where such a region agrees (see stall.rule.ts): the shop's fixed sign or bench is part of the scene.
 */
export function encroachmentObservations(frame: ZoneFrame): Observation[] {
  const line = frame.zone.frontLine;
  if (!line) return [];
  const persons = frame.present.filter((t) => t.role === 'person');
  const beyond = (box: Box) =>
    pointInPolygon(boxFootPoint(box), frame.zone.points) &&
    depthBeyondLine(box, line, frame.config.frameAspect) > line.allowedDepth;
  const tracks = watchedTracks(frame)
    .filter((t) => t.role !== 'person')
    .filter((t) => beyond(t.box))
    .filter((t) => !isCarried(t, persons, frame.config));
  const regions = zoneRegions(frame, beyond);
  return [...agreeingTracks(frame, tracks, regions).map(trackObservation), ...regions.map(regionObservation)];
}
