import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../../scripts/assets.js';
import { InferenceStuckError, InferenceUnavailableError } from '../../src/detect/detect-errors.js';
import type { InferenceFaults } from '../../src/detect/inference-thread.adapter.js';
import { createDetector } from '../../src/detect/detector.service.js';
import { decodeFitted } from '../../src/detect/frame-preprocess.adapter.js';
import { letterboxFromResized } from '../../src/detect/letterbox.js';
import {
  readModelManifest,
  resolveManifestPath,
  verifyModelFile,
} from '../../src/detect/model-registry.adapter.js';
import type { ModelManifest } from '../../src/detect/model-manifest.js';
import { openModelSession, type ModelSession } from '../../src/detect/onnx-session.adapter.js';
import { channelTransform, packLetterboxed } from '../../src/detect/tensor-pack.js';
import { readFrame } from '../support/frames.js';

/** The YOLOX-Nano session on a worker thread of its own, against one on the test's thread, on a real frame. */
let manifest: ModelManifest;
let modelPath: string;
let frameTensor: Float32Array;

beforeAll(async () => {
  await ensureAssets({ only: ['yolox-nano'] });
  const manifestPath = resolveManifestPath({});
  manifest = await readModelManifest(manifestPath);
  modelPath = await verifyModelFile(manifest, manifestPath);
  const { input } = manifest;
  const fitted = await decodeFitted(
    await readFrame('vtest-f200.jpg'),
    input.width,
    input.height,
    input.letterboxMode,
  );
  const lb = letterboxFromResized(
    fitted.width,
    fitted.height,
    fitted.resizedWidth,
    fitted.resizedHeight,
    input.width,
    input.height,
    input.letterboxMode,
  );
  frameTensor = new Float32Array(3 * input.width * input.height);
  packLetterboxed(fitted.rgb, lb, channelTransform(input), frameTensor);
});

const sessions: ModelSession[] = [];
afterAll(async () => {
  await Promise.allSettled(sessions.map((s) => s.close()));
});

async function open(placement: 'thread' | 'caller', faults?: InferenceFaults): Promise<ModelSession> {
  const session = await openModelSession(modelPath, manifest, { threads: 1, placement, faults });
  sessions.push(session);
  return session;
}

/** Event-loop turns (setImmediate callbacks) that run while `work` is pending. */
async function turnsDuring<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let done = false;
  const spin = () => {
    if (done) return;
    turns++;
    setImmediate(spin);
  };
  setImmediate(spin);
  const value = await work;
  done = true;
  return { value, turns };
}

describe('the inference thread', () => {
  it('gives exactly the outputs of a session on the calling thread and hands the input back', async () => {
    const thread = await open('thread');
    const caller = await open('caller');
    expect(thread.placement).toBe('thread');
    const sent = new Float32Array(frameTensor);
    const a = await thread.run(sent, 1);
    // The input's buffer travelled to the thread: unusable here until it came back with the output.
    expect(sent.length).toBe(0);
    expect(a.input.length).toBe(frameTensor.length);
    expect(a.input).toEqual(frameTensor);
    const b = await caller.run(new Float32Array(frameTensor), 1);
    expect(a.dims).toEqual(b.dims);
    expect(a.data).toEqual(b.data);
    expect(a.runMs).toBeGreaterThan(0);
  });

  it('leaves the event loop free while the model computes', async () => {
    const thread = await open('thread');
    const caller = await open('caller');
    const onThread = await turnsDuring(thread.run(new Float32Array(frameTensor), 1));
    const onCaller = await turnsDuring(caller.run(new Float32Array(frameTensor), 1));
    // On the caller's thread, the loop stops for the whole inference: a turn or two around it, no more.
    expect(onCaller.turns).toBeLessThanOrEqual(3);
    expect(onThread.turns).toBeGreaterThan(10 * Math.max(1, onCaller.turns));
  });

  it('fails a run onnxruntime refuses, and serves the next one', async () => {
    const thread = await open('thread');
    // A tensor one image short of the batch it claims: onnxruntime refuses the shape.
    await expect(thread.run(new Float32Array(frameTensor), 2)).rejects.toThrow(/size|shape|dimension/i);
    const next = await thread.run(new Float32Array(frameTensor), 1);
    expect(next.dims).toEqual([1, 3549, 85]);
  });

  it('fails the runs under way and every later one when the thread dies, and says so once', async () => {
    // The thread ends by itself after two runs (the warm-up and the first), as a crashed host would; the runs sent
    // before it ended were waiting behind that one and die with it.
    const thread = await open('thread', { exitAfterRuns: 2 });
    const failures: Error[] = [];
    thread.onFailure((err) => failures.push(err));
    const first = thread.run(new Float32Array(frameTensor), 1);
    const underWay = Promise.allSettled([
      thread.run(new Float32Array(frameTensor), 1),
      thread.run(new Float32Array(frameTensor), 1),
    ]);
    expect((await first).dims).toEqual([1, 3549, 85]);
    for (const outcome of await underWay) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(InferenceUnavailableError);
    }
    await expect(thread.run(new Float32Array(frameTensor), 1)).rejects.toThrow(/inference thread exited/);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(InferenceUnavailableError);
    // A listener that comes late hears of the failure at once.
    const late: Error[] = [];
    thread.onFailure((err) => late.push(err));
    expect(late).toEqual(failures);
  });

  it('closes quietly: no failure is reported, and later runs are refused', async () => {
    const thread = await openModelSession(modelPath, manifest, { threads: 1, placement: 'thread' });
    const failures: Error[] = [];
    thread.onFailure((err) => failures.push(err));
    await thread.close();
    await expect(thread.run(new Float32Array(frameTensor), 1)).rejects.toThrow(/session is closed/);
    expect(failures).toEqual([]);
  });

  it('on close lets the run in progress finish and refuses the runs that have not started', async () => {
    // Each run holds the thread 300 ms, as a slow native run would: the three requests and the close all reach
    // the thread while it is inside the first run.
    const thread = await open('thread', { holdRunMs: 300 });
    const failures: Error[] = [];
    thread.onFailure((err) => failures.push(err));
    const inProgress = thread.run(new Float32Array(frameTensor), 1);
    const waiting = Promise.allSettled([
      thread.run(new Float32Array(frameTensor), 1),
      thread.run(new Float32Array(frameTensor), 1),
    ]);
    await thread.close();
    expect((await inProgress).dims).toEqual([1, 3549, 85]);
    for (const outcome of await waiting) {
      expect(outcome.status).toBe('rejected');
      const reason = (outcome as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(InferenceUnavailableError);
      expect(reason.message).toMatch(/session is closed/);
    }
    expect(failures).toEqual([]);
  });

  it('never kills a thread inside a run: a close that waits too long says so, and the thread still ends', async () => {
    const thread = await open('thread', { holdRunMs: 2_000 });
    const inProgress = thread.run(new Float32Array(frameTensor), 1);
    await expect(thread.close(100)).rejects.toBeInstanceOf(InferenceStuckError);
    // The run was left to finish, and the thread then closed by itself.
    expect((await inProgress).dims).toEqual([1, 3549, 85]);
    await thread.close(60_000);
  });

  it('makes the detector refuse frames with InferenceUnavailableError once its session is gone', async () => {
    // Run 1 is the warm-up, run 2 the first frame; then the thread ends as a crashed host would.
    const detector = await createDetector({ threads: 1, faults: { exitAfterRuns: 2 } });
    expect(detector.model.placement).toBe('thread');
    const told = new Promise<Error>((resolve) => detector.onFailure(resolve));
    const frame = await readFrame('vtest-f200.jpg');
    expect((await detector.detect(frame)).detections.length).toBeGreaterThan(0);
    expect(await told).toBeInstanceOf(InferenceUnavailableError);
    await expect(detector.detect(frame)).rejects.toBeInstanceOf(InferenceUnavailableError);
    await detector.close();
  });

  it('starts in a process whatever flags node was given (V8 flags, code on the command line)', async () => {
    const detectorUrl = new URL('../../src/detect/detector.service.ts', import.meta.url).href;
    const frameUrl = new URL('../../fixtures/frames/vtest-f200.jpg', import.meta.url).href;
    const code = `
      import { readFile } from 'node:fs/promises';
      const { createDetector } = await import(${JSON.stringify(detectorUrl)});
      const detector = await createDetector({ threads: 1 });
      const { detections } = await detector.detect(await readFile(new URL(${JSON.stringify(frameUrl)})));
      await detector.close();
      console.log(JSON.stringify({ placement: detector.model.placement, found: detections.length }));`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', '--max-old-space-size=512', '--input-type=module', '-e', code],
      { timeout: 60_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { placement: string; found: number };
    expect(result.placement).toBe('thread');
    expect(result.found).toBeGreaterThanOrEqual(6);
  });
});
