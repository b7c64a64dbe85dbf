import { describe, expect, it } from 'vitest';
import { ModelOutputError } from './detect-errors.js';
import {
  anchorsOf,
  decodeOutput,
  decodeYolov5,
  decodeYolov8,
  decodeYolox,
  type OutputLayout,
} from './yolo-decoders.js';

const logit = (p: number) => Math.log(p / (1 - p));

describe('decodeYolox', () => {
  // A 64x32 input with strides 8 and 16: grids of 8x4 and 4x2, 40 anchors in all.
  const opts = { inputWidth: 64, inputHeight: 32, strides: [8, 16], numClasses: 2, scoreThreshold: 0.3 };
  const anchors = 8 * 4 + 4 * 2;

  function output(rows: Record<number, number[]>): Float32Array {
    const data = new Float32Array(anchors * 7);
    for (const [anchor, row] of Object.entries(rows)) data.set(row, Number(anchor) * 7);
    return data;
  }

  it('decodes grid offsets and log sizes with the stride of the anchor', () => {
    // Anchor 32 + 1*4 + 2 = 38 is cell (2, 1) of the stride-16 grid.
    const data = output({ 38: [0.5, 0.25, Math.log(2), Math.log(0.5), 0.9, 0.1, 0.8] });
    const [c, ...rest] = decodeYolox(data, anchors, { ...opts, scoresActivated: true });
    expect(rest).toEqual([]);
    // cx = (0.5 + 2) * 16 = 40, cy = (0.25 + 1) * 16 = 20, w = 2 * 16 = 32, h = 0.5 * 16 = 8.
    expect(c!.classIndex).toBe(1);
    expect([c!.x1, c!.y1, c!.x2, c!.y2].map((v) => +v.toFixed(4))).toEqual([24, 16, 56, 24]);
    expect(c!.score).toBeCloseTo(0.72, 6);
  });

  it('places the first stride grid row by row', () => {
    // Anchor 9 is cell (1, 1) of the stride-8 grid.
    const data = output({ 9: [0, 0, 0, 0, 1, 0.9, 0] });
    const [c] = decodeYolox(data, anchors, { ...opts, scoresActivated: true });
    expect(c).toMatchObject({ classIndex: 0, x1: 4, y1: 4, x2: 12, y2: 12 });
  });

  it('applies the sigmoid to logit scores and drops anchors below the threshold', () => {
    const data = output({
      3: [0, 0, 0, 0, logit(0.9), logit(0.5), logit(0.6)],
      4: [0, 0, 0, 0, logit(0.2), logit(0.99), logit(0.1)],
    });
    const found = decodeYolox(data, anchors, { ...opts, scoresActivated: false });
    expect(found).toHaveLength(1);
    expect(found[0]!.classIndex).toBe(1);
    expect(found[0]!.score).toBeCloseTo(0.54, 5);
  });

  it('refuses an output whose anchor count does not match the strides', () => {
    expect(() => decodeYolox(new Float32Array(41 * 7), 41, { ...opts, scoresActivated: true })).toThrow(
      /41 anchors but strides 8\/16 on a 64x32 input give 40/,
    );
  });
});

describe('decodeYolov5', () => {
  it('reads boxes already in input pixels and scores objectness x class', () => {
    const data = new Float32Array([...[100, 50, 40, 20, 0.8, 0.2, 0.9], ...[10, 10, 4, 4, 0.1, 0.9, 0.9]]);
    const found = decodeYolov5(data, 2, { numClasses: 2, scoreThreshold: 0.25, scoresActivated: true });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ x1: 80, y1: 40, x2: 120, y2: 60, classIndex: 1 });
    expect(found[0]!.score).toBeCloseTo(0.72, 6);
  });
});

describe('decodeYolov8', () => {
  it('reads the channel-major layout without objectness', () => {
    // Three anchors, three classes: rows are cx, cy, w, h, then one row per class.
    const data = new Float32Array([
      ...[10, 200, 300],
      ...[10, 100, 50],
      ...[4, 40, 60],
      ...[4, 20, 30],
      ...[0.1, 0.05, 0.2],
      ...[0.2, 0.1, 0.7],
      ...[0.1, 0.6, 0.1],
    ]);
    const found = decodeYolov8(data, 3, { numClasses: 3, scoreThreshold: 0.5, scoresActivated: true });
    expect(found).toEqual([
      { x1: 180, y1: 90, x2: 220, y2: 110, score: expect.closeTo(0.6, 6), classIndex: 2 },
      { x1: 270, y1: 35, x2: 330, y2: 65, score: expect.closeTo(0.7, 6), classIndex: 1 },
    ]);
  });

  it('applies the sigmoid to logits', () => {
    const data = new Float32Array([5, 5, 2, 2, logit(0.3), logit(0.8)]);
    const found = decodeYolov8(data, 1, { numClasses: 2, scoreThreshold: 0.5, scoresActivated: false });
    expect(found).toHaveLength(1);
    expect(found[0]!.score).toBeCloseTo(0.8, 5);
  });
});

describe('anchorsOf and decodeOutput', () => {
  const v8: OutputLayout = {
    format: 'yolov8',
    numClasses: 80,
    inputWidth: 640,
    inputHeight: 640,
    strides: [8, 16, 32],
    scoresActivated: true,
  };

  it('reads the anchor count of either layout, with or without the batch dimension', () => {
    expect(anchorsOf([1, 84, 8400], v8)).toBe(8400);
    expect(anchorsOf([84, 8400], v8)).toBe(8400);
    expect(anchorsOf([1, 3549, 85], { ...v8, format: 'yolox' })).toBe(3549);
  });

  it('explains a layout mix-up', () => {
    expect(() => anchorsOf([1, 8400, 84], v8)).toThrow(ModelOutputError);
    expect(() => anchorsOf([1, 8400, 84], v8)).toThrow(/looks like \[anchors, 4 \+ classes\]/);
    expect(() => anchorsOf([1, 84, 8400], { ...v8, format: 'yolov5' })).toThrow(
      /is the format really yolov8/,
    );
    expect(() => anchorsOf([1, 3549, 90], { ...v8, format: 'yolox' })).toThrow(
      /\[1, 3549, 90\] does not fit/,
    );
  });

  it('dispatches on the declared format', () => {
    const data = new Float32Array([5, 5, 2, 2, 0.1, 0.9]);
    const found = decodeOutput(data, 1, { ...v8, numClasses: 2 }, 0.5);
    expect(found).toEqual([{ x1: 4, y1: 4, x2: 6, y2: 6, score: expect.closeTo(0.9, 6), classIndex: 1 }]);
  });
});
