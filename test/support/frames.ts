import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Detection } from '../../src/detect/detection.js';

/** The hand-checked frames of fixtures/frames and what each shows; see fixtures/frames/README.md. */
export interface ExpectedObject {
  what: string;
  labels: string[];
  box: [number, number, number, number];
  onlyWithCrops?: boolean;
}

export interface ExpectedFrame {
  file: string;
  frame: number;
  width: number;
  height: number;
  zones?: [number, number, number, number][];
  objects: ExpectedObject[];
}

const framesDir = new URL('../../fixtures/frames/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected-detections.json', framesDir), 'utf8')) as {
  minIou: number;
  frames: ExpectedFrame[];
};

export const MIN_IOU: number = expected.minIou;

export function expectedFrame(file: string): ExpectedFrame {
  const frame = expected.frames.find((f) => f.file === file);
  if (!frame) throw new Error(`fixtures/frames/expected-detections.json has no entry for ${file}`);
  return frame;
}

export function readFrame(file: string): Promise<Buffer> {
  return readFile(new URL(file, framesDir));
}

/** IoU of a detection's normalised box with a box in pixels of a width x height frame. */
export function iouWithPixels(d: Detection, box: readonly number[], width: number, height: number): number {
  const [x1, y1, x2, y2] = [d.box.x1 * width, d.box.y1 * height, d.box.x2 * width, d.box.y2 * height];
  const iw = Math.min(x2, box[2]!) - Math.max(x1, box[0]!);
  const ih = Math.min(y2, box[3]!) - Math.max(y1, box[1]!);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((x2 - x1) * (y2 - y1) + (box[2]! - box[0]!) * (box[3]! - box[1]!) - inter);
}

/** The detection of one of the object's labels that overlaps its box best, if any reaches MIN_IOU. */
export function findMatch(detections: readonly Detection[], object: ExpectedObject, frame: ExpectedFrame) {
  let best: { detection: Detection; iou: number } | null = null;
  for (const d of detections) {
    if (!object.labels.includes(d.label)) continue;
    const iou = iouWithPixels(d, object.box, frame.width, frame.height);
    if (iou >= MIN_IOU && (!best || iou > best.iou)) best = { detection: d, iou };
  }
  return best;
}
