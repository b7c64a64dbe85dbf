import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import type { CapturedFrame } from '../../src/ingest/frame-source.js';
import { createLogger } from '../../src/shared/logger.js';
import { BlobStoreUnavailableError } from '../../src/storage/blob-store.js';
import { FrameStore, sha256Hex } from '../../src/storage/frame-store.js';
import { S3TestServer } from '../support/s3-server.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';

/*
 * The ingest side of an object store outage, on a real S3-compatible server that this test kills and restarts:
 * a frame whose bytes cannot be stored is held and its write retried with backoff; no frame row and no detect job
 * exist until the bytes are in the bucket; stopping the camera ends the wait.
 */

let server: S3TestServer;
let ctx: TestContext;
let intake: FrameIntake;
let cameraId: string;

async function frame(shade: number): Promise<CapturedFrame> {
  const bytes = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 90, b: 160 } },
  })
    .jpeg()
    .toBuffer();
  const now = new Date();
  return {
    bytes,
    width: 64,
    height: 48,
    capturedAt: now,
    receivedAt: now,
    clock: 'host',
    sourceInfo: { kind: 'snapshot', origin: 'test' },
  };
}

async function recorded(): Promise<{ frames: number; jobs: number }> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'select count(*)::int as n from frames where camera_id = $1',
    [cameraId],
  );
  const counts = await ctx.queues.queue('detect').getJobCounts();
  return { frames: rows[0]!.n, jobs: Object.values(counts).reduce((a, b) => a + b, 0) };
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await S3TestServer.start();
  ctx = await createTestContext({ ...server.env(), S3_MAX_ATTEMPTS: '1' });
  await seedDistrict(ctx.pool, 'pudong');
  const { rows } = await ctx.pool.query(
    `insert into cameras (district_id, name, source) values ('pudong', 'outage', '{"kind":"snapshot"}') returning id`,
  );
  cameraId = rows[0].id;
  intake = new FrameIntake({
    pool: ctx.pool,
    frames: new FrameStore(ctx.blobs),
    queues: ctx.queues,
    redis: ctx.redis,
    logger: createLogger('silent', 'test'),
    storeRetry: { initialDelayMs: 50, maxDelayMs: 400 },
  });
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  await server?.close();
});

describe('ingest while the object store is away', () => {
  it('holds the frame, records and enqueues nothing, and goes on once the store is back', async () => {
    await intake.intake({ id: cameraId, version: 1 }, await frame(10));
    expect(await recorded()).toEqual({ frames: 1, jobs: 1 });

    await server.stop();
    const held = await frame(20);
    const retriesBefore = intake.storeRetries;
    let settled = false;
    const pending = intake.intake({ id: cameraId, version: 1 }, held).finally(() => (settled = true));
    try {
      await waitFor('three retries', () => intake.storeRetries >= retriesBefore + 3);
      expect(settled).toBe(false);
      expect(await recorded()).toEqual({ frames: 1, jobs: 1 });
    } finally {
      await server.start();
    }
    const result = await pending;
    expect(result.sha256).toBe(sha256Hex(held.bytes));
    // Recorded and queued now; as always, the newer frame replaces the one still waiting for a detector.
    expect(await recorded()).toEqual({ frames: 2, jobs: 1 });
    expect(await ctx.queues.queue('detect').getJob(`frame-${result.frameId}`)).toBeDefined();
    expect(sha256Hex(await new FrameStore(ctx.blobs).get(result.sha256))).toBe(result.sha256);
  });

  it('gives the frame up when the camera is stopped during the wait, leaving nothing behind', async () => {
    const before = await recorded();
    await server.stop();
    try {
      const stop = new AbortController();
      const retriesBefore = intake.storeRetries;
      const pending = intake.intake({ id: cameraId, version: 1 }, await frame(30), stop.signal);
      await waitFor('a retry', () => intake.storeRetries > retriesBefore);
      stop.abort();
      await expect(pending).rejects.toBeInstanceOf(BlobStoreUnavailableError);
      expect(await recorded()).toEqual(before);
    } finally {
      await server.start();
    }
  });
});
