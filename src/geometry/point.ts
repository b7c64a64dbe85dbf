/**
 * Points in normalised frame coordinates: x and y run 0..1 across the frame's width and height, y pointing down
 * as in the image. Distances measured directly in these units are stretched along x on a wide frame, so code
 * that compares distances first converts with `toFrameHeights`.
 */
export interface Point {
  x: number;
  y: number;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** z of the cross product (b - a) x (c - a): positive when c lies clockwise of a->b on screen (y down). */
export function cross(a: Point, b: Point, c: Point): number {
  return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

export function isInsideFrame(p: Point): boolean {
  return p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1;
}

/**
 * Converts a normalised point into units of the frame's height, so that one unit is the same number of pixels
 * along both axes. `aspect` is the frame's width divided by its height (16/9 for most cameras).
 */
export function toFrameHeights(p: Point, aspect: number): Point {
  return { x: p.x * aspect, y: p.y };
}

export function pointsEqual(a: Point, b: Point, epsilon = 1e-12): boolean {
  return Math.abs(a.x - b.x) <= epsilon && Math.abs(a.y - b.y) <= epsilon;
}
