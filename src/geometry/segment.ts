import { cross, pointsEqual, type Point } from './point.js';

const EPSILON = 1e-12;

function orientation(a: Point, b: Point, c: Point): -1 | 0 | 1 {
  const value = cross(a, b, c);
  if (Math.abs(value) <= EPSILON) return 0;
  return value > 0 ? 1 : -1;
}

function withinBounds(p: Point, a: Point, b: Point): boolean {
  return (
    p.x >= Math.min(a.x, b.x) - EPSILON &&
    p.x <= Math.max(a.x, b.x) + EPSILON &&
    p.y >= Math.min(a.y, b.y) - EPSILON &&
    p.y <= Math.max(a.y, b.y) + EPSILON
  );
}

/** True when segments a1-a2 and b1-b2 share at least one point, touching and collinear overlap included. */
export function segmentsIntersect(a1: Point, a2: Point, b1: Point, b2: Point): boolean {
  const o1 = orientation(a1, a2, b1);
  const o2 = orientation(a1, a2, b2);
  const o3 = orientation(b1, b2, a1);
  const o4 = orientation(b1, b2, a2);
  if (o1 !== o2 && o3 !== o4 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return true;
  if (o1 === 0 && withinBounds(b1, a1, a2)) return true;
  if (o2 === 0 && withinBounds(b2, a1, a2)) return true;
  if (o3 === 0 && withinBounds(a1, b1, b2)) return true;
  if (o4 === 0 && withinBounds(a2, b1, b2)) return true;
  return false;
}

/** A fault found in a ring or a line: two edges that cross or overlap, given by 0-based edge indices. */
export interface EdgeCrossing {
  first: number;
  second: number;
}

/**
 * Edges that meet where they should not. Edge i joins point i to point i+1 (and, when `closed`, the last point
 * back to the first). Neighbouring edges may share their common vertex, but not fold back over each other.
 */
export function findEdgeCrossings(points: readonly Point[], closed: boolean): EdgeCrossing[] {
  const n = points.length;
  const edgeCount = closed ? n : n - 1;
  const crossings: EdgeCrossing[] = [];
  const start = (i: number) => points[i]!;
  const end = (i: number) => points[(i + 1) % n]!;
  for (let i = 0; i < edgeCount; i++) {
    for (let j = i + 1; j < edgeCount; j++) {
      const adjacent = j === i + 1 || (closed && i === 0 && j === edgeCount - 1);
      if (adjacent) {
        if (foldsBack(start(i), end(i), start(j), end(j))) crossings.push({ first: i, second: j });
        continue;
      }
      if (segmentsIntersect(start(i), end(i), start(j), end(j))) crossings.push({ first: i, second: j });
    }
  }
  return crossings;
}

/** Two edges sharing a vertex overlap when they are collinear and the second turns straight back. */
function foldsBack(a1: Point, a2: Point, b1: Point, b2: Point): boolean {
  if (orientation(a1, a2, b1) !== 0 || orientation(a1, a2, b2) !== 0) return false;
  const shared = pointsEqual(a2, b1) ? a2 : pointsEqual(a1, b2) ? a1 : null;
  if (!shared) return true;
  const aOther = shared === a2 ? a1 : a2;
  const bOther = shared === a2 ? b2 : b1;
  const dot = (aOther.x - shared.x) * (bOther.x - shared.x) + (aOther.y - shared.y) * (bOther.y - shared.y);
  return dot > 0;
}
