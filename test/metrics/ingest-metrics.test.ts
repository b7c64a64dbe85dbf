import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../../src/ingest/ingest-supervisor.js';
import { ProcessMetrics } from '../../src/metrics/process-metrics.adapter.js';
import { createLogger } from '../../src/shared/logger.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { readFrame } from '../support/frames.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';
import { parseExposition, valueOf, type Sample } from '../support/prometheus-text.js';

/*
 * The ingest stage's figures after real work: a folder camera holding two real frames and one file that is not a
 * picture, run by the real supervisor and intake.
 */

let ctx: TestContext;
let folder: string;
let supervisor: IngestSupervisor | null = null;
const metrics = new ProcessMetrics('ingest-worker');

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  folder = await mkdtemp(path.join(os.tmpdir(), 'enf-metrics-folder-'));
  await writeFile(path.join(folder, 'a-street.jpg'), await readFrame('vtest-f200.jpg'));
  await writeFile(path.join(folder, 'b-cars.jpg'), await readFrame('car-detection-f101.jpg'));
  await writeFile(
    path.join(folder, 'c-broken.jpg'),
    Buffer.from('not a picture, only text with a .jpg name'),
  );
});

afterAll(async () => {
  await supervisor?.stop();
  await rm(folder, { recursive: true, force: true });
  await ctx?.close();
});

async function waitFor<T>(what: string, probe: () => Promise<T | null>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== null) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ingest metrics', () => {
  it('counts frames taken, queued, replaced and refused, and the source error', async () => {
    const { rows } = await ctx.pool.query<{ id: string }>(
      `insert into cameras (district_id, name, source, sample_interval_s) values ('pudong', 'folder', $1, 1) returning id`,
      [JSON.stringify({ kind: 'folder', path: folder, settleMs: 0, scanIntervalMs: 100 })],
    );
    const cameraId = rows[0]!.id;
    const logger = createLogger('silent', 'test');
    supervisor = new IngestSupervisor({
      pool: ctx.pool,
      redis: ctx.queues.connection,
      prefix: ctx.queues.prefix,
      intake: new FrameIntake({
        pool: ctx.pool,
        frames: new FrameStore(ctx.blobs),
        queues: ctx.queues,
        redis: ctx.queues.connection,
        logger,
      }),
      policy: accessPolicyFromEnv({ CAMERA_FOLDER_ROOTS: os.tmpdir() }),
      logger,
      reconcileMs: 200,
      metrics,
    });
    supervisor.start();

    const samples = await waitFor('three files handled', async () => {
      const found: Sample[] = parseExposition((await metrics.exposition()).body);
      return (valueOf(found, 'enforcement_stage_frames_in_total', { stage: 'ingest' }) ?? 0) >= 3
        ? found
        : null;
    });
    expect(valueOf(samples, 'enforcement_stage_frames_in_total', { stage: 'ingest' })).toBe(3);
    expect(valueOf(samples, 'enforcement_stage_frames_out_total', { stage: 'ingest' })).toBe(2);
    expect(
      valueOf(samples, 'enforcement_stage_frames_dropped_total', {
        stage: 'ingest',
        reason: 'unsupported_format',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'enforcement_ingest_source_errors_total', { code: 'unsupported_format' })).toBe(
      1,
    );
    // no detector runs here, so the second frame replaced the first one waiting for detection
    expect(
      valueOf(samples, 'enforcement_stage_frames_dropped_total', { stage: 'ingest', reason: 'replaced' }),
    ).toBe(1);
    const frames = await ctx.pool.query<{ status: string }>(
      'select status from frames where camera_id = $1 order by seq',
      [cameraId],
    );
    expect(frames.rows.map((r) => r.status)).toEqual(['dropped', 'queued']);
  });
});
