/**
 * `npm run bench:detect [-- --frames N --rounds R --round-frames F --in-flight K --threads T --kernel K
 * --sharp-threads S --spin --placement thread|caller --size WxH]`: detection throughput on real
 * frames at their native sizes, end to end (read file, decode, resize, pack, infer, decode output, suppress)
 * against bare onnxruntime on the very same input tensors, measured alternately in the same run. Prints frames
 * per second of both, their ratio, milliseconds per stage, the longest event-loop stall and peak memory.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { ensureAssets, REPO_ROOT } from './assets.js';
import {
  createDetector,
  DEFAULT_DETECT_CONCURRENCY,
  defaultInferenceThreads,
} from '../src/detect/detector.service.js';
import { decodeResized, probeFrame, type ResizeKernel } from '../src/detect/frame-preprocess.adapter.js';
import sharp from 'sharp';
import { computeLetterbox } from '../src/detect/letterbox.js';
import {
  readModelManifest,
  resolveManifestPath,
  verifyModelFile,
} from '../src/detect/model-registry.adapter.js';
import { openModelSession, type SessionPlacement } from '../src/detect/onnx-session.adapter.js';
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
    rounds: { type: 'string', default: '12' },
    'round-frames': { type: 'string', default: '40' },
    'in-flight': { type: 'string', default: String(DEFAULT_DETECT_CONCURRENCY) },
    placement: { type: 'string', default: 'thread' },
    size: { type: 'string' },
    threads: { type: 'string' },
    kernel: { type: 'string', default: 'linear' },
    'sharp-threads': { type: 'string', default: '1' },
    spin: { type: 'boolean', default: false },
  },
});
const perVideo = Number(values.frames);
const rounds = Number(values.rounds);
const inFlight = Number(values['in-flight']);
const roundFrames = Number(values['round-frames']);
const placement = values.placement as SessionPlacement;
/** `--size 1920x1080`: the frames re-encoded at that size (as from a higher-resolution camera) instead of native. */
const size = values.size ? /^(\d+)x(\d+)$/.exec(values.size) : null;
if (values.size && !size) throw new Error(`--size takes WIDTHxHEIGHT, got "${values.size}"`);
const cpus = availableParallelism();
const threads = values.threads ? Number(values.threads) : defaultInferenceThreads();
const kernel = values.kernel as ResizeKernel;
const spinWait = values.spin;
// A detect worker does one small image at a time per frame in flight: libvips threads inside one image only
// compete with onnxruntime's for the same cores.
sharp.concurrency(Number(values['sharp-threads']));

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
      `select=not(mod(n\\,${step}))${size ? `,scale=${size[1]}:${size[2]}` : ''}`,
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

/**
 * How late a 5 ms timer fires while the detector runs: the event loop's stalls. Sampled only during the end-to-end
 * rounds (the bare baseline blocks the loop by design); a histogram toggled on and off would count the gaps.
 */
class StallSampler {
  private readonly lags: number[] = [];
  private last = 0;
  private timer: NodeJS.Timeout | undefined;
  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.lags.push(Math.max(0, now - this.last - 5));
      this.last = now;
    }, 5);
  }
  stop(): void {
    clearInterval(this.timer);
  }
  get max(): number {
    return Math.max(0, ...this.lags);
  }
  percentile(p: number): number {
    const sorted = [...this.lags].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
  }
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
      `${files.length} frames (${[...sizes].join(', ')}), ${threads} onnxruntime threads` +
        `${spinWait ? ' (spinning)' : ''}, ${sharp.concurrency()} libvips thread(s) per image, ${kernel} resize, ` +
        `${inFlight} frames in flight, inference on the ${placement === 'thread' ? "session's own thread" : "event loop's thread"}, ` +
        `${rounds} rounds of ${Math.min(files.length, roundFrames)} frames`,
    );

    const detector = await createDetector({ threads, spinWait, resizeKernel: kernel, placement });
    const stall = new StallSampler();
    const stageSums: Record<string, number> = {};
    let stageFrames = 0;

    /** Reads and detects the frames with `inFlight` of them in the pipeline at once; frames per second. */
    async function endToEnd(chunk: readonly string[]): Promise<number> {
      let next = 0;
      const started = performance.now();
      const lane = async () => {
        while (next < chunk.length) {
          const file = chunk[next++]!;
          const t0 = performance.now();
          const image = await readFile(file);
          const readMs = performance.now() - t0;
          const { timings } = await detector.detect(image);
          for (const [k, v] of Object.entries({ readMs, ...timings })) stageSums[k] = (stageSums[k] ?? 0) + v;
          stageFrames++;
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
      return (chunk.length * 1000) / (performance.now() - started);
    }

    // The bare baseline: a session of its own, fed the very tensors the detector builds, one run after another.
    const manifestPath = resolveManifestPath({});
    const manifest = await readModelManifest(manifestPath);
    const modelPath = await verifyModelFile(manifest, manifestPath);
    const session = await openModelSession(modelPath, manifest, { threads, spinWait, placement: 'caller' });
    const transform = channelTransform(manifest.input);
    const tensorOf = new Map<string, Float32Array>();
    for (const f of files) {
      const image = await readFile(f);
      const { width, height } = await probeFrame(image);
      const { input } = manifest;
      const lb = computeLetterbox(width, height, input.width, input.height, input.letterboxMode);
      const tensor = new Float32Array(session.inputLength);
      packLetterboxed(await decodeResized(image, lb, { kernel }), lb, transform, tensor);
      tensorOf.set(f, tensor);
    }
    async function bare(chunk: readonly string[]): Promise<number> {
      const started = performance.now();
      for (const f of chunk) await session.run(tensorOf.get(f)!, 1);
      return (chunk.length * 1000) / (performance.now() - started);
    }

    // Warm-up (JIT, sharp's caches, onnxruntime's arenas). Then short rounds alternate the two on the same
    // frames, so that load from other processes on a shared machine falls on both alike; each round's ratio
    // compares neighbours, and the median of the ratios shrugs off the rounds a burst of load spoiled.
    await endToEnd(files);
    await bare(files);
    for (const k of Object.keys(stageSums)) delete stageSums[k];
    stageFrames = 0;
    const chunkSize = Math.min(files.length, roundFrames);
    const e2eFps: number[] = [];
    const bareFps: number[] = [];
    const load = loadavg()[0]!;
    for (let r = 0; r < rounds; r++) {
      const start = (r * chunkSize) % files.length;
      const chunk = [...files, ...files].slice(start, start + chunkSize);
      // Stalls are the detector's: the bare baseline blocks the loop by design, and is left out.
      stall.start();
      e2eFps.push(await endToEnd(chunk));
      stall.stop();
      bareFps.push(await bare(chunk));
    }
    await session.close();
    await detector.close();

    const ratios = e2eFps.map((f, i) => f / bareFps[i]!);
    const list = (xs: number[], digits = 1) => xs.map((x) => fmt(x, digits)).join(' ');
    console.log('');
    console.log(`end to end      ${fmt(median(e2eFps)).padStart(6)} frames/s   rounds: ${list(e2eFps)}`);
    console.log(`bare inference  ${fmt(median(bareFps)).padStart(6)} frames/s   rounds: ${list(bareFps)}`);
    console.log(
      `ratio           ${fmt(median(ratios), 3).padStart(6)}  (median of the rounds; target >= 0.85)`,
    );
    console.log(`                rounds: ${list(ratios, 2)}`);
    console.log(
      `load average    ${fmt(load, 2)} at the start, ${fmt(loadavg()[0]!, 2)} at the end, on ${cpus} cores`,
    );
    console.log('');
    console.log('milliseconds per frame, end to end (stages of frames in flight overlap one another):');
    for (const k of ['readMs', 'decodeMs', 'packMs', 'queueMs', 'inferMs', 'postprocessMs', 'totalMs']) {
      console.log(
        `  ${k.replace(/Ms$/, '').padEnd(12)} ${fmt((stageSums[k] ?? 0) / stageFrames, 2).padStart(7)}`,
      );
    }
    console.log(
      `  ${'wall'.padEnd(12)} ${fmt(1000 / median(e2eFps), 2).padStart(7)}   (bare: ${fmt(1000 / median(bareFps), 2)})`,
    );
    console.log('');
    console.log(
      `event-loop stalls: longest ${fmt(stall.max)} ms, 99th percentile ` +
        `${fmt(stall.percentile(99))} ms (BullMQ job locks: 30 s by default)`,
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
