/**
 * Runs the detector on an image or a video and prints the detections as JSON, boxes in pixels of the original:
 *
 *   npm run detect -- <image or video> [--model name | --manifest file] [--annotate out.jpg]
 *                     [--frame N | --every N] [--zone x1,y1,x2,y2]... [--min-score S] [--threads N]
 *
 * Videos are read with ffmpeg: one frame (--frame, counted from 0) or every Nth (--every, default 25).
 * --zone adds a zone crop (normalised 0..1 coordinates); --annotate writes a copy with the boxes drawn, one file
 * per frame for videos (out-000200.jpg).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { annotateImage } from '../src/detect/annotate.adapter.js';
import type { Detection, NormalizedBox } from '../src/detect/detection.js';
import { createDetector, type DetectOptions, type DetectResult } from '../src/detect/detector.service.js';

const run = promisify(execFile);
const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.avif', '.heic']);

function usage(message: string): never {
  console.error(
    `${message}\nusage: npm run detect -- <image or video> [--model name | --manifest file] ` +
      '[--annotate out.jpg] [--frame N | --every N] [--zone x1,y1,x2,y2]... [--min-score S] [--threads N]',
  );
  process.exit(2);
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) usage(`--${name} must be a whole number, got "${value}"`);
  return n;
}

function parseZone(text: string): NormalizedBox {
  const v = text.split(',').map(Number);
  if (v.length !== 4 || v.some((x) => !(x >= 0 && x <= 1)))
    usage(`--zone wants x1,y1,x2,y2 in 0..1, got "${text}"`);
  return { x1: v[0]!, y1: v[1]!, x2: v[2]!, y2: v[3]! };
}

function inPixels(d: Detection, width: number, height: number) {
  return {
    label: d.label,
    role: d.role,
    score: Number(d.score.toFixed(4)),
    box: {
      x1: Math.round(d.box.x1 * width),
      y1: Math.round(d.box.y1 * height),
      x2: Math.round(d.box.x2 * width),
      y2: Math.round(d.box.y2 * height),
    },
  };
}

function report(r: DetectResult) {
  const { width, height } = r;
  return {
    width,
    height,
    detections: r.detections.map((d) => inPixels(d, width, height)),
    timingsMs: Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, Number(v.toFixed(1))])),
  };
}

/** Extracts the wanted frames as JPEG files; returns [frame number, file] pairs. */
async function extractFrames(
  video: string,
  dir: string,
  frame?: number,
  every = 25,
): Promise<[number, string][]> {
  const select = frame !== undefined ? `eq(n\\,${frame})` : `not(mod(n\\,${every}))`;
  try {
    await run('ffmpeg', [
      '-v',
      'error',
      '-i',
      video,
      '-vf',
      `select=${select}`,
      '-vsync',
      'vfr',
      '-q:v',
      '2',
      path.join(dir, '%06d.jpg'),
    ]);
  } catch (err) {
    throw new Error(`ffmpeg cannot read ${video}: ${(err as { stderr?: string }).stderr?.trim() || err}`);
  }
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jpg')).sort();
  if (files.length === 0) throw new Error(`${video} has no frame ${frame ?? ''}`.trim());
  return files.map((f, i) => [frame ?? i * every, path.join(dir, f)]);
}

function annotatedPath(base: string, frame: number | null): string {
  if (frame === null) return base;
  const ext = path.extname(base) || '.jpg';
  return `${base.slice(0, base.length - path.extname(base).length)}-${String(frame).padStart(6, '0')}${ext}`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      manifest: { type: 'string' },
      annotate: { type: 'string' },
      frame: { type: 'string' },
      every: { type: 'string' },
      zone: { type: 'string', multiple: true },
      'min-score': { type: 'string' },
      threads: { type: 'string' },
    },
  });
  const input = positionals[0];
  if (!input || positionals.length > 1) usage('give exactly one image or video file');
  const minScore = values['min-score'] === undefined ? undefined : Number(values['min-score']);
  if (minScore !== undefined && !(minScore >= 0 && minScore <= 1)) usage('--min-score must lie in 0..1');
  const opts: DetectOptions = {
    crops: (values.zone ?? []).map(parseZone),
    scoreThreshold: minScore,
  };

  const detector = await createDetector({
    modelName: values.model,
    manifestPath: values.manifest,
    threads: positiveInt(values.threads, 'threads'),
  });
  const model = { name: detector.model.name, sha256: detector.model.sha256 };
  try {
    if (IMAGE_EXTENSIONS.has(path.extname(input).toLowerCase())) {
      const image = await readFile(input);
      const result = await detector.detect(image, opts);
      if (values.annotate) await writeFile(values.annotate, await annotateImage(image, result.detections));
      console.log(JSON.stringify({ source: input, model, ...report(result) }, null, 2));
      return;
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'detect-frames-'));
    try {
      const every = positiveInt(values.every, 'every');
      if (every === 0) usage('--every must be at least 1');
      const frames = await extractFrames(input, dir, positiveInt(values.frame, 'frame'), every);
      const out = [];
      for (const [frame, file] of frames) {
        const image = await readFile(file);
        const result = await detector.detect(image, opts);
        if (values.annotate) {
          const target = annotatedPath(values.annotate, frames.length === 1 ? null : frame);
          await writeFile(target, await annotateImage(image, result.detections));
        }
        out.push({ frame, ...report(result) });
      }
      console.log(JSON.stringify({ source: input, model, frames: out }, null, 2));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await detector.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exit(1);
});
