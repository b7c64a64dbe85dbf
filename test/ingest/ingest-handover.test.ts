import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import type { CapturedFrame } from '../../src/ingest/frame-source.js';
import { createLogger } from '../../src/shared/logger.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let cameraId: string;

async function frame(shade: number): Promise<CapturedFrame> {
  const bytes = await sharp({
    create: { width: 32, height: 24, channels: 3, background: { r: shade, g: 10, b: 10 } },
  })
    .jpeg()
    .toBuffer();
  const now = new Date();
  return {
    bytes,
    width: 32,
    height: 24,
    capturedAt: now,
    receivedAt: now,
    clock: 'host',
    sourceInfo: { kind: 'snapshot', origin: 'test' },
  };
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  const { rows } = await ctx.pool.query(
    `insert into cameras (district_id, name, source) values ('pudong', 'handover', '{"kind":"snapshot"}') returning id`,
  );
  cameraId = rows[0].id;
});
afterAll(() => ctx.close());

describe('a camera moving between ingest workers', () => {
  it('continues its sequence from the database when a worker takes the camera back', async () => {
    const deps = {
      pool: ctx.pool,
      frames: new FrameStore(ctx.blobs),
      queues: ctx.queues,
      redis: ctx.redis,
      logger: createLogger('silent', 'test'),
    };
    const workerA = new FrameIntake(deps);
    const workerB = new FrameIntake(deps);
    const seqs: number[] = [];
    seqs.push((await workerA.intake({ id: cameraId, version: 1 }, await frame(1))).seq);
    seqs.push((await workerA.intake({ id: cameraId, version: 1 }, await frame(2))).seq);
    workerB.forget(cameraId);
    seqs.push((await workerB.intake({ id: cameraId, version: 1 }, await frame(3))).seq);
    workerA.forget(cameraId); // the lease comes back to A
    seqs.push((await workerA.intake({ id: cameraId, version: 1 }, await frame(4))).seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
  });
});
