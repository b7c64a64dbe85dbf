import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3TestServer } from '../support/s3-server.js';
import { seedStaff, TestClient } from '../support/test-app.js';
import { StallPipeline } from './stall-pipeline.js';

/*
 * The whole pipeline (see stall-pipeline.ts) with every process on the S3 blob store: this process's ingest and
 * rules workers and the detect worker child share nothing but Postgres, Redis and a real S3-compatible server
 * (s3rver, started here). Then the server is killed mid-run and started again: the ingest holds its frame and
 * retries, the detect and evidence jobs retry with backoff, and nothing is lost or recorded twice.
 */

let server: S3TestServer;
let p: StallPipeline;
let framesOfAnUndisturbedRun = 0;

beforeAll(async () => {
  server = await S3TestServer.start();
  p = await StallPipeline.start(server.env());
}, 120_000);

afterAll(async () => {
  await p?.close();
  await server?.close();
});

async function frameRows(cameraId: string) {
  const { rows } = await p.ctx.pool.query<{
    seq: number;
    sha256: string;
    storage_key: string;
    status: string;
  }>('select seq, sha256, storage_key, status from frames where camera_id = $1 order by seq', [cameraId]);
  return rows;
}

/** Every recorded frame's bytes are in the bucket and match their hash. */
async function expectEveryFrameStored(cameraId: string): Promise<void> {
  for (const f of await frameRows(cameraId)) {
    const bytes = await p.ctx.blobs.get(f.storage_key);
    expect(createHash('sha256').update(bytes).digest('hex'), `frame ${f.seq}`).toBe(f.sha256);
  }
}

describe('street stall, end to end, on S3', () => {
  it('gives one review task whose evidence lives in the bucket and is served over HTTP', async () => {
    const cameraId = await p.addFileCamera('东方路 草坪 S3-1');
    await p.waitUntilSettled(cameraId);
    const violation = await p.checkOneReviewTask(cameraId);
    await expectEveryFrameStored(cameraId);
    framesOfAnUndisturbedRun = await p.frameCount(cameraId);
    // Nothing went to the local directory.
    await expect(access(path.join(p.ctx.config.dataDir, 'frames'))).rejects.toThrow();

    await seedStaff(p.ctx.pool, 's3-reviewer', 'evidence_reviewer', 'pudong');
    const client = await new TestClient(p.ctx.app).login('s3-reviewer', 'a long test password');
    const items = await p.ctx.pool.query<{ id: string; sha256: string }>(
      'select id, sha256 from evidence_items where violation_id = $1',
      [violation.id],
    );
    for (const item of items.rows) {
      const res = await client.request('GET', `/api/evidence/${item.id}`);
      expect(res.statusCode).toBe(200);
      expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(item.sha256);
    }

    // With the server away the same request is a clear 503, not a 500 or a 404.
    await server.stop();
    try {
      const res = await client.request('GET', `/api/evidence/${items.rows[0]!.id}`);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'storage_unavailable' });
    } finally {
      await server.start();
    }
  }, 180_000);

  it('loses nothing and records nothing twice when the S3 server is killed mid-run and started again', async () => {
    expect(framesOfAnUndisturbedRun).toBeGreaterThan(0);
    const cameraId = await p.addFileCamera('东方路 草坪 S3-2');
    await p.waitFor('a few frames detected', async () => (await p.detectedCount(cameraId)) >= 3);
    const retriesBefore = p.intake.storeRetries;
    await server.stop();
    try {
      // The ingest is now holding a frame it cannot store, and retrying.
      await p.waitFor(
        'the ingest to retry a frame write',
        async () => p.intake.storeRetries >= retriesBefore + 2,
      );
      const whileAway = await p.frameCount(cameraId);
      await p.waitFor('two more retries', async () => p.intake.storeRetries >= retriesBefore + 4);
      // Nothing is recorded for a frame that is not stored.
      expect(await p.frameCount(cameraId)).toBe(whileAway);
    } finally {
      await server.start();
    }
    await p.waitUntilSettled(cameraId);
    await p.checkOneReviewTask(cameraId, true);

    // Nothing lost: the replay gave every frame of the scene, as in the undisturbed run, each stored and hashed.
    const rows = await frameRows(cameraId);
    expect(rows).toHaveLength(framesOfAnUndisturbedRun);
    expect(rows.filter((f) => f.status === 'failed')).toEqual([]);
    await expectEveryFrameStored(cameraId);
    // Nothing twice: one row per capture, one evidence set (checked above), no duplicate sequence numbers.
    expect(new Set(rows.map((f) => f.seq)).size).toBe(rows.length);
  }, 240_000);
});
