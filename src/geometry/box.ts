import type { NormalizedBox } from '../detect/detection.js';
import type { Point } from './point.js';

/** An axis-aligned box, x1 <= x2 and y1 <= y2, in whatever units its points use (normally 0..1 of the frame). */
export type Box = NormalizedBox;

export function boxWidth(b: Box): number {
  return Math.max(0, b.x2 - b.x1);
}

export function boxHeight(b: Box): number {
  return Math.max(0, b.y2 - b.y1);
}

export function boxArea(b: Box): number {
  return boxWidth(b) * boxHeight(b);
}

export function boxCentre(b: Box): Point {
  return { x: (b.x1 + b.x2) / 2, y: (b.y1 + b.y2) / 2 };
}

/** Where an object stands on the ground: the middle of the box's lower edge. */
export function boxFootPoint(b: Box): Point {
  return { x: (b.x1 + b.x2) / 2, y: b.y2 };
}

export function boxIntersection(a: Box, b: Box): Box | null {
  const x1 = Math.max(a.x1, b.x1);
  const y1 = Math.max(a.y1, b.y1);
  const x2 = Math.min(a.x2, b.x2);
  const y2 = Math.min(a.y2, b.y2);
  return x2 > x1 && y2 > y1 ? { x1, y1, x2, y2 } : null;
}

export function intersectionArea(a: Box, b: Box): number {
  const inter = boxIntersection(a, b);
  return inter ? boxArea(inter) : 0;
}

/** Intersection over union; 0 for disjoint or empty boxes. */
export function iou(a: Box, b: Box): number {
  const inter = intersectionArea(a, b);
  if (inter === 0) return 0;
  return inter / (boxArea(a) + boxArea(b) - inter);
}

/** Share of `inner`'s area that lies inside `outer` (0 when `inner` is empty). */
export function containedFraction(inner: Box, outer: Box): number {
  const area = boxArea(inner);
  return area === 0 ? 0 : intersectionArea(inner, outer) / area;
}

export function unionBox(boxes: readonly Box[]): Box {
  if (boxes.length === 0) throw new Error('unionBox needs at least one box');
  let { x1, y1, x2, y2 } = boxes[0]!;
  for (const b of boxes) {
    x1 = Math.min(x1, b.x1);
    y1 = Math.min(y1, b.y1);
    x2 = Math.max(x2, b.x2);
    y2 = Math.max(y2, b.y2);
  }
  return { x1, y1, x2, y2 };
}

export function expandBox(b: Box, dx: number, dy: number = dx): Box {
  return { x1: b.x1 - dx, y1: b.y1 - dy, x2: b.x2 + dx, y2: b.y2 + dy };
}

export function clampBoxToFrame(b: Box): Box {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return { x1: clamp(b.x1), y1: clamp(b.y1), x2: clamp(b.x2), y2: clamp(b.y2) };
}

/**
 * Shortest distance between two boxes (0 when they touch or overlap). `aspect` scales x so the result is in frame
 * heights; pass 1 to measure in the boxes' own units.
 */
export function boxGap(a: Box, b: Box, aspect = 1): number {
  const dx = Math.max(0, a.x1 - b.x2, b.x1 - a.x2) * aspect;
  const dy = Math.max(0, a.y1 - b.y2, b.y1 - a.y2);
  return Math.hypot(dx, dy);
}

export function boxCorners(b: Box): Point[] {
  return [
    { x: b.x1, y: b.y1 },
    { x: b.x2, y: b.y1 },
    { x: b.x2, y: b.y2 },
    { x: b.x1, y: b.y2 },
  ];
}

export function isWellFormedBox(b: Box): boolean {
  return [b.x1, b.y1, b.x2, b.y2].every(Number.isFinite) && b.x2 >= b.x1 && b.y2 >= b.y1;
}

/** Moves `from` a share `alpha` (0..1) of the way towards `to`, corner by corner. */
export function blendBoxes(from: Box, to: Box, alpha: number): Box {
  const mix = (a: number, b: number) => a + (b - a) * alpha;
  return {
    x1: mix(from.x1, to.x1),
    y1: mix(from.y1, to.y1),
    x2: mix(from.x2, to.x2),
    y2: mix(from.y2, to.y2),
  };
}
