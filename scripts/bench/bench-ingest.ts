import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../../src/ingest/ingest-supervisor.js';
import { fetchSnapshot } from '../../src/ingest/snapshot.source.js';
import { Queues } from '../../src/queue/queues.js';
import { createLogger } from '../../src/shared/logger.js';
import { REPO_ROOT, SHARED_DIR } from '../../src/shared/paths.js';
import { createRedis } from '../../src/shared/redis.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { benchDatabase, fmt } from './bench-db.js';

/**
 * Ingest throughput and cost from N simulated snapshot cameras (a local HTTP server serving real street frames).
 *   baseline: fetch + validate only (what any ingest must do);
 *   intake:   fetch + validate + content-addressed store + frame row + detection enqueue with backpressure;
 *   paced:    the real ingest supervisor with N cameras at one frame per second each.
 * CPU per frame is this process's user+system time divided by frames (Postgres and Redis time is not in it).
 */
const { values } = parseArgs({
  options: { cameras: { type: 'string', default: '20' }, seconds: { type: 'string', default: '8' } },
});
const N = Number(values.cameras);
const SECONDS = Number(values.seconds);
const run = promisify(execFile);

async function realFrames(): Promise<Buffer[]> {
  const video = [
    path.join(REPO_ROOT, 'fixtures/video/vtest.avi'),
    path.join(SHARED_DIR, 'fixtures/video/vtest.avi'),
  ];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-ingest-'));
  let source = '';
  for (const v of video)
    if (
      await readFile(v).then(
        () => true,
        () => false,
      )
    )
      source = v;
  if (!source) throw new Error('vtest.avi missing: run `npm run assets`');
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    source,
    '-vf',
    'fps=2',
    '-frames:v',
    '40',
    '-q:v',
    '3',
    path.join(dir, 'f%03d.jpg'),
  ]);
  const files = (await readdir(dir)).sort();
  const out = await Promise.all(files.map((f) => readFile(path.join(dir, f))));
  await rm(dir, { recursive: true, force: true });
  return out;
}

async function measure(
  label: string,
  loop: (cam: number, stop: () => boolean) => Promise<number>,
): Promise<{ fps: number; cpuMs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  const counts = await Promise.all(
    Array.from({ length: N }, (_, i) => loop(i, () => performance.now() > deadline)),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const frames = counts.reduce((a, b) => a + b, 0);
  const result = { fps: frames / wall, cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(frames, 1) };
  console.log(
    `${label.padEnd(10)} ${String(frames).padStart(6)} frames  ${fmt(result.fps).padStart(7)} frames/s  ${fmt(result.cpuMs, 2).padStart(6)} ms CPU/frame`,
  );
  return result;
}

const frames = await realFrames();
let served = 0;
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'image/jpeg' });
  res.end(frames[served++ % frames.length]);
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/snapshot.jpg`;
const policy = accessPolicyFromEnv({ CAMERA_ALLOW_LOOPBACK: 'true' });

const db = await benchDatabase('enf_bench_ingest');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-ingest-data-'));
const redis = createRedis('redis://127.0.0.1:6379', 'worker');
const prefix = `bench_${process.pid}`;
const queues = new Queues(redis, prefix);
const logger = createLogger('silent', 'bench');
await db.pool.query(`insert into districts (id, name, case_prefix) values ('pudong', 'Pudong', 'PD')`);
const cameraIds: string[] = [];
for (let i = 0; i < N; i++) {
  const { rows } = await db.pool.query(
    `insert into cameras (district_id, name, source, sample_interval_s, enabled) values ('pudong', $1, $2, 1, false) returning id`,
    [`bench-${i}`, JSON.stringify({ kind: 'snapshot', url })],
  );
  cameraIds.push(rows[0].id);
}
const intake = new FrameIntake({
  pool: db.pool,
  frames: new FrameStore(new FsBlobStore(dataDir)),
  queues,
  redis,
  logger,
});

console.log(
  `ingest benchmark: ${N} snapshot cameras, ${SECONDS} s per phase, ${frames.length} real 768x576 frames (~${Math.round(frames[0]!.length / 1024)} KiB)`,
);
const base = await measure('baseline', async (_i, stop) => {
  let n = 0;
  while (!stop()) {
    await fetchSnapshot(url, { policy });
    n++;
  }
  return n;
});
const full = await measure('intake', async (i, stop) => {
  let n = 0;
  while (!stop()) {
    await intake.intake({ id: cameraIds[i]!, version: 1 }, await fetchSnapshot(url, { policy }));
    n++;
  }
  return n;
});
console.log(
  `intake/baseline: throughput ${fmt(full.fps / base.fps, 2)}x, CPU per frame ${fmt(full.cpuMs / base.cpuMs, 2)}x`,
);

await db.pool.query('update cameras set enabled = true');
const before = Number((await db.pool.query('select count(*) from frames')).rows[0].count);
const supervisor = new IngestSupervisor({
  pool: db.pool,
  redis,
  prefix,
  intake,
  policy,
  logger,
  reconcileMs: 500,
});
const cpu0 = process.cpuUsage();
supervisor.start();
await new Promise((r) => setTimeout(r, SECONDS * 1000));
await supervisor.stop();
const cpu = process.cpuUsage(cpu0);
const paced = Number((await db.pool.query('select count(*) from frames')).rows[0].count) - before;
const waiting = await queues.queue('detect').getWaitingCount();
console.log(
  `paced      ${String(paced).padStart(6)} frames  ${fmt(paced / SECONDS).padStart(7)} frames/s (target ${N}/s)  ${fmt((cpu.user + cpu.system) / 1000 / Math.max(paced, 1), 2)} ms CPU/frame; detect queue waiting ${waiting} (<= ${N} cameras)`,
);

server.close();
await queues.queue('detect').obliterate({ force: true });
await queues.close();
redis.disconnect();
await db.drop();
await rm(dataDir, { recursive: true, force: true });
