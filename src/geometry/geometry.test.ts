import { describe, expect, it } from 'vitest';
import { boxGap, containedFraction, iou, unionBox, boxFootPoint, blendBoxes } from './box.js';
import { distance, toFrameHeights } from './point.js';
import {
  boxOverlapFraction,
  pointInPolygon,
  polygonArea,
  polygonBoundingBox,
  signedArea,
} from './polygon.js';
import { projectOntoPolyline, sideOfPolyline, signedDistanceToPolyline } from './polyline.js';
import { findEdgeCrossings, segmentsIntersect } from './segment.js';

const square = [
  { x: 0.2, y: 0.2 },
  { x: 0.6, y: 0.2 },
  { x: 0.6, y: 0.6 },
  { x: 0.2, y: 0.6 },
];
// An L shape: the square above with its top-right quarter cut away.
const lShape = [
  { x: 0, y: 0 },
  { x: 0.5, y: 0 },
  { x: 0.5, y: 0.5 },
  { x: 1, y: 0.5 },
  { x: 1, y: 1 },
  { x: 0, y: 1 },
];

describe('boxes', () => {
  it('computes IoU of overlapping, identical and disjoint boxes', () => {
    const a = { x1: 0, y1: 0, x2: 0.2, y2: 0.2 };
    const b = { x1: 0.1, y1: 0, x2: 0.3, y2: 0.2 };
    expect(iou(a, b)).toBeCloseTo(0.02 / 0.06, 10);
    expect(iou(a, a)).toBeCloseTo(1, 12);
    expect(iou(a, { x1: 0.5, y1: 0.5, x2: 0.6, y2: 0.6 })).toBe(0);
  });

  it('measures the gap between boxes in frame heights', () => {
    const a = { x1: 0, y1: 0, x2: 0.1, y2: 0.1 };
    const right = { x1: 0.2, y1: 0, x2: 0.3, y2: 0.1 };
    expect(boxGap(a, right)).toBeCloseTo(0.1, 12);
    expect(boxGap(a, right, 16 / 9)).toBeCloseTo(0.1 * (16 / 9), 12);
    expect(boxGap(a, { x1: 0.05, y1: 0.05, x2: 0.2, y2: 0.2 })).toBe(0);
    expect(boxGap(a, { x1: 0.13, y1: 0.14, x2: 0.2, y2: 0.2 })).toBeCloseTo(0.05, 12);
  });

  it('unions, contains, blends and finds the foot of boxes', () => {
    const small = { x1: 0.1, y1: 0.1, x2: 0.2, y2: 0.2 };
    const big = { x1: 0.15, y1: 0, x2: 0.5, y2: 0.4 };
    expect(unionBox([small, big])).toEqual({ x1: 0.1, y1: 0, x2: 0.5, y2: 0.4 });
    expect(containedFraction(small, big)).toBeCloseTo(0.5, 12);
    expect(boxFootPoint(big)).toEqual({ x: 0.325, y: 0.4 });
    expect(blendBoxes(small, big, 0.5).x2).toBeCloseTo(0.35, 12);
    expect(() => unionBox([])).toThrow(/at least one box/);
  });

  it('converts to frame heights so distances are isotropic', () => {
    const a = toFrameHeights({ x: 0, y: 0 }, 16 / 9);
    const b = toFrameHeights({ x: 0.5625, y: 0 }, 16 / 9);
    expect(distance(a, b)).toBeCloseTo(1, 12);
  });
});

describe('polygons', () => {
  it('gives area with orientation and a bounding box', () => {
    expect(polygonArea(square)).toBeCloseTo(0.16, 12);
    expect(signedArea(square)).toBeGreaterThan(0);
    expect(signedArea([...square].reverse())).toBeLessThan(0);
    expect(polygonArea(lShape)).toBeCloseTo(0.75, 12);
    expect(polygonBoundingBox(lShape)).toEqual({ x1: 0, y1: 0, x2: 1, y2: 1 });
  });

  it('tests points inside, outside, on the border and in a concave notch', () => {
    expect(pointInPolygon({ x: 0.4, y: 0.4 }, square)).toBe(true);
    expect(pointInPolygon({ x: 0.7, y: 0.4 }, square)).toBe(false);
    expect(pointInPolygon({ x: 0.6, y: 0.4 }, square)).toBe(true);
    expect(pointInPolygon({ x: 0.2, y: 0.2 }, square)).toBe(true);
    expect(pointInPolygon({ x: 0.75, y: 0.25 }, lShape)).toBe(false);
    expect(pointInPolygon({ x: 0.75, y: 0.75 }, lShape)).toBe(true);
  });

  it('measures how much of a box lies inside a polygon, concave ones included', () => {
    expect(boxOverlapFraction({ x1: 0.3, y1: 0.3, x2: 0.4, y2: 0.4 }, square)).toBeCloseTo(1, 12);
    expect(boxOverlapFraction({ x1: 0.5, y1: 0.3, x2: 0.7, y2: 0.4 }, square)).toBeCloseTo(0.5, 12);
    expect(boxOverlapFraction({ x1: 0.7, y1: 0.7, x2: 0.8, y2: 0.8 }, square)).toBe(0);
    // The box covers the notch and the two arms around it: three quarters lie inside the L.
    expect(boxOverlapFraction({ x1: 0.25, y1: 0.25, x2: 0.75, y2: 0.75 }, lShape)).toBeCloseTo(0.75, 12);
    expect(boxOverlapFraction({ x1: 0.6, y1: 0.1, x2: 0.9, y2: 0.4 }, lShape)).toBe(0);
    expect(boxOverlapFraction({ x1: 0.4, y1: 0.4, x2: 0.4, y2: 0.4 }, square)).toBe(1);
  });
});

describe('segments and self-intersection', () => {
  it('detects crossing, touching, collinear overlap and separation', () => {
    const p = (x: number, y: number) => ({ x, y });
    expect(segmentsIntersect(p(0, 0), p(1, 1), p(0, 1), p(1, 0))).toBe(true);
    expect(segmentsIntersect(p(0, 0), p(1, 0), p(1, 0), p(1, 1))).toBe(true);
    expect(segmentsIntersect(p(0, 0), p(2, 0), p(1, 0), p(3, 0))).toBe(true);
    expect(segmentsIntersect(p(0, 0), p(1, 0), p(2, 0), p(3, 0))).toBe(false);
    expect(segmentsIntersect(p(0, 0), p(1, 0), p(0, 0.1), p(1, 0.2))).toBe(false);
  });

  it('finds the crossing edges of a bow-tie and nothing in a simple ring', () => {
    const bowTie = [
      { x: 0.1, y: 0.1 },
      { x: 0.9, y: 0.9 },
      { x: 0.9, y: 0.1 },
      { x: 0.1, y: 0.9 },
    ];
    expect(findEdgeCrossings(bowTie, true)).toEqual([{ first: 0, second: 2 }]);
    expect(findEdgeCrossings(square, true)).toEqual([]);
    expect(findEdgeCrossings(lShape, true)).toEqual([]);
  });

  it('finds an edge that folds back over its neighbour', () => {
    const spike = [
      { x: 0.1, y: 0.1 },
      { x: 0.5, y: 0.1 },
      { x: 0.3, y: 0.1 },
      { x: 0.3, y: 0.5 },
    ];
    expect(findEdgeCrossings(spike, true)).toContainEqual({ first: 0, second: 1 });
  });

  it('checks open polylines without joining the ends', () => {
    const zigzag = [
      { x: 0.1, y: 0.5 },
      { x: 0.5, y: 0.5 },
      { x: 0.5, y: 0.6 },
      { x: 0.1, y: 0.6 },
    ];
    expect(findEdgeCrossings(zigzag, false)).toEqual([]);
    const crossingBack = [...zigzag, { x: 0.3, y: 0.4 }];
    expect(findEdgeCrossings(crossingBack, false)).toEqual([{ first: 0, second: 3 }]);
  });
});

describe('polylines', () => {
  const doorLine = [
    { x: 0.1, y: 0.5 },
    { x: 0.9, y: 0.5 },
  ];

  it('puts points below a left-to-right line on its right, as seen on the image', () => {
    expect(sideOfPolyline({ x: 0.5, y: 0.7 }, doorLine)).toBe('right');
    expect(sideOfPolyline({ x: 0.5, y: 0.3 }, doorLine)).toBe('left');
    expect(sideOfPolyline({ x: 0.5, y: 0.5 }, doorLine)).toBe('on');
    expect(signedDistanceToPolyline({ x: 0.5, y: 0.7 }, doorLine, 'right')).toBeCloseTo(0.2, 12);
    expect(signedDistanceToPolyline({ x: 0.5, y: 0.7 }, doorLine, 'left')).toBeCloseTo(-0.2, 12);
  });

  it('keeps the sign right around a bend, inside and outside the corner', () => {
    // An L-shaped facade: along the top, then down the right side. Its right side is the inside of the corner.
    const facade = [
      { x: 0.1, y: 0.2 },
      { x: 0.6, y: 0.2 },
      { x: 0.6, y: 0.8 },
    ];
    const outside = projectOntoPolyline({ x: 0.7, y: 0.1 }, facade, 'right');
    expect(outside.nearest).toEqual({ x: 0.6, y: 0.2 });
    expect(outside.signedDistance).toBeLessThan(0);
    const inside = projectOntoPolyline({ x: 0.5, y: 0.3 }, facade, 'right');
    expect(inside.signedDistance).toBeCloseTo(0.1, 12);
    expect(projectOntoPolyline({ x: 0.7, y: 0.5 }, facade, 'right').signedDistance).toBeCloseTo(-0.1, 12);
  });

  it('reports whether the nearest point lies beyond an end of the line', () => {
    expect(projectOntoPolyline({ x: 0.5, y: 0.6 }, doorLine).withinSpan).toBe(true);
    expect(projectOntoPolyline({ x: 0.95, y: 0.6 }, doorLine).withinSpan).toBe(false);
    expect(projectOntoPolyline({ x: 0.05, y: 0.6 }, doorLine).withinSpan).toBe(false);
    expect(() => projectOntoPolyline({ x: 0, y: 0 }, [{ x: 0, y: 0 }])).toThrow(/at least 2 points/);
  });
});
