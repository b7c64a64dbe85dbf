import { describe, expect, it } from 'vitest';
import { computeLetterbox, inputBoxToFrame, letterboxFromResized } from './letterbox.js';

describe('computeLetterbox', () => {
  it('fits a 4:3 frame into a square input anchored top-left, padding only below', () => {
    const lb = computeLetterbox(768, 576, 416, 416, 'top-left');
    expect(lb).toMatchObject({ resizedWidth: 416, resizedHeight: 312, padLeft: 0, padTop: 0 });
    expect(lb.scaleX).toBeCloseTo(416 / 768, 6);
    expect(lb.scaleY).toBeCloseTo(312 / 576, 6);
  });

  it('centres a wide frame vertically in "centre" mode', () => {
    const lb = computeLetterbox(1920, 1080, 640, 640, 'centre');
    expect(lb).toMatchObject({ resizedWidth: 640, resizedHeight: 360, padLeft: 0, padTop: 140 });
  });

  it('centres a tall crop horizontally and magnifies a small one', () => {
    const lb = computeLetterbox(100, 200, 416, 416, 'centre');
    expect(lb).toMatchObject({ resizedWidth: 208, resizedHeight: 416, padLeft: 104, padTop: 0 });
  });

  it('stretches without padding in "stretch" mode', () => {
    const lb = computeLetterbox(1920, 1080, 416, 416, 'stretch');
    expect(lb).toMatchObject({ resizedWidth: 416, resizedHeight: 416, padLeft: 0, padTop: 0 });
    expect(lb.scaleX).not.toBeCloseTo(lb.scaleY, 3);
  });

  it('keeps at least one row for a sliver and refuses an empty source', () => {
    expect(computeLetterbox(4000, 1, 416, 416, 'top-left').resizedHeight).toBe(1);
    expect(() => computeLetterbox(0, 10, 416, 416, 'top-left')).toThrow(/empty source of 0x10/);
  });
});

describe('letterboxFromResized', () => {
  it('takes the rounding a decoder chose and refuses a size that does not fit', () => {
    const lb = letterboxFromResized(1000, 333, 416, 139, 416, 416, 'centre');
    expect(lb).toMatchObject({ padLeft: 0, padTop: 138, scaleX: 0.416 });
    expect(lb.scaleY).toBeCloseTo(139 / 333, 9);
    expect(() => letterboxFromResized(1000, 333, 417, 139, 416, 416, 'top-left')).toThrow(/does not fit/);
  });
});

describe('inputBoxToFrame', () => {
  it('maps an input box back through the letterbox of the whole frame', () => {
    const lb = computeLetterbox(1920, 1080, 640, 640, 'centre');
    // 1920 -> 640 is a third; the frame's (960, 540) lands at (320, 140 + 180).
    const box = inputBoxToFrame(
      300,
      300,
      340,
      340,
      lb,
      { left: 0, top: 0, width: 1920, height: 1080 },
      1920,
      1080,
    );
    expect(box.x1 * 1920).toBeCloseTo(900, 6);
    expect(box.y1 * 1080).toBeCloseTo(480, 6);
    expect(box.x2 * 1920).toBeCloseTo(1020, 6);
    expect(box.y2 * 1080).toBeCloseTo(600, 6);
  });

  it('maps a box found in a crop to the crop position in the frame', () => {
    const rect = { left: 1000, top: 500, width: 208, height: 208 };
    const lb = computeLetterbox(208, 208, 416, 416, 'top-left');
    const box = inputBoxToFrame(100, 200, 140, 300, lb, rect, 1920, 1080);
    expect(box.x1 * 1920).toBeCloseTo(1050, 6);
    expect(box.y1 * 1080).toBeCloseTo(600, 6);
    expect(box.x2 * 1920).toBeCloseTo(1070, 6);
    expect(box.y2 * 1080).toBeCloseTo(650, 6);
  });

  it('clamps boxes that spill into the padding to the frame', () => {
    const lb = computeLetterbox(768, 576, 416, 416, 'top-left');
    const box = inputBoxToFrame(
      -10,
      300,
      420,
      400,
      lb,
      { left: 0, top: 0, width: 768, height: 576 },
      768,
      576,
    );
    expect(box).toEqual({ x1: 0, y1: expect.closeTo(300 / 312, 6), x2: 1, y2: 1 });
  });
});
