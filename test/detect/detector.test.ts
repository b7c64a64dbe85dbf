import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../../scripts/assets.js';
import { FrameDecodeError, ModelLoadError } from '../../src/detect/detect-errors.js';
import { createDetector, type Detector } from '../../src/detect/detector.service.js';
import type { ModelManifestJson } from '../../src/detect/model-manifest.schema.js';
import { DEFAULT_MODELS_DIR } from '../../src/detect/model-registry.adapter.js';
import { expectedFrame, findMatch, readFrame } from '../support/frames.js';

let detector: Detector;
let scratch: string;

beforeAll(async () => {
  await ensureAssets({ only: ['yolox-nano'] });
  detector = await createDetector({ threads: 1 });
  scratch = await mkdtemp(path.join(tmpdir(), 'detector-test-'));
});

afterAll(async () => {
  await detector?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the default model on real frames', () => {
  it('loads YOLOX-Nano with its verified hash and input size', () => {
    expect(detector.model).toMatchObject({
      name: 'yolox-nano',
      format: 'yolox',
      inputWidth: 416,
      maxBatch: 1,
    });
    expect(detector.model.sha256).toBe('695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14');
  });

  it('finds at least six of the seven people and the white van on vtest.avi frame 200', async () => {
    const frame = expectedFrame('vtest-f200.jpg');
    const result = await detector.detect(await readFrame(frame.file));
    expect([result.width, result.height]).toEqual([768, 576]);
    const people = frame.objects.filter((o) => o.labels.includes('person'));
    const peopleFound = people.filter((o) => findMatch(result.detections, o, frame));
    expect(peopleFound.length).toBeGreaterThanOrEqual(6);
    const van = frame.objects.find((o) => o.what.startsWith('white van'))!;
    expect(findMatch(result.detections, van, frame)).not.toBeNull();
    const persons = result.detections.filter((d) => d.label === 'person' && d.role === 'person');
    expect(persons.length).toBeGreaterThanOrEqual(6);
  });

  it('matches every hand-checked box of the frames within the IoU tolerance', async () => {
    for (const file of ['vtest-f200.jpg', 'car-detection-f101.jpg', 'car-detection-f233.jpg']) {
      const frame = expectedFrame(file);
      const { detections } = await detector.detect(await readFrame(file));
      const missed = frame.objects
        .filter((o) => !findMatch(detections, o, frame))
        .map((o) => `${file}: ${o.what}`);
      expect(missed).toEqual([]);
    }
  });

  it('finds the car leaving car-detection.mp4 at frames 101 and 233, as a vehicle', async () => {
    for (const file of ['car-detection-f101.jpg', 'car-detection-f233.jpg']) {
      const frame = expectedFrame(file);
      const { detections } = await detector.detect(await readFrame(file));
      const match = findMatch(detections, frame.objects[0]!, frame);
      expect(match?.detection).toMatchObject({ label: 'car', role: 'vehicle' });
      expect(match!.detection.score).toBeGreaterThan(0.4);
    }
  });

  it('gives the same detections for frames detected concurrently as one by one', async () => {
    const files = ['vtest-f200.jpg', 'car-detection-f101.jpg', 'car-detection-f233.jpg'];
    const images = await Promise.all(files.map(readFrame));
    const alone = [];
    for (const image of images) alone.push((await detector.detect(image)).detections);
    const together = await Promise.all(images.map((image) => detector.detect(image)));
    expect(together.map((r) => r.detections)).toEqual(alone);
  });

  it('applies the filters passed with the frame', async () => {
    const image = await readFrame('vtest-f200.jpg');
    const vehicles = await detector.detect(image, { filter: { roles: ['vehicle'] } });
    expect(vehicles.detections.length).toBeGreaterThanOrEqual(2);
    expect(new Set(vehicles.detections.map((d) => d.role))).toEqual(new Set(['vehicle']));
    const all = await detector.detect(image);
    const confident = await detector.detect(image, { filter: { minScore: 0.75 } });
    expect(confident.detections.length).toBeGreaterThan(0);
    expect(confident.detections.length).toBeLessThan(all.detections.length);
    expect(confident.detections).toEqual(all.detections.filter((d) => d.score >= 0.75));
  });
});

describe('grey grid', () => {
  it('returns a thumbnail of the frame from the decoded pixels, close to a separate greyscale decode', async () => {
    const image = await readFrame('vtest-f200.jpg');
    const reference = await sharp(image).greyscale().resize(64, 36, { fit: 'fill' }).raw().toBuffer();
    for (const crops of [undefined, [{ x1: 0.8, y1: 0.05, x2: 0.95, y2: 0.2 }]]) {
      const { grid } = await detector.detect(image, { grid: { width: 64, height: 36 }, crops });
      expect(grid).toMatchObject({ width: 64, height: 36 });
      let diff = 0;
      for (let i = 0; i < reference.length; i++) diff += Math.abs(reference[i]! - grid!.data[i]!);
      // Luma weights and filters differ a little from libvips greyscale; the picture is the same.
      expect(diff / reference.length).toBeLessThan(8);
    }
    expect((await detector.detect(image)).grid).toBeUndefined();
  });
});

describe('zone crops', () => {
  it('find a far-off person that the whole frame misses', async () => {
    const frame = expectedFrame('far-person-composed.jpg');
    const image = await readFrame(frame.file);
    const person = frame.objects[0]!;
    const crops = frame.zones!.map(([x1, y1, x2, y2]) => ({
      x1: x1 / frame.width,
      y1: y1 / frame.height,
      x2: x2 / frame.width,
      y2: y2 / frame.height,
    }));

    const whole = await detector.detect(image);
    expect(whole.views).toHaveLength(1);
    expect(findMatch(whole.detections, person, frame)).toBeNull();

    const zoned = await detector.detect(image, { crops });
    expect(zoned.views).toHaveLength(2);
    const match = findMatch(zoned.detections, person, frame);
    expect(match?.detection.role).toBe('person');
  });
});

describe('bad input', () => {
  it('refuses corrupt, truncated, empty and oversized frames with FrameDecodeError and keeps serving', async () => {
    const good = await readFrame('vtest-f200.jpg');
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    const garbage = Buffer.from('this is not an image at all, just text pretending to be a frame');
    await expect(detector.detect(truncated)).rejects.toBeInstanceOf(FrameDecodeError);
    await expect(detector.detect(truncated)).rejects.toThrow(/cannot decode the frame \(\d+ bytes\)/);
    await expect(detector.detect(garbage)).rejects.toBeInstanceOf(FrameDecodeError);
    await expect(detector.detect(Buffer.alloc(0))).rejects.toThrow(/empty \(0 bytes\)/);

    // A frame above the pixel limit is refused from its header; a small limit stands in for a huge frame.
    const bomb = good;
    const small = await createDetector({ threads: 1, maxInputPixels: 100_000 });
    try {
      await expect(small.detect(bomb)).rejects.toThrow(FrameDecodeError);
      await expect(small.detect(bomb)).rejects.toThrow(/pixel limit/);
    } finally {
      await small.close();
    }

    const after = await detector.detect(good);
    expect(after.detections.filter((d) => d.label === 'person').length).toBeGreaterThanOrEqual(6);
  });
});

describe('closing', () => {
  it('lets detections under way finish, then refuses new ones', async () => {
    const own = await createDetector({ threads: 1 });
    const image = await readFrame('car-detection-f101.jpg');
    const underway = own.detect(image);
    await own.close();
    expect((await underway).detections.some((d) => d.label === 'car')).toBe(true);
    await expect(own.detect(image)).rejects.toThrow(/detector for model "yolox-nano" is closed/);
  });
});

describe('model loading', () => {
  const shippedManifest = path.join(DEFAULT_MODELS_DIR, 'yolox-nano.manifest.json');
  const modelFile = path.join(DEFAULT_MODELS_DIR, 'yolox_nano.onnx');

  async function manifestVariant(dir: string, change: (m: ModelManifestJson) => void): Promise<string> {
    const json = JSON.parse(await readFile(shippedManifest, 'utf8')) as ModelManifestJson;
    json.file = modelFile;
    change(json);
    const file = path.join(scratch, dir, 'yolox-nano.manifest.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(json));
    return file;
  }

  it('refuses a model whose hash does not match its manifest, naming both hashes', async () => {
    const manifestPath = await manifestVariant('hash', (m) => (m.sha256 = '0'.repeat(64)));
    const err = await createDetector({ manifestPath }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect((err as ModelLoadError).problem).toBe('hash-mismatch');
    expect((err as Error).message).toContain(`expects ${'0'.repeat(64)}`);
    expect((err as Error).message).toContain(
      '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
    );
    // The detector already running is untouched.
    expect(
      (await detector.detect(await readFrame('car-detection-f101.jpg'))).detections.length,
    ).toBeGreaterThan(0);
  });

  it('refuses a damaged copy of the model file', async () => {
    const dir = path.join(scratch, 'damaged');
    const manifestPath = await manifestVariant('damaged', (m) => (m.file = 'yolox_nano.onnx'));
    await copyFile(modelFile, path.join(dir, 'yolox_nano.onnx'));
    const bytes = await readFile(path.join(dir, 'yolox_nano.onnx'));
    bytes[bytes.length - 10]! ^= 0xff;
    await writeFile(path.join(dir, 'yolox_nano.onnx'), bytes);
    await expect(createDetector({ manifestPath })).rejects.toThrow(
      /damaged or not the model the manifest describes/,
    );
  });

  it('says what to run when the model file is missing, and lists the models of an unknown name', async () => {
    const manifestPath = await manifestVariant('missing', (m) => (m.file = 'nowhere.onnx'));
    await expect(createDetector({ manifestPath })).rejects.toThrow(
      /nowhere\.onnx .* is missing; run `npm run assets`/,
    );
    const err = await createDetector({ modelName: 'no-such-model' }).catch((e: unknown) => e);
    expect((err as ModelLoadError).problem).toBe('manifest-missing');
    expect((err as Error).message).toMatch(/models in .*: yolox-nano/);
  });

  it('refuses a manifest whose tensor names or output layout do not fit the graph', async () => {
    const wrongInput = await manifestVariant('input', (m) => (m.input.name = 'input'));
    await expect(createDetector({ manifestPath: wrongInput })).rejects.toThrow(
      /no input "input"; its inputs are images/,
    );
    const wrongLayout = await manifestVariant('layout', (m) => {
      m.output.format = 'yolov8';
      delete m.output.strides;
    });
    const err = await createDetector({ manifestPath: wrongLayout }).catch((e: unknown) => e);
    expect((err as ModelLoadError).problem).toBe('graph-mismatch');
    expect((err as Error).message).toMatch(/\[1, 3549, 85\] does not fit the yolov8 layout/);
  });
});
