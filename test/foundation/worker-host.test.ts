import { afterAll, describe, expect, it } from 'vitest';
import { Queues } from '../../src/queue/queues.js';
import { WorkerHost } from '../../src/queue/worker-host.js';
import { createLogger } from '../../src/shared/logger.js';
import { createRedis } from '../../src/shared/redis.js';
import { uniqueQueuePrefix } from '../support/test-db.js';

const prefix = uniqueQueuePrefix();
const connection = createRedis('redis://127.0.0.1:6379', 'worker');
const queues = new Queues(connection, prefix);
const logger = createLogger('silent', 'test');

afterAll(async () => {
  await queues.close();
  const keys = await connection.keys(`${prefix}:*`);
  if (keys.length) await connection.del(...keys);
  connection.disconnect();
});

describe('queues and worker host', () => {
  it('refuses to start when a served job has no handler', () => {
    expect(() => new WorkerHost({ connection, prefix, logger, handlers: {}, serves: ['detect'] })).toThrow(
      /no handler for job\(s\): detect/,
    );
  });

  it('a duplicate job id adds nothing twice', async () => {
    const seen: number[] = [];
    const host = new WorkerHost({
      connection,
      prefix,
      logger,
      serves: ['rules'],
      handlers: { rules: { handle: async (p) => void seen.push(p.seq) } },
    });
    await queues.enqueue('rules', { frameId: 1, cameraId: 'c', seq: 7 }, { jobId: 'rules-c-7' });
    await queues.enqueue('rules', { frameId: 1, cameraId: 'c', seq: 7 }, { jobId: 'rules-c-7' });
    host.start();
    await host.waitUntilReady();
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await host.stop();
    expect(seen).toEqual([7]);
  });

  it('a graceful stop finishes the job in hand before closing', async () => {
    let finished = false;
    let started!: () => void;
    const startedP = new Promise<void>((r) => (started = r));
    const host = new WorkerHost({
      connection,
      prefix,
      logger,
      serves: ['evidence'],
      handlers: {
        evidence: {
          handle: async () => {
            started();
            await new Promise((r) => setTimeout(r, 700));
            finished = true;
          },
        },
      },
    });
    host.start();
    await queues.enqueue('evidence', { cameraId: 'c', dedupeKey: 'k' }, { jobId: 'ev-1' });
    await startedP;
    await host.stop();
    expect(finished).toBe(true);
    const job = await queues.queue('evidence').getJob('ev-1');
    expect(await job?.getState()).toBe('completed');
  });

  it('refuses job ids that would collide with queue keys', async () => {
    await expect(
      queues.enqueue('rules', { frameId: 1, cameraId: 'c', seq: 1 }, { jobId: 'a:b' }),
    ).rejects.toThrow(/free of ':'/);
  });
});
