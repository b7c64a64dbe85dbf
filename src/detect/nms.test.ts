import { describe, expect, it } from 'vitest';
import { boxIou, classAwareNms, type ScoredBox } from './nms.js';

const box = (x1: number, y1: number, x2: number, y2: number, score: number, classIndex = 0): ScoredBox => ({
  x1,
  y1,
  x2,
  y2,
  score,
  classIndex,
});

describe('boxIou', () => {
  it('is 1 for equal boxes, 0 for disjoint or touching ones, and the area ratio otherwise', () => {
    expect(boxIou(box(0, 0, 10, 10, 1), box(0, 0, 10, 10, 1))).toBe(1);
    expect(boxIou(box(0, 0, 10, 10, 1), box(10, 0, 20, 10, 1))).toBe(0);
    // Overlap 5x10 = 50, union 150.
    expect(boxIou(box(0, 0, 10, 10, 1), box(5, 0, 15, 10, 1))).toBeCloseTo(1 / 3, 9);
  });
});

describe('classAwareNms', () => {
  it('keeps the best box of a cluster of one class', () => {
    const kept = classAwareNms(
      [box(0, 0, 10, 10, 0.6), box(1, 1, 11, 11, 0.9), box(50, 50, 60, 60, 0.5)],
      0.45,
      10,
    );
    expect(kept.map((b) => b.score)).toEqual([0.9, 0.5]);
  });

  it('never lets one class suppress another', () => {
    const person = box(0, 0, 10, 20, 0.8, 0);
    const umbrella = box(0, 0, 10, 19, 0.7, 25);
    expect(classAwareNms([person, umbrella], 0.45, 10)).toEqual([person, umbrella]);
  });

  it('keeps overlapping boxes below the threshold and stops at maxDetections', () => {
    const boxes = [box(0, 0, 10, 10, 0.9), box(5, 0, 15, 10, 0.8), box(30, 0, 40, 10, 0.7)];
    expect(classAwareNms(boxes, 0.45, 10)).toHaveLength(3);
    expect(classAwareNms(boxes, 0.3, 10)).toHaveLength(2);
    expect(classAwareNms(boxes, 0.45, 2).map((b) => b.score)).toEqual([0.9, 0.8]);
  });
});
