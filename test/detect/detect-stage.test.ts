import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectStage, GRID_HEIGHT, GRID_WIDTH } from '../../src/detect/detect-stage.service.js';
import { createDetector, type Detector } from '../../src/detect/detector.service.js';
import { createLogger } from '../../src/shared/logger.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let detector: Detector;
let stage: DetectStage;
let store: FrameStore;
let cameraId: string;
let seq = 0;

async function storeFrame(
  bytes: Buffer,
): Promise<{ frameId: number; sha256: string; key: string; seq: number }> {
  const stored = await store.put(bytes);
  seq++;
  const { rows } = await ctx.pool.query(
    `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version)
     values ($1, $2, now(), $3, $4, 768, 576, $5, 1) returning id`,
    [cameraId, seq, stored.sha256, stored.key, bytes.length],
  );
  return { frameId: rows[0].id, sha256: stored.sha256, key: stored.key, seq };
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  const { rows } = await ctx.pool.query(
    `insert into cameras (district_id, name, source) values ('pudong', 'street', '{"kind":"snapshot","url":"http://10.0.0.2/s.jpg"}') returning id`,
  );
  cameraId = rows[0].id;
  await ctx.pool.query(
    `insert into camera_versions (camera_id, version, config) values ($1, 1, '{"camera": {}, "zones": []}')`,
    [cameraId],
  );
  detector = await createDetector({ threads: 2 });
  store = new FrameStore(ctx.blobs);
  stage = new DetectStage({
    pool: ctx.pool,
    frames: store,
    queues: ctx.queues,
    detector,
    logger: createLogger('silent', 'test'),
  });
}, 60_000);

afterAll(async () => {
  await detector.close();
  await ctx.close();
});

describe('detect stage', () => {
  it('detects a real frame, keeps detections and a grid, and hands the frame to the rules once', async () => {
    const frame = await storeFrame(await readFile(path.join(REPO_ROOT, 'fixtures/frames/vtest-f200.jpg')));
    const job = {
      frameId: frame.frameId,
      cameraId,
      seq: frame.seq,
      storageKey: frame.key,
      sha256: frame.sha256,
    };
    expect(await stage.handle(job)).toBe('detected');
    const row = (
      await ctx.pool.query(
        'select items, grid, model_name, frame_width from detections where frame_id = $1',
        [frame.frameId],
      )
    ).rows[0];
    const persons = (row.items as { role: string }[]).filter((d) => d.role === 'person');
    expect(persons.length).toBeGreaterThanOrEqual(6);
    expect(row.grid.length).toBe(GRID_WIDTH * GRID_HEIGHT);
    expect(row.model_name).toBe(detector.model.name);
    expect(row.frame_width).toBe(768);
    // a retried job adds nothing and only re-enqueues the (idempotent) rules job
    expect(await stage.handle(job)).toBe('already');
    expect((await ctx.pool.query('select count(*)::int as n from detections')).rows[0].n).toBe(1);
    expect(await ctx.queues.queue('rules').getJobCountByTypes('waiting')).toBe(1);
  });

  it('records a corrupt frame as a camera error and keeps serving', async () => {
    const bad = await storeFrame(
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 7)]),
    );
    expect(
      await stage.handle({
        frameId: bad.frameId,
        cameraId,
        seq: bad.seq,
        storageKey: bad.key,
        sha256: bad.sha256,
      }),
    ).toBe('failed');
    const health = (
      await ctx.pool.query('select last_error from camera_health where camera_id = $1', [cameraId])
    ).rows[0];
    expect(health.last_error).toMatch(/could not be decoded/);
    expect(
      (await ctx.pool.query('select status from frames where id = $1', [bad.frameId])).rows[0].status,
    ).toBe('failed');

    const good = await storeFrame(
      await readFile(path.join(REPO_ROOT, 'fixtures/frames/car-detection-f101.jpg')),
    );
    expect(
      await stage.handle({
        frameId: good.frameId,
        cameraId,
        seq: good.seq,
        storageKey: good.key,
        sha256: good.sha256,
      }),
    ).toBe('detected');
  });

  it('refuses a frame whose stored bytes no longer match their hash', async () => {
    const frame = await storeFrame(
      await readFile(path.join(REPO_ROOT, 'fixtures/frames/car-detection-f233.jpg')),
    );
    await ctx.blobs.put(frame.key, Buffer.from('tampered'));
    expect(
      await stage.handle({
        frameId: frame.frameId,
        cameraId,
        seq: frame.seq,
        storageKey: frame.key,
        sha256: frame.sha256,
      }),
    ).toBe('failed');
  });
});
