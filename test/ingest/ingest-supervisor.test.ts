import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../../src/ingest/ingest-supervisor.js';
import { createLogger } from '../../src/shared/logger.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';
import { extractTestFrames, sampleVideoPath, type TestFrames } from '../support/ingest-fixtures.js';

let ctx: TestContext;
let frames: TestFrames;
let server: http.Server;
let folder: string;
let supervisor: IngestSupervisor;
let served = 0;

async function addCamera(name: string, source: unknown, interval = 1): Promise<string> {
  const { rows } = await ctx.pool.query(
    `insert into cameras (district_id, name, source, sample_interval_s) values ('pudong', $1, $2, $3) returning id`,
    [name, JSON.stringify(source), interval],
  );
  return rows[0].id;
}

async function framesOf(cameraId: string) {
  const { rows } = await ctx.pool.query<{ seq: number; sha256: string; storage_key: string }>(
    'select seq, sha256, storage_key from frames where camera_id = $1 order by seq',
    [cameraId],
  );
  return rows;
}

/** The real supervisor over this test's database, queues and cameras. */
function startSupervisor(): IngestSupervisor {
  const policy = accessPolicyFromEnv({
    CAMERA_ALLOW_LOOPBACK: 'true',
    CAMERA_LOCAL_FILE_ROOTS: path.dirname(sampleVideoPath()),
    CAMERA_FOLDER_ROOTS: os.tmpdir(),
  });
  const logger = createLogger('silent', 'test');
  const intake = new FrameIntake({
    pool: ctx.pool,
    frames: new FrameStore(ctx.blobs),
    queues: ctx.queues,
    redis: ctx.queues.connection,
    logger,
  });
  const started = new IngestSupervisor({
    pool: ctx.pool,
    redis: ctx.queues.connection,
    prefix: ctx.queues.prefix,
    intake,
    policy,
    logger,
    reconcileMs: 300,
  });
  started.start();
  return started;
}

/** Polls a condition; the bound is far beyond what the wait takes on a busy machine. */
async function waitFor(check: () => Promise<boolean>, ms = 45_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  frames = await extractTestFrames(4);
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(frames.jpegs[served++ % frames.jpegs.length]);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  folder = await mkdtemp(path.join(os.tmpdir(), 'enf-folder-cam-'));
  for (const [i, jpeg] of frames.jpegs.slice(0, 3).entries())
    await writeFile(path.join(folder, `img-${i}.jpg`), jpeg);
});

afterAll(async () => {
  await supervisor?.stop();
  server.close();
  await frames.cleanup();
  await rm(folder, { recursive: true, force: true });
  await ctx.close();
});

describe('ingest supervisor', () => {
  it('takes frames from a snapshot camera, a video file and a folder, with increasing seqs and correct hashes, and survives a refused camera', async () => {
    const port = (server.address() as AddressInfo).port;
    const snapshot = await addCamera('snapshot', {
      kind: 'snapshot',
      url: `http://127.0.0.1:${port}/snap.jpg`,
    });
    const video = await addCamera('video', { kind: 'file', path: sampleVideoPath(), replay: 'as-fast' });
    const dir = await addCamera('folder', { kind: 'folder', path: folder, settleMs: 0, scanIntervalMs: 200 });
    const metadata = await addCamera('metadata', {
      kind: 'snapshot',
      url: 'http://169.254.169.254/latest/meta-data/',
    });

    supervisor = startSupervisor();

    await waitFor(
      async () =>
        (await framesOf(snapshot)).length >= 3 &&
        (await framesOf(video)).length >= 3 &&
        (await framesOf(dir)).length >= 3,
    );
    await waitFor(
      async () =>
        (await ctx.pool.query('select last_error from camera_health where camera_id = $1', [metadata]))
          .rows[0]?.last_error != null,
    );

    for (const camera of [snapshot, video, dir]) {
      const rows = await framesOf(camera);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      for (const row of rows.slice(0, 3)) {
        const bytes = await ctx.blobs.get(row.storage_key);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
      }
    }
    const error = (
      await ctx.pool.query('select last_error from camera_health where camera_id = $1', [metadata])
    ).rows[0].last_error as string;
    expect(error).toMatch(/refused/i);
    expect(await framesOf(metadata)).toHaveLength(0);
    // A detection job waits for each camera that produced frames, never more than one per camera. Counted once
    // the supervisor has stopped: while a frame is being taken in, its job is queued a moment before the one it
    // replaces is removed.
    await supervisor.stop();
    const waiting = await ctx.queues.queue('detect').getWaiting();
    const perCamera = new Map<string, number>();
    for (const job of waiting) perCamera.set(job.data.cameraId, (perCamera.get(job.data.cameraId) ?? 0) + 1);
    expect(waiting.length).toBeLessThanOrEqual(3);
    expect([...perCamera.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('stops a camera that is disabled and releases it', async () => {
    const snapshot = (await ctx.pool.query(`select id from cameras where name = 'snapshot'`)).rows[0].id;
    supervisor = startSupervisor();
    await waitFor(async () => supervisor.running().includes(snapshot));
    const { rows } = await ctx.pool.query(
      `update cameras set enabled = false where name = 'snapshot' returning id`,
    );
    await waitFor(async () => !supervisor.running().includes(rows[0].id));
    const lease = await ctx.queues.connection.get(`${ctx.queues.prefix}:ingest-lease:${rows[0].id}`);
    expect(lease).toBeNull();
  });
});
