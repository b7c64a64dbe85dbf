import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StallPipeline } from './stall-pipeline.js';

/* The whole pipeline (see stall-pipeline.ts) with the filesystem blob store. */

let p: StallPipeline;

beforeAll(async () => {
  p = await StallPipeline.start();
}, 120_000);

afterAll(async () => {
  await p?.close();
});

describe('street stall, end to end', () => {
  it('a stall composed into real frames gives exactly one review task with valid evidence', async () => {
    const cameraId = await p.addFileCamera('东方路 草坪 1');
    await p.waitUntilSettled(cameraId);
    await p.checkOneReviewTask(cameraId);
  }, 180_000);

  it('still exactly one when the detect worker is killed mid-run and started again', async () => {
    const cameraId = await p.addFileCamera('东方路 草坪 2');
    await p.waitFor('a few frames detected', async () => (await p.detectedCount(cameraId)) >= 3);
    const atKill = await p.frameCount(cameraId);
    await p.killDetectWorker();
    await p.startDetectWorker();
    await p.waitUntilSettled(cameraId);
    // The replay was still running when the worker died: frames kept coming after the kill.
    expect(await p.frameCount(cameraId)).toBeGreaterThan(atKill);
    await p.checkOneReviewTask(cameraId, true);
  }, 180_000);
});
