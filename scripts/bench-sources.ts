/**
 * `npm run bench:sources [-- --rounds R --interval MS]`: what the ingest layer costs on top of ffmpeg.
 *
 * 1. As-fast replay of vtest.avi: bare ffmpeg (same command line, stdout only counted) against the file source
 *    (splitting, validation, health) and against the file source plus storing every frame in the frame store.
 *    The three run alternately in each round so that load from other processes falls on all alike.
 * 2. Frame validation per frame: header only, header plus the 1/8-scale decode check, against sharp decoding
 *    the whole frame (what the detector does anyway), at 768x576 and 1920x1080.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import sharp from 'sharp';
import { ensureAssets, REPO_ROOT } from './assets.js';
import { compileAccessPolicy } from '../src/ingest/access-policy.js';
import { createSource } from '../src/ingest/create-source.js';
import { buildFfmpegArgs } from '../src/ingest/ffmpeg.source.js';
import { DEFAULT_FRAME_LIMITS, validateFrame } from '../src/ingest/frame-validation.js';
import { FsBlobStore } from '../src/storage/fs-blob-store.adapter.js';
import { FrameStore } from '../src/storage/frame-store.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    interval: { type: 'string', default: '200' },
  },
});
const rounds = Number(values.rounds);
const interval = Number(values.interval);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Frames per second of ffmpeg alone, writing into a pipe that is read and counted. */
async function bareFfmpeg(video: string): Promise<{ fps: number; frames: number }> {
  const args = buildFfmpegArgs(
    { type: 'file', path: video, realtime: false, loop: false },
    interval,
    40_000_000,
  );
  const started = performance.now();
  // stderr carries a size line per frame (showinfo); not wanted on the console.
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let eoi = 0;
  let previous = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    // Counting end markers is enough to know the number of frames; the splitter is what is measured elsewhere.
    for (let i = chunk.indexOf(0xd9); i >= 0; i = chunk.indexOf(0xd9, i + 1)) {
      if ((i > 0 ? chunk[i - 1] : previous) === 0xff) eoi++;
    }
    previous = chunk[chunk.length - 1]!;
  }
  return { fps: (eoi * 1000) / (performance.now() - started), frames: eoi };
}

async function viaSource(
  video: string,
  store?: FrameStore,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ fps: number; frames: number }> {
  const policy = compileAccessPolicy({ localFileRoots: [path.dirname(video)] });
  const source = createSource(
    { kind: 'file', path: video, sampleIntervalMs: interval, replay: 'as-fast', loop: false },
    { policy },
  );
  const started = performance.now();
  let frames = 0;
  for await (const event of source) {
    if (event.type === 'error') throw event.error;
    if (store) await store.put(event.frame.bytes);
    if (++frames >= stopAfter) break;
  }
  await source.close();
  return { fps: (frames * 1000) / (performance.now() - started), frames };
}

async function perFrameMs(
  label: string,
  frame: Buffer,
  work: (frame: Buffer) => Promise<unknown>,
): Promise<number> {
  for (let i = 0; i < 5; i++) await work(frame);
  const count = 40;
  const started = performance.now();
  for (let i = 0; i < count; i++) await work(frame);
  const ms = (performance.now() - started) / count;
  console.log(`  ${label.padEnd(34)} ${fmt(ms, 2).padStart(7)} ms`);
  return ms;
}

async function main(): Promise<void> {
  await ensureAssets({ only: ['vtest'] });
  const video = path.join(REPO_ROOT, 'fixtures/video/vtest.avi');
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-ingest-'));
  try {
    console.log(`as-fast replay of vtest.avi, one frame per ${interval} ms of video, ${rounds} rounds`);
    await viaSource(video, undefined, 40); // warm-up: page cache, sharp, JIT
    const bare: number[] = [];
    const source: number[] = [];
    const stored: number[] = [];
    let frames = 0;
    for (let r = 0; r < rounds; r++) {
      const b = await bareFfmpeg(video);
      const s = await viaSource(video);
      // A fresh store each round: every frame is new, as from a live camera (repeats cost a second write).
      const p = await viaSource(video, new FrameStore(new FsBlobStore(path.join(dir, `store-${r}`))));
      if (b.frames !== s.frames || s.frames !== p.frames) {
        throw new Error(`frame counts differ: bare ${b.frames}, source ${s.frames}, stored ${p.frames}`);
      }
      frames = s.frames;
      bare.push(b.fps);
      source.push(s.fps);
      stored.push(p.fps);
    }
    const ratio = (xs: number[]) => median(xs.map((x, i) => x / bare[i]!));
    console.log(`  frames per run                     ${frames}`);
    console.log(
      `  bare ffmpeg            ${fmt(median(bare)).padStart(7)} frames/s  (${bare.map((f) => fmt(f)).join(', ')})`,
    );
    console.log(
      `  file source            ${fmt(median(source)).padStart(7)} frames/s  ratio ${fmt(ratio(source), 3)} of bare`,
    );
    console.log(
      `  file source + store    ${fmt(median(stored)).padStart(7)} frames/s  ratio ${fmt(ratio(stored), 3)} of bare`,
    );

    console.log('');
    console.log('frame validation, per frame:');
    for (const size of ['768x576', '1920x1080']) {
      const file = path.join(dir, `frame-${size}.jpg`);
      await run('ffmpeg', [
        '-v',
        'error',
        '-ss',
        '5',
        '-i',
        video,
        '-frames:v',
        '1',
        '-s',
        size,
        '-q:v',
        '3',
        file,
      ]);
      const frame = await readFile(file);
      console.log(` ${size} (${fmt(frame.length / 1024, 0)} KiB)`);
      const headerOnly = { ...DEFAULT_FRAME_LIMITS, verifyDecode: false };
      const header = await perFrameMs('header only', frame, (f) => validateFrame(f, 'bench', headerOnly));
      const check = await perFrameMs('header + 1/8-scale decode check', frame, (f) =>
        validateFrame(f, 'bench'),
      );
      const full = await perFrameMs('baseline: sharp full decode', frame, (f) => sharp(f).raw().toBuffer());
      console.log(
        `  decode check costs ${fmt(check / full, 3)} of a full decode (header alone ${fmt(header / full, 4)})`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
