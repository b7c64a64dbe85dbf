import { boxArea, type Box } from './box.js';
import { cross, type Point } from './point.js';

/** A closed polygon given by its vertices in order; the last vertex joins the first implicitly. */
export type Polygon = readonly Point[];

/** Shoelace area: positive when the vertices run clockwise on screen (y down), negative otherwise. */
export function signedArea(polygon: Polygon): number {
  let twice = 0;
  for (let i = 0; i < polygon.length; i++) {
    const a = polygon[i]!;
    const b = polygon[(i + 1) % polygon.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

export function polygonArea(polygon: Polygon): number {
  return Math.abs(signedArea(polygon));
}

export function polygonBoundingBox(polygon: Polygon): Box {
  if (polygon.length === 0) throw new Error('polygonBoundingBox needs at least one vertex');
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of polygon) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  return { x1, y1, x2, y2 };
}

function isOnSegment(p: Point, a: Point, b: Point, epsilon: number): boolean {
  if (Math.abs(cross(a, b, p)) > epsilon * Math.max(1, Math.hypot(b.x - a.x, b.y - a.y))) return false;
  return (
    p.x >= Math.min(a.x, b.x) - epsilon &&
    p.x <= Math.max(a.x, b.x) + epsilon &&
    p.y >= Math.min(a.y, b.y) - epsilon &&
    p.y <= Math.max(a.y, b.y) + epsilon
  );
}

/**
 * Even-odd ray casting. Points on an edge count as inside, so an object standing exactly on a zone's border is
 * treated the same whichever way the floating point falls.
 */
export function pointInPolygon(p: Point, polygon: Polygon, epsilon = 1e-12): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]!;
    const b = polygon[j]!;
    if (isOnSegment(p, a, b, epsilon)) return true;
    if (a.y > p.y !== b.y > p.y) {
      const xAtY = a.x + ((p.y - a.y) * (b.x - a.x)) / (b.y - a.y);
      if (p.x < xAtY) inside = !inside;
    }
  }
  return inside;
}

type Edge = { inside: (p: Point) => boolean; cut: (a: Point, b: Point) => Point };

function clipEdges(box: Box): Edge[] {
  const atX = (a: Point, b: Point, x: number): Point => ({
    x,
    y: a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x),
  });
  const atY = (a: Point, b: Point, y: number): Point => ({
    x: a.x + ((b.x - a.x) * (y - a.y)) / (b.y - a.y),
    y,
  });
  return [
    { inside: (p) => p.x >= box.x1, cut: (a, b) => atX(a, b, box.x1) },
    { inside: (p) => p.x <= box.x2, cut: (a, b) => atX(a, b, box.x2) },
    { inside: (p) => p.y >= box.y1, cut: (a, b) => atY(a, b, box.y1) },
    { inside: (p) => p.y <= box.y2, cut: (a, b) => atY(a, b, box.y2) },
  ];
}

/**
 * The part of `polygon` inside `box` (Sutherland-Hodgman against the box's four sides). For a concave polygon
 * the result may contain zero-width bridges, which add nothing to its area: use it for areas, not for drawing.
 */
export function clipPolygonToBox(polygon: Polygon, box: Box): Point[] {
  let output: Point[] = [...polygon];
  for (const edge of clipEdges(box)) {
    if (output.length === 0) break;
    const input = output;
    output = [];
    for (let i = 0; i < input.length; i++) {
      const current = input[i]!;
      const previous = input[(i + input.length - 1) % input.length]!;
      const currentIn = edge.inside(current);
      const previousIn = edge.inside(previous);
      if (currentIn) {
        if (!previousIn) output.push(edge.cut(previous, current));
        output.push(current);
      } else if (previousIn) {
        output.push(edge.cut(previous, current));
      }
    }
  }
  return output;
}

/**
 * Share (0..1) of the box's area that lies inside the polygon. A box with no area counts as inside or outside by
 * its centre, so a degenerate detection still gets a definite answer.
 */
export function boxOverlapFraction(box: Box, polygon: Polygon): number {
  const area = boxArea(box);
  if (area === 0) {
    return pointInPolygon({ x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 }, polygon) ? 1 : 0;
  }
  const clipped = clipPolygonToBox(polygon, box);
  if (clipped.length < 3) return 0;
  return Math.min(1, polygonArea(clipped) / area);
}
