import { ModelOutputError } from './detect-errors.js';
import type { OutputFormat } from './model-manifest.js';
import { yoloxAnchorCount } from './model-manifest.js';

/** One box proposed by the model, in model-input pixels, with its best class. */
export interface Candidate {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classIndex: number;
}

export interface DecodeOptions {
  numClasses: number;
  scoreThreshold: number;
  /** False when objectness and class scores are logits that need a sigmoid. */
  scoresActivated: boolean;
}

export interface YoloxDecodeOptions extends DecodeOptions {
  inputWidth: number;
  inputHeight: number;
  strides: readonly number[];
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** The raw value below which an (activated or logit) score cannot reach the threshold. */
function rawThreshold(threshold: number, activated: boolean): number {
  if (activated) return threshold;
  if (threshold <= 0) return -Infinity;
  if (threshold >= 1) return Infinity;
  return Math.log(threshold / (1 - threshold));
}

/** Index and raw value of the highest class score of the row starting at `offset`, with `stride` between classes. */
function bestClass(data: Float32Array, offset: number, count: number, stride: number): [number, number] {
  let best = 0;
  let bestValue = data[offset]!;
  for (let c = 1; c < count; c++) {
    const v = data[offset + c * stride]!;
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return [best, bestValue];
}

/**
 * Rows of [cx, cy, w, h, objectness, class scores...] where the box is already in input pixels (YOLOv5).
 * `data` holds one image's rows; score = objectness x best class score.
 */
export function decodeYolov5(data: Float32Array, anchors: number, opts: DecodeOptions): Candidate[] {
  return decodeRows(data, anchors, opts, null);
}

/**
 * YOLOX's raw grid output: the same rows as YOLOv5, but cx, cy are offsets within a grid cell and w, h are log
 * sizes, both in units of the cell's stride. Anchors run over the strides in order, each grid row by row.
 */
export function decodeYolox(data: Float32Array, anchors: number, opts: YoloxDecodeOptions): Candidate[] {
  const expected = yoloxAnchorCount(opts.inputWidth, opts.inputHeight, opts.strides);
  if (anchors !== expected) {
    throw new ModelOutputError(
      `YOLOX output has ${anchors} anchors but strides ${opts.strides.join('/')} on a ` +
        `${opts.inputWidth}x${opts.inputHeight} input give ${expected}`,
    );
  }
  return decodeRows(data, anchors, opts, yoloxGrid(opts.inputWidth, opts.inputHeight, opts.strides));
}

interface Grid {
  gridX: Float32Array;
  gridY: Float32Array;
  strideOf: Float32Array;
}

const grids = new Map<string, Grid>();

/** Cell position and stride of every anchor; the same for every frame, so built once per input size. */
function yoloxGrid(inputWidth: number, inputHeight: number, strides: readonly number[]): Grid {
  const key = `${inputWidth}x${inputHeight}/${strides.join(',')}`;
  const cached = grids.get(key);
  if (cached) return cached;
  const anchors = yoloxAnchorCount(inputWidth, inputHeight, strides);
  const grid: Grid = {
    gridX: new Float32Array(anchors),
    gridY: new Float32Array(anchors),
    strideOf: new Float32Array(anchors),
  };
  let a = 0;
  for (const s of strides) {
    for (let y = 0; y < inputHeight / s; y++) {
      for (let x = 0; x < inputWidth / s; x++, a++) {
        grid.gridX[a] = x;
        grid.gridY[a] = y;
        grid.strideOf[a] = s;
      }
    }
  }
  grids.set(key, grid);
  return grid;
}

function decodeRows(
  data: Float32Array,
  anchors: number,
  opts: DecodeOptions,
  grid: Grid | null,
): Candidate[] {
  const nc = opts.numClasses;
  const row = 5 + nc;
  if (data.length < anchors * row) {
    throw new ModelOutputError(`output holds ${data.length} values, fewer than ${anchors} rows of ${row}`);
  }
  const objFloor = rawThreshold(opts.scoreThreshold, opts.scoresActivated);
  const out: Candidate[] = [];
  for (let a = 0; a < anchors; a++) {
    const o = a * row;
    const rawObj = data[o + 4]!;
    // Class scores never exceed 1, so an anchor whose objectness alone misses the threshold cannot pass.
    if (rawObj < objFloor) continue;
    const [classIndex, rawCls] = bestClass(data, o + 5, nc, 1);
    const score = opts.scoresActivated ? rawObj * rawCls : sigmoid(rawObj) * sigmoid(rawCls);
    if (score < opts.scoreThreshold) continue;
    let cx = data[o]!;
    let cy = data[o + 1]!;
    let w = data[o + 2]!;
    let h = data[o + 3]!;
    if (grid) {
      const s = grid.strideOf[a]!;
      cx = (cx + grid.gridX[a]!) * s;
      cy = (cy + grid.gridY[a]!) * s;
      w = Math.exp(w) * s;
      h = Math.exp(h) * s;
    }
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, classIndex });
  }
  return out;
}

/**
 * YOLOv8 / YOLO11 layout: [4 + classes, anchors], channel-major, boxes already in input pixels and no
 * objectness; score = best class score.
 */
export function decodeYolov8(data: Float32Array, anchors: number, opts: DecodeOptions): Candidate[] {
  const nc = opts.numClasses;
  if (data.length < anchors * (4 + nc)) {
    throw new ModelOutputError(
      `output holds ${data.length} values, fewer than ${4 + nc} channels of ${anchors}`,
    );
  }
  const floor = rawThreshold(opts.scoreThreshold, opts.scoresActivated);
  const out: Candidate[] = [];
  for (let a = 0; a < anchors; a++) {
    const [classIndex, raw] = bestClass(data, 4 * anchors + a, nc, anchors);
    if (raw < floor) continue;
    const score = opts.scoresActivated ? raw : sigmoid(raw);
    const cx = data[a]!;
    const cy = data[anchors + a]!;
    const w = data[2 * anchors + a]!;
    const h = data[3 * anchors + a]!;
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, score, classIndex });
  }
  return out;
}

export interface OutputLayout {
  format: OutputFormat;
  numClasses: number;
  inputWidth: number;
  inputHeight: number;
  strides: readonly number[];
  scoresActivated: boolean;
}

/**
 * Reads the anchor count from an output tensor's dimensions and checks them against the declared layout.
 * Accepts the batch dimension or not: [batch, a, b] or [a, b].
 */
export function anchorsOf(dims: readonly number[], layout: OutputLayout): number {
  const [a, b] = dims.length === 3 ? [dims[1]!, dims[2]!] : dims.length === 2 ? [dims[0]!, dims[1]!] : [0, 0];
  const nc = layout.numClasses;
  if (layout.format === 'yolov8') {
    if (b > 0 && a === 4 + nc) return b;
    throw new ModelOutputError(
      `output shape [${dims.join(', ')}] does not fit the yolov8 layout [batch, 4 + ${nc} classes, anchors]` +
        (b === 4 + nc ? '; it looks like [anchors, 4 + classes]: is the format really yolov8?' : ''),
    );
  }
  if (a > 0 && b === 5 + nc) return a;
  throw new ModelOutputError(
    `output shape [${dims.join(', ')}] does not fit the ${layout.format} layout [batch, anchors, 5 + ${nc} classes]` +
      (a === 4 + nc ? '; it looks like [4 + classes, anchors]: is the format really yolov8?' : ''),
  );
}

/** Decodes one image's slice of the output tensor according to its declared layout. */
export function decodeOutput(
  data: Float32Array,
  anchors: number,
  layout: OutputLayout,
  scoreThreshold: number,
): Candidate[] {
  const opts = { numClasses: layout.numClasses, scoreThreshold, scoresActivated: layout.scoresActivated };
  switch (layout.format) {
    case 'yolox':
      return decodeYolox(data, anchors, { ...opts, ...layout });
    case 'yolov5':
      return decodeYolov5(data, anchors, opts);
    case 'yolov8':
      return decodeYolov8(data, anchors, opts);
  }
}
