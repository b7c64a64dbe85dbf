import { describe, expect, it } from 'vitest';
import type { ScoredBox } from './nms.js';
import { isCutByCrop, mergeViewResults } from './view-merge.js';

const W = 1000;
const H = 500;
const px = (x1: number, y1: number, x2: number, y2: number, score: number, classIndex = 0): ScoredBox => ({
  x1: x1 / W,
  y1: y1 / H,
  x2: x2 / W,
  y2: y2 / H,
  score,
  classIndex,
});
const full = { left: 0, top: 0, width: W, height: H };
const crop = { left: 600, top: 200, width: 200, height: 200 };

describe('isCutByCrop', () => {
  it('flags boxes reaching a crop edge inside the frame, not the frame edge', () => {
    expect(isCutByCrop(px(600, 250, 650, 300, 1), crop, W, H)).toBe(true);
    expect(isCutByCrop(px(700, 300, 799, 399, 1), crop, W, H)).toBe(true);
    expect(isCutByCrop(px(650, 250, 700, 300, 1), crop, W, H)).toBe(false);
    const corner = { left: 800, top: 300, width: 200, height: 200 };
    expect(isCutByCrop(px(900, 400, 1000, 500, 1), corner, W, H)).toBe(false);
  });
});

describe('mergeViewResults', () => {
  it('keeps one box for an object seen whole and in a crop, the better-scoring one', () => {
    const merged = mergeViewResults(
      [
        { rect: full, boxes: [px(650, 250, 700, 320, 0.4)] },
        { rect: crop, boxes: [px(652, 248, 701, 318, 0.85)] },
      ],
      W,
      H,
      0.45,
      100,
    );
    expect(merged).toEqual([px(652, 248, 701, 318, 0.85)]);
  });

  it('adds objects only the crop found and drops partial boxes cut by the crop', () => {
    const merged = mergeViewResults(
      [
        { rect: full, boxes: [px(100, 100, 200, 300, 0.9)] },
        { rect: crop, boxes: [px(700, 300, 720, 340, 0.7), px(600, 210, 640, 260, 0.8, 2)] },
      ],
      W,
      H,
      0.45,
      100,
    );
    expect(merged).toEqual([px(100, 100, 200, 300, 0.9), px(700, 300, 720, 340, 0.7)]);
  });

  it('suppresses duplicates within the whole-frame view alone', () => {
    const merged = mergeViewResults(
      [{ rect: full, boxes: [px(0, 0, 10, 10, 0.5), px(0, 0, 10, 11, 0.6)] }],
      W,
      H,
      0.45,
      10,
    );
    expect(merged).toEqual([px(0, 0, 10, 11, 0.6)]);
  });
});
