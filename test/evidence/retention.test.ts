import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepFrames } from '../../src/evidence/frame-retention.service.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
import { seedViolationForReview } from '../support/seed-violations.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';
import { addFrame, eligibleCamera, silent, umbrella } from '../support/rules-fixtures.js';

let ctx: TestContext;
let jpegs: TestFrames;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  jpegs = await extractTestFrames(7);
});

afterAll(async () => {
  await jpegs?.cleanup();
  await ctx?.close();
});

describe('frame retention', () => {
  it('deletes old frames that are not evidence, not latest and not in flight, and blobs no row needs', async () => {
    const cameraId = await eligibleCamera(ctx.pool, 'pudong');
    const j = jpegs.jpegs;
    // seq: [jpeg, detections?, status]
    const plan: [number, Buffer, boolean, 'detected' | 'queued' | 'dropped'][] = [
      [1, j[0]!, true, 'detected'], // old, applied: goes
      [2, j[1]!, true, 'detected'], // old, evidence copied into a package: row stays, frame blob goes
      [3, j[2]!, true, 'detected'], // recent: stays
      [4, j[2]!, false, 'dropped'], // old, dropped: goes, but its bytes are also frame 3's
      [5, j[3]!, true, 'detected'], // old, the camera's latest frame: stays
      [6, j[4]!, false, 'queued'], // old, still waiting for detection: stays
      [7, j[5]!, true, 'detected'], // old, detected but not yet applied by the rules: stays
      [8, j[6]!, true, 'detected'], // old, proof of a candidate not yet packaged: stays with its blob
    ];
    const ids = new Map<number, number>();
    for (const [seq, jpeg, detected, status] of plan) {
      ids.set(
        seq,
        await addFrame(ctx, cameraId, 1, {
          seq,
          at: seq * 5,
          jpeg,
          detections: detected ? [umbrella()] : null,
          status,
        }),
      );
    }
    await ctx.pool.query(`insert into camera_rule_state (camera_id, last_seq, state) values ($1, 6, '{}')`, [
      cameraId,
    ]);
    const frameRows = await ctx.pool.query(
      'select seq, sha256, storage_key from frames where camera_id = $1',
      [cameraId],
    );
    const bySeq = new Map(
      frameRows.rows.map((r) => [r.seq as number, r as { sha256: string; storage_key: string }]),
    );
    await ctx.pool.query(`insert into camera_health (camera_id, latest_frame_sha256) values ($1, $2)`, [
      cameraId,
      bySeq.get(5)!.sha256,
    ]);
    await ctx.pool.query('update frames set evidence = true where camera_id = $1 and seq in (2, 8)', [
      cameraId,
    ]);
    const { violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId,
    });
    await ctx.blobs.put(`evidence/${violationId}/original-2.jpg`, j[1]!, { ifNotExists: true });
    await ctx.pool.query(
      `insert into evidence_items (violation_id, kind, frame_id, storage_key, sha256, content_type, byte_size)
       values ($1, 'original', $2, $3, $4, 'image/jpeg', $5)`,
      [violationId, ids.get(2), `evidence/${violationId}/original-2.jpg`, bySeq.get(2)!.sha256, j[1]!.length],
    );
    // Everything but frame 3 was written two hours ago.
    const longAgo = new Date(Date.now() - 2 * 3_600_000);
    await ctx.pool.query(`update frames set created_at = $2 where camera_id = $1 and seq <> 3`, [
      cameraId,
      longAgo,
    ]);
    for (const [seq] of plan) {
      if (seq === 3 || seq === 4) continue;
      await utimes(
        path.join(path.resolve(ctx.config.dataDir), ...bySeq.get(seq)!.storage_key.split('/')),
        longAgo,
        longAgo,
      );
    }

    const frames = new FrameStore(ctx.blobs);
    const result = await sweepFrames({ pool: ctx.pool, frames, logger: silent }, { olderThanMinutes: 60 });
    expect(result.rowsDeleted).toBe(2);
    const left = await ctx.pool.query('select seq from frames where camera_id = $1 order by seq', [cameraId]);
    expect(left.rows.map((r) => r.seq)).toEqual([2, 3, 5, 6, 7, 8]);
    expect(await ctx.pool.query('select 1 from detections where frame_id = $1', [ids.get(1)])).toMatchObject({
      rowCount: 0,
    });

    const has = (seq: number) => frames.has(bySeq.get(seq)!.sha256);
    expect(await has(1)).toBe(false);
    expect(await has(2)).toBe(false);
    expect(await ctx.blobs.exists(`evidence/${violationId}/original-2.jpg`)).toBe(true);
    for (const seq of [3, 4, 5, 6, 7, 8]) expect(await has(seq), `frame ${seq}`).toBe(true);
    expect(result.blobs.deleted).toBe(2);

    // Running again finds nothing more to do.
    expect(
      (await sweepFrames({ pool: ctx.pool, frames, logger: silent }, { olderThanMinutes: 60 })).rowsDeleted,
    ).toBe(0);
    await expect(
      sweepFrames({ pool: ctx.pool, frames, logger: silent }, { olderThanMinutes: 0 }),
    ).rejects.toThrow(/positive number of minutes/);
  });
});
