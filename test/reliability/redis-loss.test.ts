import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../../src/shared/redis.js';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { freePort, PrivateRedis, ProjectProcess, waitFor } from '../support/processes.js';
import { createTestContext, type TestContext } from '../support/test-app.js';

/*
 * Redis restarts and comes back empty (no persistence) under the running notify and rules workers. Before: the
 * case sweep and frame retention schedulers, registered once at start, were gone until someone restarted the
 * workers (filed cases got no advance notice), and the outage printed raw multi-line stack traces. Now both
 * schedulers come back on reconnect, the sweep issues the notice of a case filed after the restart, and every
 * line the workers write is JSON.
 */

let ctx: TestContext;
let redis: PrivateRedis;
const workers: ProjectProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  redis = await new PrivateRedis(await freePort()).start();
});
afterAll(async () => {
  for (const w of workers) await w.kill9();
  await redis.kill();
  await ctx.close();
});

const logs = () => workers.map((w) => w.output).join('\n');

describe('Redis losing its data under running workers', () => {
  it('the case sweep, frame retention and alert sweep are scheduled again, and the logs stay JSON', async () => {
    const prefix = ctx.queues.prefix;
    const env = {
      DATABASE_URL: ctx.db.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      DATA_DIR: ctx.config.dataDir,
      CASE_SWEEP_INTERVAL_S: '1',
      FRAME_RETENTION_EVERY_SECONDS: '10',
    };
    workers.push(new ProjectProcess('workers/notify.worker.ts', env));
    workers.push(new ProjectProcess('workers/rules.worker.ts', env));

    const client = createRedis(redis.url, 'worker');
    const sweepQueue = new Queue('case-sweep', { connection: client, prefix });
    const retentionQueue = new Queue('frame-retention', { connection: client, prefix });
    const alertQueue = new Queue('alert-sweep', { connection: client, prefix });
    alertQueue.on('error', () => undefined);
    sweepQueue.on('error', () => undefined);
    retentionQueue.on('error', () => undefined);
    const scheduled = async () => {
      for (const w of workers) if (!w.running) throw new Error(`a worker exited: ${logs().slice(-3000)}`);
      return Boolean(
        (await sweepQueue.getJobScheduler('case-sweep-every').catch(() => null)) &&
        (await retentionQueue.getJobScheduler('frame-retention-every').catch(() => null)) &&
        (await alertQueue.getJobScheduler('alert-sweep-every').catch(() => null)),
      );
    };
    try {
      await waitFor('both schedulers at start', scheduled, 90_000, logs);
      const seed = await seedPudong(ctx);
      const before = await fileCase(ctx, seed, (await seedCaseParty(ctx, { phone: null })).id);
      await waitFor(
        'the sweep to issue a notice before the restart',
        async () => hasNotice(before),
        60_000,
        logs,
      );

      await redis.kill();
      await redis.start();

      await waitFor('both schedulers again after the restart', scheduled, 60_000, logs);
      const after = await fileCase(ctx, seed, (await seedCaseParty(ctx, { phone: null })).id);
      await waitFor(
        'the sweep to issue a notice after the restart',
        async () => hasNotice(after),
        60_000,
        logs,
      );
      await waitFor(
        'frame retention to run after the restart',
        async () => ((await retentionQueue.getJobCounts('completed')).completed ?? 0) > 0,
        60_000,
        logs,
      );

      for (const w of workers) expect(w.running).toBe(true);
      for (const w of workers) expect(w.nonJsonLines()).toEqual([]);
    } finally {
      await sweepQueue.close();
      await retentionQueue.close();
      await alertQueue.close();
      client.disconnect();
    }
  }, 300_000);
});

async function hasNotice(caseId: string): Promise<boolean> {
  const { rowCount } = await ctx.pool.query(
    `select 1 from notices where case_id = $1 and kind = 'advance_notice'`,
    [caseId],
  );
  return rowCount === 1;
}
