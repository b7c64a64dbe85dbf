import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import type { CapturedFrame } from '../../src/ingest/frame-source.js';
import { WorkerHost } from '../../src/queue/worker-host.js';
import { createLogger } from '../../src/shared/logger.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let dataDir: string;
let cameraId: string;

async function frame(i: number): Promise<CapturedFrame> {
  const bytes = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: i * 20, g: 100, b: 200 - i * 10 } },
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

beforeAll(async () => {
  ctx = await createTestContext();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'enf-bp-'));
  await seedDistrict(ctx.pool, 'pudong');
  const { rows } = await ctx.pool.query(
    `insert into cameras (district_id, name, source) values ('pudong', 'bp', '{"kind":"snapshot"}') returning id`,
  );
  cameraId = rows[0].id;
});
afterAll(async () => {
  await ctx.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ingest backpressure', () => {
  it('keeps at most one frame per camera waiting for a slow detector and counts the drops', async () => {
    const logger = createLogger('silent', 'test');
    const intake = new FrameIntake({
      pool: ctx.pool,
      frames: new FrameStore(new FsBlobStore(dataDir)),
      queues: ctx.queues,
      redis: ctx.redis,
      logger,
    });
    // The detector takes the first frame and holds it until every frame has been taken in: a detector slower
    // than the camera, without depending on how fast this machine happens to be.
    const detected: number[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const heldOne = new Promise<void>((r) => (holding = r));
    let lastDone!: () => void;
    const allDone = new Promise<void>((r) => (lastDone = r));
    const detector = new WorkerHost({
      connection: ctx.queues.connection,
      prefix: ctx.queues.prefix,
      logger,
      serves: ['detect'],
      handlers: {
        detect: {
          handle: async (p) => {
            holding();
            await released;
            detected.push(p.seq);
            await ctx.pool.query(`update frames set status = 'detected' where id = $1`, [p.frameId]);
            if (p.seq === 8) lastDone();
          },
        },
      },
    });
    detector.start();
    await detector.waitUntilReady();

    const waitingCounts: number[] = [];
    const seqs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await intake.intake({ id: cameraId, version: 1 }, await frame(i));
      seqs.push(r.seq);
      waitingCounts.push(await ctx.queues.queue('detect').getWaitingCount());
      if (i === 0) await heldOne;
    }
    // let the detector finish what it holds and the last waiting frame
    release();
    await allDone;
    await detector.stop();

    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Math.max(...waitingCounts)).toBeLessThanOrEqual(1);
    const health = (
      await ctx.pool.query('select drops_total, frames_total from camera_health where camera_id = $1', [
        cameraId,
      ])
    ).rows[0];
    const dropped = (
      await ctx.pool.query(
        `select count(*)::int as n from frames where camera_id = $1 and status = 'dropped'`,
        [cameraId],
      )
    ).rows[0].n;
    expect(health.frames_total).toBe(8);
    expect(health.drops_total).toBeGreaterThan(0);
    expect(dropped).toBe(health.drops_total);
    expect(detected.length + dropped).toBe(8);
    // the newest frame is never the one dropped
    expect(detected).toContain(8);
    // the frame in hand and the newest one were detected; every frame between them was replaced while waiting
    expect(detected).toEqual([1, 8]);
    expect(health.drops_total).toBe(6);
  });
});
