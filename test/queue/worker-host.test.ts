import type { Job } from 'bullmq';
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

/** Polls a job's state: the handler runs in this process, but the state lives in Redis. */
async function waitForState(job: Job, state: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (let now = await job.getState(); now !== state; now = await job.getState()) {
    if (Date.now() > end) throw new Error(`job ${job.id} is still ${now} after ${ms} ms, not ${state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
    // Both adds are done before any worker runs: whatever the queue holds now is all there will be.
    expect(await queues.queue('rules').getJobCounts('waiting', 'active', 'delayed')).toMatchObject({
      waiting: 1,
      active: 0,
      delayed: 0,
    });
    const job = await queues.queue('rules').getJob('rules-c-7');
    host.start();
    await host.waitUntilReady();
    await waitForState(job!, 'completed');
    await host.stop();
    expect(seen).toEqual([7]);
    expect(await queues.queue('rules').getJobCounts('waiting', 'active', 'completed')).toMatchObject({
      waiting: 0,
      active: 0,
      completed: 1,
    });
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
