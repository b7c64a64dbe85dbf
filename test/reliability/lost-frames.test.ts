import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requeueLostFrames } from '../../src/detect/lost-frames.service.js';
import { readQueueInstanceId } from '../../src/queue/queue-instance.repo.js';
import { Queues } from '../../src/queue/queues.js';
import { createLogger } from '../../src/shared/logger.js';
import { createRedis } from '../../src/shared/redis.js';
import { seedPudong } from '../support/case-fixtures.js';
import { seedCamera } from '../support/seed-violations.js';
import { freePort, PrivateRedis, waitFor } from '../support/processes.js';
import { createTestContext, type TestContext } from '../support/test-app.js';

/*
 * Redis comes back without its data while frames wait for detection. Before: their jobs were gone for good, the
 * rules waited out the gap timeout and passed over every one of them as lost, and the last detected frame of a
 * camera that stopped was never judged. Now the rules worker's sweep enqueues the detection of such frames again,
 * well within the gap timeout, and a rules job for a camera whose detected frames have none; frames the rules have
 * already passed over, and frames whose job is still there, are left alone.
 */

let ctx: TestContext;
let redis: PrivateRedis;
const logger = createLogger('silent', 'test');

beforeAll(async () => {
  ctx = await createTestContext();
  redis = await new PrivateRedis(await freePort()).start();
});
afterAll(async () => {
  await redis.kill();
  await ctx.close();
});

async function queuedFrame(cameraId: string, seq: number): Promise<number> {
  const { rows } = await ctx.pool.query<{ id: number }>(
    `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version, created_at)
     values ($1, $2, now(), $3, $4, 640, 480, 1000, 1, now() - interval '60 seconds') returning id`,
    [cameraId, seq, 'a'.repeat(64), `frames/${cameraId}/${seq}.jpg`],
  );
  return rows[0]!.id;
}

describe('frames waiting when Redis loses its data', () => {
  it('get their detection or rules job again, once', async () => {
    const { cameraId } = await seedPudong(ctx);
    const judged = await seedCamera(ctx.pool, 'pudong');
    await ctx.pool.query(`insert into camera_rule_state (camera_id, last_seq, state) values ($1, 5, '{}')`, [
      judged,
    ]);
    const waiting = await queuedFrame(cameraId, 1);
    const passedOver = await queuedFrame(judged, 3);

    const connection = createRedis(redis.url, 'worker');
    const queues = new Queues(connection, ctx.queues.prefix, {
      instance: () => readQueueInstanceId(ctx.pool),
    });
    try {
      const payload = (id: number, camera: string, seq: number) => ({
        frameId: id,
        cameraId: camera,
        seq,
        storageKey: `frames/${camera}/${seq}.jpg`,
        sha256: 'a'.repeat(64),
      });
      await queues.enqueue('detect', payload(waiting, cameraId, 1), { jobId: `frame-${waiting}` });
      // With the job in Redis there is nothing to do.
      expect(await requeueLostFrames({ pool: ctx.pool, queues, logger }, { olderThanSeconds: 30 })).toBe(0);

      await redis.kill();
      await redis.start();
      await waitFor('the connection to come back', async () => {
        try {
          return (await connection.ping()) === 'PONG';
        } catch {
          return false;
        }
      });
      expect(await queues.job('detect', `frame-${waiting}`)).toBeUndefined();

      expect(await requeueLostFrames({ pool: ctx.pool, queues, logger }, { olderThanSeconds: 30 })).toBe(1);
      const job = await queues.job('detect', `frame-${waiting}`);
      expect(job?.data).toEqual(payload(waiting, cameraId, 1));
      expect(await job?.getState()).toBe('waiting');
      expect(await queues.job('detect', `frame-${passedOver}`)).toBeUndefined();
      expect(await requeueLostFrames({ pool: ctx.pool, queues, logger }, { olderThanSeconds: 30 })).toBe(0);

      // A detected frame the rules have not judged, whose rules job Redis lost, gets one; one job is enough.
      const detected = await queuedFrame(judged, 6);
      await ctx.pool.query(`update frames set status = 'detected' where id = $1`, [detected]);
      expect(await requeueLostFrames({ pool: ctx.pool, queues, logger }, { olderThanSeconds: 30 })).toBe(1);
      const rules = await queues.queue('rules').getJobs(['waiting']);
      expect(rules.map((j) => j.data)).toEqual([{ frameId: detected, cameraId: judged, seq: 6 }]);
      expect(await requeueLostFrames({ pool: ctx.pool, queues, logger }, { olderThanSeconds: 30 })).toBe(0);
    } finally {
      await queues.close();
      connection.disconnect();
    }
  }, 60_000);
});
