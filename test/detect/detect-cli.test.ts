import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets, REPO_ROOT } from '../../scripts/assets.js';
import { annotateImage } from '../../src/detect/annotate.adapter.js';

const run = promisify(execFile);
let scratch: string;

interface PixelDetection {
  label: string;
  score: number;
  box: { x1: number; y1: number; x2: number; y2: number };
}

async function detectCli(...args: string[]) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/detect.ts', ...args], {
    cwd: REPO_ROOT,
  });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  await ensureAssets({ only: ['yolox-nano', 'vtest'] });
  scratch = await mkdtemp(path.join(tmpdir(), 'detect-cli-test-'));
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('npm run detect', () => {
  it('prints detections of an image in pixels and writes an annotated copy', async () => {
    const annotated = path.join(scratch, 'out.jpg');
    const out = await detectCli('fixtures/frames/vtest-f200.jpg', '--annotate', annotated, '--threads', '1');
    expect(out).toMatchObject({ width: 768, height: 576, model: { name: 'yolox-nano' } });
    const people = (out.detections as PixelDetection[]).filter((d) => d.label === 'person');
    expect(people.length).toBeGreaterThanOrEqual(6);
    for (const d of out.detections as PixelDetection[]) {
      expect(Number.isInteger(d.box.x1) && d.box.x2 <= 768 && d.box.y2 <= 576).toBe(true);
    }
    expect(await sharp(annotated).metadata()).toMatchObject({ format: 'jpeg', width: 768, height: 576 });
  });

  it('reads one frame of a video with ffmpeg, counted from 0', async () => {
    const out = await detectCli('fixtures/video/vtest.avi', '--frame', '200', '--threads', '1');
    expect(out.frames).toHaveLength(1);
    expect(out.frames[0]).toMatchObject({ frame: 200, width: 768, height: 576 });
    const labels = (out.frames[0].detections as PixelDetection[]).map((d) => d.label);
    expect(labels.filter((l) => l === 'person').length).toBeGreaterThanOrEqual(6);
    expect(labels.some((l) => l === 'car' || l === 'truck')).toBe(true);
  });
});

describe('annotateImage', () => {
  it('draws each box in its role colour on a copy of the frame', async () => {
    const grey = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const jpeg = await annotateImage(grey, [
      { label: 'person', role: 'person', score: 0.9, box: { x1: 0.2, y1: 0.4, x2: 0.4, y2: 0.9 } },
      { label: 'sofa', role: 'dumping', score: 0.5, box: { x1: 0.6, y1: 0.4, x2: 0.9, y2: 0.9 } },
    ]);
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([200, 100]);
    const at = (x: number, y: number) => [...data.subarray((y * 200 + x) * 3, (y * 200 + x) * 3 + 3)];
    const [r1, g1, b1] = at(40, 70); // left edge of the person's box: green
    expect(g1! > r1! + 40 && g1! > b1! + 40).toBe(true);
    const [r2, g2, b2] = at(120, 70); // left edge of the sofa's box: red
    expect(r2! > g2! + 40 && r2! > b2! + 40).toBe(true);
    // Away from the boxes and labels the frame is untouched grey.
    expect(at(100, 5).every((v) => Math.abs(v - 128) <= 3)).toBe(true);
  });
});
