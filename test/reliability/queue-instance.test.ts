import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimQueuePrefix, QueueInstanceError } from '../../src/queue/queue-instance.js';
import { readQueueInstanceId } from '../../src/queue/queue-instance.repo.js';
import { Queues } from '../../src/queue/queues.js';
import { WorkerHost } from '../../src/queue/worker-host.js';
import { createLogger } from '../../src/shared/logger.js';
import { createRedis } from '../../src/shared/redis.js';
import { ProjectProcess, waitFor } from '../support/processes.js';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from '../support/test-db.js';

/*
 * Two databases, one Redis and one queue prefix: the demo run again on a fresh database, a restored copy, or two
 * deployments configured alike. Before: job ids were built from database serials alone, so the second database's
 * `rules-1` was taken for the first one's finished job and never ran (the rules stage passed over every frame),
 * and nothing told the operator. Now job ids carry the database's instance id, and a worker of the second
 * database finds the prefix claimed by the first, says so and stops (exit 78).
 */

const logger = createLogger('silent', 'test');
const prefix = uniqueQueuePrefix();
const connection = createRedis('redis://127.0.0.1:6379', 'worker');
let first: TestDatabase;
let second: TestDatabase;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  const keys = await connection.keys(`${prefix}:*`);
  if (keys.length) await connection.del(...keys);
  connection.disconnect();
  await Promise.all([first.drop(), second.drop()]);
});

describe('queue instance', () => {
  it('gives each database its own id, the same on every read', async () => {
    const a = await readQueueInstanceId(first.pool);
    expect(a).toMatch(/^[0-9a-f]{13,}$/);
    expect(await readQueueInstanceId(first.pool)).toBe(a);
    // Cloned from the same template (as a restored dump is), the second database still has an id of its own.
    expect(await readQueueInstanceId(second.pool)).not.toBe(a);
  });

  it("runs the second database's job although the first's job of the same id is kept", async () => {
    const ran: string[] = [];
    const host = new WorkerHost({
      connection,
      prefix,
      logger,
      serves: ['rules'],
      handlers: { rules: { handle: async (p) => void ran.push(p.cameraId) } },
    });
    host.start();
    await host.waitUntilReady();
    const a = new Queues(connection, prefix, { instance: () => readQueueInstanceId(first.pool) });
    const b = new Queues(connection, prefix, { instance: () => readQueueInstanceId(second.pool) });
    try {
      await a.enqueue('rules', { frameId: 1, cameraId: 'first', seq: 1 }, { jobId: 'rules-1' });
      await waitFor('the first job', () => ran.includes('first'));
      expect(await (await a.job('rules', 'rules-1'))?.getState()).toBe('completed');
      await b.enqueue('rules', { frameId: 1, cameraId: 'second', seq: 1 }, { jobId: 'rules-1' });
      await waitFor('the second job', () => ran.includes('second'), 20_000);
      expect(ran).toEqual(['first', 'second']);
    } finally {
      await host.stop();
      await a.close();
      await b.close();
    }
  });

  it('claims the prefix for one instance and names the holder to another', async () => {
    const own = uniqueQueuePrefix();
    const a = await readQueueInstanceId(first.pool);
    const b = await readQueueInstanceId(second.pool);
    try {
      await claimQueuePrefix(connection, own, a);
      await claimQueuePrefix(connection, own, a);
      const refused = await claimQueuePrefix(connection, own, b).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(QueueInstanceError);
      expect((refused as QueueInstanceError).holder).toBe(a);
    } finally {
      await connection.del(`${own}:instance`);
    }
  });

  it('a worker of another database says so and stops with exit 78', async () => {
    const a = await readQueueInstanceId(first.pool);
    await claimQueuePrefix(connection, prefix, a);
    const worker = new ProjectProcess('workers/notify.worker.ts', {
      DATABASE_URL: second.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: prefix,
    });
    try {
      const code = await Promise.race([
        worker.exited,
        new Promise<'running'>((r) => setTimeout(() => r('running'), 90_000)),
      ]);
      expect(code).toBe(78);
      const fatal = worker.output
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; msg: string; holder?: string })
        .find((l) => l.level === 60);
      expect(fatal?.msg).toMatch(/another instance/);
      expect(fatal?.holder).toBe(a);
      expect(worker.nonJsonLines()).toEqual([]);
    } finally {
      await worker.kill9();
    }
  }, 120_000);
});
