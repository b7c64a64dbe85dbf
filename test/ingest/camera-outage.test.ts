import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../../src/ingest/ingest-supervisor.js';
import { createLogger } from '../../src/shared/logger.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';

/**
 * A camera that goes away and comes back: the ingest worker records the outage on the camera (count, gap) once its
 * frames resume, through the real supervisor, intake, Postgres and Redis.
 */
let ctx: TestContext;
let frames: TestFrames;
let server: http.Server;
let supervisor: IngestSupervisor | undefined;
let down = false;
let served = 0;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  frames = await extractTestFrames(4);
  server = http.createServer((_req, res) => {
    if (down) {
      res.writeHead(503).end('rebooting');
      return;
    }
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(frames.jpegs[served++ % frames.jpegs.length]);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
});

afterAll(async () => {
  await supervisor?.stop();
  server.close();
  await frames.cleanup();
  await ctx.close();
});

async function waitFor(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('camera outages', () => {
  it('counts the gap on the camera when its frames resume', async () => {
    const port = (server.address() as AddressInfo).port;
    const source = {
      kind: 'snapshot',
      url: `http://127.0.0.1:${port}/snap.jpg`,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
    };
    const { rows } = await ctx.pool.query<{ id: string }>(
      `insert into cameras (district_id, name, source, sample_interval_s) values ('pudong', 'gate', $1, 1) returning id`,
      [JSON.stringify(source)],
    );
    const cameraId = rows[0]!.id;
    const health = async () =>
      (
        await ctx.pool.query<{
          frames_total: string | null;
          errors_total: string | null;
          outages_total: number | null;
          outage_ms_total: string | null;
          last_outage_ms: string | null;
        }>(
          'select frames_total, errors_total, outages_total, outage_ms_total, last_outage_ms from camera_health where camera_id = $1',
          [cameraId],
        )
      ).rows[0];

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
      policy: accessPolicyFromEnv({ CAMERA_ALLOW_LOOPBACK: 'true' }),
      logger,
      reconcileMs: 300,
    });
    supervisor.start();

    await waitFor(async () => Number((await health())?.frames_total ?? 0) >= 2);
    expect((await health())!.outages_total).toBe(0);

    down = true;
    await waitFor(async () => Number((await health())?.errors_total ?? 0) >= 2);
    // The last frame before the outage came before its first error, so before this moment.
    const surelyDownAt = Date.now();
    const framesWhileDown = Number((await health())!.frames_total);
    await waitFor(async () => Number((await health())?.errors_total ?? 0) >= 4);
    down = false;
    const upAt = Date.now();

    // The outage is recorded as the first frame after it is taken in.
    await waitFor(async () => {
      const now = await health();
      return now?.outages_total === 1 && Number(now.frames_total) > framesWhileDown;
    });
    const after = (await health())!;
    // The gap runs from the last frame before the camera went away to the first after it came back.
    expect(Number(after.last_outage_ms)).toBeGreaterThanOrEqual(upAt - surelyDownAt);
    expect(Number(after.outage_ms_total)).toBe(Number(after.last_outage_ms));
  });
});
