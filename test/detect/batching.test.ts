import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector } from '../../src/detect/detector.service.js';
import type { ModelManifestJson } from '../../src/detect/model-manifest.schema.js';
import { parseModelManifest } from '../../src/detect/model-manifest.js';
import { openModelSession } from '../../src/detect/onnx-session.adapter.js';
import { decodeOutput } from '../../src/detect/yolo-decoders.js';
import { readFrame } from '../support/frames.js';
import { tinyYolov8Onnx } from './tiny-onnx.js';

/**
 * A city's own model in the YOLOv8 layout with a dynamic batch axis: the tiny Reshape graph of tiny-onnx.ts run
 * by the real onnxruntime, described by a manifest the way a city would write one.
 */
let scratch: string;
let manifestPath: string;
let manifestJson: ModelManifestJson;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'batching-test-'));
  const model = tinyYolov8Onnx(32);
  await writeFile(path.join(scratch, 'tiny.onnx'), model);
  manifestJson = {
    name: 'tiny-v8',
    description: 'Test graph in the YOLOv8 layout with a dynamic batch axis.',
    file: 'tiny.onnx',
    sha256: createHash('sha256').update(model).digest('hex'),
    url: 'https://example.org/tiny.onnx',
    licence: 'Apache-2.0',
    input: {
      name: 'images',
      shape: [-1, 3, 32, 32],
      maxBatch: 4,
      colourOrder: 'rgb',
      scaling: { multiplier: 1 / 255 },
      letterbox: { mode: 'stretch', padValue: 114 },
    },
    output: { name: 'output0', format: 'yolov8', scoresActivated: true },
    labels: ['stall', 'bag'],
    roles: { person: [], vehicle: [], goods: ['stall'], carried: ['bag'], dumping: [] },
  };
  manifestPath = path.join(scratch, 'tiny-v8.manifest.json');
  await writeFile(manifestPath, JSON.stringify(manifestJson));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('a dynamic-batch YOLOv8-layout model', () => {
  it('runs several images in one inference and decodes each slice to its own boxes', async () => {
    const manifest = parseModelManifest(manifestJson, manifestPath);
    const session = await openModelSession(path.join(scratch, 'tiny.onnx'), manifest, { threads: 1 });
    try {
      expect(session.anchors).toBe(512);
      const batch = new Float32Array(3 * session.inputLength);
      // Rows of the output are consecutive 512-value runs of the input: cx, cy, w, h, score "stall", score "bag".
      for (let b = 0; b < 3; b++) {
        const at = (row: number, anchor: number) => b * session.inputLength + row * 512 + anchor;
        const anchor = 7 + 100 * b;
        batch[at(0, anchor)] = 10 + b;
        batch[at(1, anchor)] = 16;
        batch[at(2, anchor)] = 4;
        batch[at(3, anchor)] = 6;
        batch[at(5, anchor)] = 0.9 - 0.1 * b;
      }
      const out = await session.run(batch, 3);
      expect(out.dims).toEqual([3, 6, 512]);
      const per = out.data.length / 3;
      const decoded = [0, 1, 2].map((b) =>
        decodeOutput(out.data.subarray(b * per, (b + 1) * per), session.anchors, session.layout, 0.5),
      );
      expect(decoded).toEqual(
        [0, 1, 2].map((b) => [
          { x1: 8 + b, y1: 13, x2: 12 + b, y2: 19, score: expect.closeTo(0.9 - 0.1 * b, 6), classIndex: 1 },
        ]),
      );
    } finally {
      await session.close();
    }
  });

  it('batches a frame with its crops up to the model limit, with the same detections as one at a time', async () => {
    const detector = await createDetector({ manifestPath, threads: 1 });
    try {
      expect(detector.model).toMatchObject({ name: 'tiny-v8', format: 'yolov8', maxBatch: 4 });
      const images = await Promise.all(
        ['vtest-f200.jpg', 'car-detection-f101.jpg', 'car-detection-f233.jpg', 'far-person-composed.jpg'].map(
          readFrame,
        ),
      );
      const alone = [];
      for (const image of images) {
        const r = await detector.detect(image);
        expect(r.batchSize).toBe(1);
        alone.push(r.detections);
      }
      expect(alone.every((d) => d.length > 0)).toBe(true);
      // Frames that overlap in the pipeline may share inferences (how many depends on timing); results may not.
      const together = await Promise.all(images.map((image) => detector.detect(image)));
      expect(together.map((r) => r.detections)).toEqual(alone);

      const zones = [
        { x1: 0.05, y1: 0.05, x2: 0.1, y2: 0.1 },
        { x1: 0.8, y1: 0.8, x2: 0.85, y2: 0.85 },
      ];
      const withCrops = await detector.detect(images[3]!, { crops: zones });
      expect(withCrops.views).toHaveLength(3);
      expect(withCrops.batchSize).toBe(3);
      expect(new Set(withCrops.detections.map((d) => d.role))).toEqual(new Set(['goods', 'carried']));
      // Five views and a batch limit of 4: one inference of 4, then one of 1.
      const four = [0.05, 0.3, 0.55, 0.8].map((x) => ({ x1: x, y1: 0.1, x2: x + 0.02, y2: 0.12 }));
      const capped = await detector.detect(images[3]!, { crops: four });
      expect(capped.views).toHaveLength(5);
      expect(capped.batchSize).toBe(4);
    } finally {
      await detector.close();
    }
  });
});
