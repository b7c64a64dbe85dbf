import { cross, type Point } from './point.js';

/** An open line through its points in order, e.g. a shop's door line drawn along the facade. */
export type Polyline = readonly Point[];

/**
 * Which side of a line a point lies on, as seen on the image when walking from the line's first point to its
 * last. With y pointing down, a point below a line drawn left to right is on its right.
 */
export type LineSide = 'left' | 'right';

export interface PolylineProjection {
  /** Unsigned distance to the nearest point of the line. */
  distance: number;
  /** Distance with a sign: positive on `side`, negative on the other side, zero on the line. */
  signedDistance: number;
  /** The nearest point of the line. */
  nearest: Point;
  /** Index of the segment holding the nearest point (segment i joins points i and i+1). */
  segment: number;
  /** False when the nearest point is one of the line's two ends and the point lies beyond that end. */
  withinSpan: boolean;
}

function leftNormal(a: Point, b: Point): Point {
  // Screen-left of the direction a->b with y pointing down.
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  return length === 0 ? { x: 0, y: 0 } : { x: (b.y - a.y) / length, y: -(b.x - a.x) / length };
}

/**
 * Nearest point of the polyline and the side the point lies on. Where the nearest point is a shared vertex, the
 * side comes from the two neighbouring segments' normals added together, which keeps the sign right on both the
 * outer and the inner side of a bend.
 */
export function projectOntoPolyline(p: Point, line: Polyline, side: LineSide = 'right'): PolylineProjection {
  if (line.length < 2) throw new Error(`a polyline needs at least 2 points, got ${line.length}`);
  let best = { distance: Infinity, nearest: line[0]!, segment: 0, t: 0 };
  for (let i = 0; i < line.length - 1; i++) {
    const a = line[i]!;
    const b = line[i + 1]!;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const lengthSquared = dx * dx + dy * dy;
    const raw = lengthSquared === 0 ? 0 : ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared;
    const t = Math.min(1, Math.max(0, raw));
    const nearest = { x: a.x + t * dx, y: a.y + t * dy };
    const d = Math.hypot(p.x - nearest.x, p.y - nearest.y);
    if (d < best.distance - 1e-15) best = { distance: d, nearest, segment: i, t };
  }

  const lastSegment = line.length - 2;
  const atStart = best.segment === 0 && best.t === 0;
  const atEnd = best.segment === lastSegment && best.t === 1;
  let leftness: number;
  if (best.t > 0 && best.t < 1) {
    leftness = -cross(line[best.segment]!, line[best.segment + 1]!, p);
  } else {
    const vertexIndex = best.t === 0 ? best.segment : best.segment + 1;
    const normals: Point[] = [];
    if (vertexIndex > 0) normals.push(leftNormal(line[vertexIndex - 1]!, line[vertexIndex]!));
    if (vertexIndex < line.length - 1) normals.push(leftNormal(line[vertexIndex]!, line[vertexIndex + 1]!));
    const n = normals.reduce((sum, v) => ({ x: sum.x + v.x, y: sum.y + v.y }), { x: 0, y: 0 });
    leftness = (p.x - best.nearest.x) * n.x + (p.y - best.nearest.y) * n.y;
  }
  const sign = leftness === 0 || best.distance === 0 ? 0 : leftness > 0 === (side === 'left') ? 1 : -1;
  const projected = (atStart || atEnd) && best.distance > 0 && isBeyondEnd(p, line, atStart);
  return {
    distance: best.distance,
    signedDistance: sign * best.distance,
    nearest: best.nearest,
    segment: best.segment,
    withinSpan: !projected,
  };
}

function isBeyondEnd(p: Point, line: Polyline, atStart: boolean): boolean {
  const [end, inner] = atStart ? [line[0]!, line[1]!] : [line[line.length - 1]!, line[line.length - 2]!];
  return (p.x - end.x) * (end.x - inner.x) + (p.y - end.y) * (end.y - inner.y) > 0;
}

/** Signed distance of `p` from the line: positive on `side`, in the units of the points given. */
export function signedDistanceToPolyline(p: Point, line: Polyline, side: LineSide): number {
  return projectOntoPolyline(p, line, side).signedDistance;
}

export function sideOfPolyline(p: Point, line: Polyline): LineSide | 'on' {
  const d = projectOntoPolyline(p, line, 'right').signedDistance;
  return d === 0 ? 'on' : d > 0 ? 'right' : 'left';
}
