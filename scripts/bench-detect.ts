/**
 * `npm run bench:detect [-- --frames N --rounds R --in-flight K --threads T]`: detection throughput on real
 * frames at their native sizes, end to end (read file, decode, resize, pack, infer, decode output, suppress)
 * against bare onnxruntime on the very same input tensors, measured alternately in the same run. Prints frames
 * per second of both, their ratio, milliseconds per stage, the longest event-loop stall and peak memory.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { ensureAssets, REPO_ROOT } from './assets.js';
import { createDetector, type DetectTimings } from '../src/detect/detector.service.js';
import { decodeResized, probeFrame } from '../src/detect/frame-preprocess.adapter.js';
import { computeLetterbox } from '../src/detect/letterbox.js';
import {
  readModelManifest,
  resolveManifestPath,
  verifyModelFile,
} from '../src/detect/model-registry.adapter.js';
import { openModelSession } from '../src/detect/onnx-session.adapter.js';
import { channelTransform, packLetterboxed } from '../src/detect/tensor-pack.js';

const run = promisify(execFile);
const VIDEOS = [
  'vtest.avi',
  'car-detection.mp4',
  'one-by-one-person-detection.mp4',
  'bottle-detection.mp4',
  'person-bicycle-car-detection.gif',
];

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '5' },
    'in-flight': { type: 'string', default: '2' },
    threads: { type: 'string' },
  },
});
const perVideo = Number(values.frames);
const rounds = Number(values.rounds);
const inFlight = Number(values['in-flight']);
const threads = values.threads ? Number(values.threads) : availableParallelism();

/** `count` frames spread evenly over each video, as JPEG files like a camera's snapshots. */
async function extractFrames(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const video of VIDEOS) {
    const source = path.join(REPO_ROOT, 'fixtures/video', video);
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-count_packets',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_packets',
      '-of',
      'csv=p=0',
      source,
    ]);
    const total = Number.parseInt(stdout, 10);
    const step = Math.max(1, Math.floor(total / perVideo));
    const prefix = path.join(dir, path.parse(video).name);
    await run('ffmpeg', [
      '-v',
      'error',
      '-i',
      source,
      '-vf',
      `select=not(mod(n\\,${step}))`,
      '-vsync',
      'vfr',
      '-frames:v',
      String(perVideo),
      '-q:v',
      '3',
      `${prefix}-%03d.jpg`,
    ]);
  }
  for (const f of (await readdir(dir)).sort()) files.push(path.join(dir, f));
  return files;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  await ensureAssets({ only: ['yolox-nano', ...VIDEOS.map((v) => path.parse(v).name)] });
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-detect-'));
  try {
    const files = await extractFrames(dir);
    const sizes = new Set<string>();
    for (const f of files) {
      const { width, height } = await probeFrame(await readFile(f));
      sizes.add(`${width}x${height}`);
    }
    console.log(
      `${files.length} frames (${[...sizes].join(', ')}), ${threads} onnxruntime threads, ` +
        `${inFlight} frames in flight, ${rounds} rounds`,
    );

    const detector = await createDetector({ threads });
    const stall = monitorEventLoopDelay({ resolution: 5 });

    /** Reads and detects every frame with `inFlight` frames in the pipeline at once. */
    async function endToEnd(): Promise<{ fps: number; stages: Record<string, number> }> {
      const sums: Record<string, number> = { readMs: 0 };
      let next = 0;
      const started = performance.now();
      const lane = async () => {
        while (next < files.length) {
          const file = files[next++]!;
          const t0 = performance.now();
          const image = await readFile(file);
          sums.readMs! += performance.now() - t0;
          const { timings } = await detector.detect(image);
          for (const [k, v] of Object.entries(timings) as [keyof DetectTimings, number][])
            sums[k] = (sums[k] ?? 0) + v;
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
      const wall = performance.now() - started;
      const stages = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / files.length]));
      return { fps: (files.length * 1000) / wall, stages };
    }

    // The bare baseline: a session of its own, fed the very tensors the detector builds, one run after another.
    const manifestPath = resolveManifestPath({});
    const manifest = await readModelManifest(manifestPath);
    const session = await openModelSession(await verifyModelFile(manifest, manifestPath), manifest, {
      threads,
    });
    const transform = channelTransform(manifest.input);
    const tensors: Float32Array[] = [];
    for (const f of files) {
      const image = await readFile(f);
      const { width, height } = await probeFrame(image);
      const { input } = manifest;
      const lb = computeLetterbox(width, height, input.width, input.height, input.letterboxMode);
      const tensor = new Float32Array(session.inputLength);
      packLetterboxed(await decodeResized(image, lb), lb, transform, tensor);
      tensors.push(tensor);
    }
    const bare = async () => {
      const started = performance.now();
      for (const t of tensors) await session.run(t, 1);
      return (tensors.length * 1000) / (performance.now() - started);
    };

    // Warm-up (JIT, sharp's caches, onnxruntime's arenas), then rounds that alternate the two, so that load
    // from other processes on a shared machine falls on both alike; each round's ratio compares neighbours.
    await endToEnd();
    await bare();
    const e2e: Awaited<ReturnType<typeof endToEnd>>[] = [];
    const bareFps: number[] = [];
    stall.enable();
    for (let r = 0; r < rounds; r++) {
      e2e.push(await endToEnd());
      bareFps.push(await bare());
    }
    stall.disable();
    await session.close();
    await detector.close();

    const e2eFps = median(e2e.map((r) => r.fps));
    const baseFps = median(bareFps);
    const ratio = median(e2e.map((r, i) => r.fps / bareFps[i]!));
    const stageKeys = ['readMs', 'decodeMs', 'packMs', 'queueMs', 'inferMs', 'postprocessMs', 'totalMs'];
    console.log('');
    console.log(
      `end to end      ${fmt(e2eFps)} frames/s  (rounds: ${e2e.map((r) => fmt(r.fps)).join(', ')})`,
    );
    console.log(
      `bare inference  ${fmt(baseFps)} frames/s  (rounds: ${bareFps.map((f) => fmt(f)).join(', ')})`,
    );
    console.log(
      `ratio           ${fmt(ratio, 3)}  (median of the rounds' end to end / bare; target >= 0.85)`,
    );
    console.log('');
    console.log('per frame, mean of all rounds (stages overlap across frames in flight):');
    for (const k of stageKeys) {
      const v = e2e.reduce((s, r) => s + (r.stages[k] ?? 0), 0) / e2e.length;
      console.log(`  ${k.padEnd(14)} ${fmt(v, 2).padStart(7)} ms`);
    }
    console.log(
      `  ${'wall/frame'.padEnd(14)} ${fmt(1000 / e2eFps, 2).padStart(7)} ms end to end, ` +
        `${fmt(1000 / baseFps, 2)} ms bare`,
    );
    console.log('');
    console.log(
      `event-loop stalls: longest ${fmt(stall.max / 1e6)} ms, 99th percentile ` +
        `${fmt(stall.percentile(99) / 1e6)} ms (BullMQ renews its 30 s job locks every 15 s)`,
    );
    console.log(
      `peak RSS ${fmt(process.resourceUsage().maxRSS / 1024, 0)} MiB (detector and baseline session)`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
