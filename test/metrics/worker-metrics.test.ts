import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import { createLogger } from '../../src/shared/logger.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { readFrame } from '../support/frames.js';
import { seedCamera } from '../support/seed-violations.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';
import { parseExposition, sumOf, valueOf, type Sample } from '../support/prometheus-text.js';

/*
 * The detect worker as deployed (its own process, YOLOX-Nano on onnxruntime) serves /metrics on a port of its
 * own; real frames taken from the queue move its counters and its inference histogram.
 */

let ctx: TestContext;
let worker: ChildProcess | null = null;
let output = '';
let metricsUrl = '';

async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  ms = 90_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    if (worker?.exitCode !== null && worker?.exitCode !== undefined)
      throw new Error(`detect worker exited with ${worker.exitCode}: ${output.slice(-2000)}`);
    const got = await check();
    if (got !== undefined && got !== false) return got;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; the worker said: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function scrape(): Promise<Sample[]> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  worker = spawn(process.execPath, ['--import', 'tsx', 'workers/detect.worker.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: ctx.db.url,
      REDIS_URL: ctx.config.redisUrl,
      QUEUE_PREFIX: ctx.queues.prefix,
      DATA_DIR: ctx.config.dataDir,
      DETECT_THREADS: '1',
      DETECT_METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await waitFor(
    'the metrics port in the log',
    async () => /"metricsPort":(\d+)/.exec(output)?.[1],
  );
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  await waitFor(
    'the worker to take jobs',
    async () => (await ctx.queues.queue('detect').getWorkersCount()) > 0,
  );
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = once(worker, 'exit');
    worker.kill('SIGKILL');
    await exited;
  }
  await ctx?.close();
});

describe('a worker serves its metrics on a port of its own', () => {
  it('counts frames in, out and dropped, times inference and jobs, and reports its queue', async () => {
    const before = await scrape();
    expect(sumOf(before, 'enforcement_stage_frames_in_total', { stage: 'detect' })).toBe(0);
    expect(before.every((s) => s.labels.process === 'detect-worker')).toBe(true);
    expect(valueOf(before, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);

    const intake = new FrameIntake({
      pool: ctx.pool,
      frames: new FrameStore(ctx.blobs),
      queues: ctx.queues,
      redis: ctx.redis,
      logger: createLogger('silent', 'test'),
    });
    const street = await readFrame('vtest-f200.jpg');
    const cars = await readFrame('car-detection-f101.jpg');
    const frame = (bytes: Buffer) => ({
      bytes,
      width: 768,
      height: 576,
      capturedAt: new Date(),
      receivedAt: new Date(),
      clock: 'host' as const,
      sourceInfo: { kind: 'snapshot' as const, origin: 'test' },
    });
    // three cameras, so no frame replaces another: two real scenes and one frame cut off halfway
    for (const bytes of [street, cars, street.subarray(0, Math.floor(street.length / 2))]) {
      await intake.intake({ id: await seedCamera(ctx.pool, 'pudong'), version: 1 }, frame(bytes));
    }

    // the job times are recorded last, once each handler has returned
    const after = await waitFor('three detect jobs in the metrics', async () => {
      const samples = await scrape();
      return sumOf(samples, 'enforcement_job_run_seconds_count', { queue: 'detect' }) >= 3
        ? samples
        : undefined;
    });
    expect(valueOf(after, 'enforcement_stage_frames_in_total', { stage: 'detect' })).toBe(3);
    expect(valueOf(after, 'enforcement_stage_frames_out_total', { stage: 'detect' })).toBe(2);
    expect(
      valueOf(after, 'enforcement_stage_frames_dropped_total', { stage: 'detect', reason: 'undecodable' }),
    ).toBe(1);
    expect(valueOf(after, 'enforcement_detect_inference_seconds_count', { model: 'yolox-nano' })).toBe(2);
    expect(
      valueOf(after, 'enforcement_detect_inference_seconds_sum', { model: 'yolox-nano' }),
    ).toBeGreaterThan(0);
    expect(valueOf(after, 'enforcement_detect_phase_seconds_count', { phase: 'decode' })).toBe(2);
    expect(
      valueOf(after, 'enforcement_job_run_seconds_count', { queue: 'detect', outcome: 'completed' }),
    ).toBe(3);
    expect(valueOf(after, 'enforcement_job_wait_seconds_count', { queue: 'detect' })).toBe(3);
    expect(valueOf(after, 'enforcement_queue_jobs', { queue: 'detect', state: 'waiting' })).toBe(0);
    expect(valueOf(after, 'enforcement_queue_jobs', { queue: 'detect', state: 'active' })).toBe(0);
    // the detections are really there: the counters follow the work
    const { rows } = await ctx.pool.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from frames group by status order by status',
    );
    expect(rows).toEqual([
      { status: 'detected', n: 2 },
      { status: 'failed', n: 1 },
    ]);
  });

  it('answers 404 off /metrics, and stops with the worker on SIGTERM', async () => {
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
    const exited = once(worker!, 'exit');
    worker!.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });
});
