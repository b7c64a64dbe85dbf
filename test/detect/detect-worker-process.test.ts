import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../../scripts/assets.js';
import { FREE_METRICS_PORTS } from '../support/processes.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';

/*
 * The detect worker as deployed (its own process, `node --import tsx workers/detect.worker.ts`), stopped on
 * purpose and crashed: it must exit 0 after an orderly stop with an inference in progress, exit non-zero when
 * its inference host dies, and in both cases leave every frame to be detected by the next worker.
 */

let ctx: TestContext;
let store: FrameStore;
let cameraId: string;
let seq = 0;
const running = new Set<ChildProcess>();

interface Worker {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

function startDetectWorker(env: Record<string, string> = {}): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/detect.worker.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...FREE_METRICS_PORTS,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: ctx.db.url,
      REDIS_URL: ctx.config.redisUrl,
      QUEUE_PREFIX: ctx.queues.prefix,
      DATA_DIR: ctx.config.dataDir,
      DETECT_THREADS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  running.add(child);
  const exited = once(child, 'exit').then(([code]) => {
    running.delete(child);
    return code as number | null;
  });
  return { child, log: () => log, exited };
}

async function waitFor(what: string, check: () => Promise<boolean>, worker?: Worker): Promise<void> {
  const end = Date.now() + 90_000;
  while (!(await check())) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; worker said: ${worker?.log().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stores frames and queues them for detection, as the ingest stage does. */
async function queueFrames(n: number): Promise<number[]> {
  const names = ['vtest-f200.jpg', 'car-detection-f101.jpg', 'car-detection-f233.jpg'];
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const bytes = await readFile(path.join(REPO_ROOT, 'fixtures/frames', names[i % names.length]!));
    const stored = await store.put(bytes);
    seq++;
    const { rows } = await ctx.pool.query<{ id: number }>(
      `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version)
       values ($1, $2, now(), $3, $4, 768, 576, $5, 1) returning id`,
      [cameraId, seq, stored.sha256, stored.key, bytes.length],
    );
    const frameId = rows[0]!.id;
    await ctx.queues.enqueue(
      'detect',
      { frameId, cameraId, seq, storageKey: stored.key, sha256: stored.sha256 },
      { jobId: `frame-${frameId}` },
    );
    ids.push(frameId);
  }
  return ids;
}

async function detected(frameIds: number[]): Promise<number> {
  const { rows } = await ctx.pool.query<{ n: number }>(
    'select count(*)::int as n from detections where frame_id = any($1::bigint[])',
    [frameIds],
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  await ensureAssets({ only: ['yolox-nano'] });
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  const { rows } = await ctx.pool.query<{ id: string }>(
    `insert into cameras (district_id, name, source)
     values ('pudong', 'street', '{"kind":"snapshot","url":"http://10.0.0.2/s.jpg"}') returning id`,
  );
  cameraId = rows[0]!.id;
  await ctx.pool.query(
    `insert into camera_versions (camera_id, version, config) values ($1, 1, '{"camera": {}, "zones": []}')`,
    [cameraId],
  );
  store = new FrameStore(ctx.blobs);
}, 60_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await ctx?.close();
});

describe('the detect worker process', () => {
  it('on SIGTERM finishes the inference in progress and exits 0; the frames it did not take wait for the next worker', async () => {
    // Each inference holds its thread 1.5 s, so the worker is inside a run for most of its life.
    const worker = startDetectWorker({ DETECT_FAULT_HOLD_RUN_MS: '1500', DETECT_CONCURRENCY: '3' });
    const frames = await queueFrames(6);
    await waitFor('the first frame detected', async () => (await detected(frames)) >= 1, worker);
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    expect(code, worker.log()).toBe(0);
    expect(worker.log()).toContain('"msg":"stopped"');
    expect(worker.log()).not.toMatch(/terminate called|Napi::Error/);

    // Nothing failed and nothing is held: each frame is detected or still waits in the queue.
    const queue = ctx.queues.queue('detect');
    const counts = await queue.getJobCounts('waiting', 'active', 'failed', 'delayed');
    expect(counts.failed).toBe(0);
    expect(counts.active).toBe(0);
    expect((await detected(frames)) + counts.waiting + counts.delayed).toBe(frames.length);

    const next = startDetectWorker();
    await waitFor(
      'every frame detected by the next worker',
      async () => (await detected(frames)) === 6,
      next,
    );
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 180_000);

  it('exits non-zero when its inference host dies, and a restarted worker detects every frame', async () => {
    // The inference thread ends after three runs (the warm-up and two frames), as a crashed host would.
    const worker = startDetectWorker({ DETECT_FAULT_EXIT_AFTER_RUNS: '3', DETECT_CONCURRENCY: '3' });
    const frames = await queueFrames(6);
    const code = await worker.exited;
    expect(code, worker.log()).toBe(1);
    expect(worker.log()).toContain('inference session lost');
    expect(worker.log()).not.toMatch(/terminate called|Napi::Error/);
    expect(await detected(frames)).toBeLessThan(frames.length);

    // The supervisor's part: start a fresh worker. The jobs the dead one held come back to it (retried).
    const next = startDetectWorker();
    await waitFor('every frame detected after the restart', async () => (await detected(frames)) === 6, next);
    expect((await ctx.queues.queue('detect').getJobCounts('failed')).failed).toBe(0);
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 180_000);

  it('on a second signal exits at once without aborting, even with an inference in progress', async () => {
    // A plain process.exit() during an onnxruntime run aborts the process (status 134); the worker first lets
    // the run in progress end and refuses the waiting ones.
    const worker = startDetectWorker({ DETECT_FAULT_HOLD_RUN_MS: '1500', DETECT_CONCURRENCY: '3' });
    const frames = await queueFrames(6);
    await waitFor('the first frame detected', async () => (await detected(frames)) >= 1, worker);
    worker.child.kill('SIGTERM');
    await waitFor('the stop to begin', async () => worker.log().includes('finishing jobs in hand'), worker);
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    expect(code, worker.log()).toBe(130);
    expect(worker.log()).toContain('second signal');
    expect(worker.log()).not.toMatch(/terminate called|Napi::Error/);

    // The jobs it held come back once their locks expire or their retry is due; a fresh worker finishes them.
    const next = startDetectWorker();
    await waitFor(
      'every frame detected by the next worker',
      async () => (await detected(frames)) === 6,
      next,
    );
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 240_000);
});
