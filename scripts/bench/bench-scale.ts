import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { ensureDistrict } from '../../src/auth/district.repo.js';
import { insertStaffUser } from '../../src/auth/staff-user.repo.js';
import { registerCamera } from '../../src/cameras/camera-registration.service.js';
import { JOB_NAMES } from '../../src/queue/jobs.js';
import { Queues } from '../../src/queue/queues.js';
import { REPO_ROOT, SHARED_DIR } from '../../src/shared/paths.js';
import { createRedis } from '../../src/shared/redis.js';
import { benchDatabase, fmt } from './bench-db.js';

/**
 * How many cameras one machine sustains at one frame every 5 s, through the real worker processes.
 *
 * Simulated snapshot cameras (a loopback HTTP server handing out real JPEG frames of a sample video, each camera at
 * its own place in it) are registered like real ones, with a dumping zone; the real ingest, detect and rules workers
 * (workers/*.ts) run as child processes against a fresh database and queue prefix. For each camera count the bench
 * enables that many cameras, waits until all deliver and are detected, then watches a window: the count is
 * sustained when no frame was dropped (a camera's frame replaced before detection), ingest kept the schedule, and
 * detection and rules kept up. It doubles the count until one fails, then bisects, within a time budget.
 *
 * CPU per frame of each stage is the stage's processes' user + system time (from /proc) over the frames that stage
 * handled in the window; Postgres, Redis and this process (the cameras) are not in it. From those it sizes a city.
 *
 *   --detect-workers 1|2   detect processes (each one onnxruntime session)
 *   --store fs|s3          blob store: sets BLOB_STORE for the workers; S3_* variables pass through from this
 *                          environment (the S3 adapter reads them where it is built in)
 */
const { values } = parseArgs({
  options: {
    'detect-workers': { type: 'string', default: '1' },
    store: { type: 'string', default: 'fs' },
    interval: { type: 'string', default: '5' },
    window: { type: 'string', default: '40' },
    start: { type: 'string', default: '8' },
    max: { type: 'string', default: '512' },
    minutes: { type: 'string', default: '15' },
    city: { type: 'string', default: '10000' },
    'machine-cores': { type: 'string', default: '16' },
    video: { type: 'string', default: 'vtest.avi' },
  },
});
const DETECT_WORKERS = Number(values['detect-workers']);
const STORE = values.store!;
const INTERVAL_S = Number(values.interval);
const WINDOW_S = Number(values.window);
const MAX_CAMERAS = Number(values.max);
const BUDGET_MS = Number(values.minutes) * 60_000;
const CITY = Number(values.city);
const MACHINE_CORES = Number(values['machine-cores']);
/** Share of a machine's cores planned for steady load, leaving room for peaks, catch-up after outages, the OS. */
const TARGET_USE = 0.7;
if (![1, 2].includes(DETECT_WORKERS)) throw new Error('--detect-workers is 1 or 2');
if (!['fs', 's3'].includes(STORE)) throw new Error('--store is fs or s3');

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CLOCK_TICKS = Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100;

async function realFrames(): Promise<Buffer[]> {
  const candidates = [
    path.join(REPO_ROOT, 'fixtures/video', values.video!),
    path.join(SHARED_DIR, 'fixtures/video', values.video!),
  ];
  let video = '';
  for (const candidate of candidates.reverse()) {
    if (
      await readFile(candidate).then(
        () => true,
        () => false,
      )
    )
      video = candidate;
  }
  if (!video) throw new Error(`${values.video} missing: run \`npm run assets\``);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-scale-frames-'));
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    video,
    '-vf',
    'fps=2',
    '-q:v',
    '3',
    path.join(dir, 'f%04d.jpg'),
  ]);
  const files = (await readdir(dir)).sort();
  const frames = await Promise.all(files.map((f) => readFile(path.join(dir, f))));
  await rm(dir, { recursive: true, force: true });
  return frames;
}

/** user + system CPU seconds of a process and its threads, from /proc (Linux). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

// ---- cameras: one loopback server, each camera walking through the video from its own starting point
const frames = await realFrames();
const position = new Map<string, number>();
const server = http.createServer((req, res) => {
  const camera = req.url ?? '/';
  const n = position.get(camera) ?? Math.floor(Math.random() * frames.length);
  position.set(camera, n + 1);
  res.writeHead(200, { 'content-type': 'image/jpeg' });
  res.end(frames[n % frames.length]);
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// ---- database, cameras (created disabled, enabled per trial)
const db = await benchDatabase('enf_bench_scale');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-scale-data-'));
const prefix = `bench_scale_${process.pid}`;
const redis = createRedis('redis://127.0.0.1:6379', 'worker');
const queues = new Queues(redis, prefix);
await ensureDistrict(db.pool, { id: 'pudong', name: 'Pudong', casePrefix: 'PD' });
const admin: StaffPrincipal = {
  id: await insertStaffUser(db.pool, {
    username: 'bench',
    displayName: 'bench',
    passwordHash: 'x',
    role: 'admin',
    districtId: null,
  }),
  username: 'bench',
  displayName: 'bench',
  role: 'admin',
  districtId: null,
};
const policy = accessPolicyFromEnv({ CAMERA_ALLOW_LOOPBACK: 'true' });
const cameraIds: string[] = [];
for (let i = 0; i < MAX_CAMERAS; i++) {
  const camera = await registerCamera({ pool: db.pool, policy }, admin, {
    camera: {
      districtId: 'pudong',
      name: `bench-${i}`,
      address: `bench ${i}`,
      latitude: 31.23,
      longitude: 121.47,
      source: { kind: 'snapshot', url: `${base}/cam/${i}.jpg` } as never,
      sampleIntervalS: INTERVAL_S,
      enabled: false,
    },
    zones: [
      {
        name: 'dumping spot',
        kind: 'dumping_spot',
        points: [
          { x: 0.1, y: 0.5 },
          { x: 0.5, y: 0.5 },
          { x: 0.5, y: 0.95 },
          { x: 0.1, y: 0.95 },
        ],
        enabled: true,
        dwellSeconds: 60,
        cooldownSeconds: 600,
      },
    ],
  });
  cameraIds.push(camera.id);
}

// ---- the real workers
const logDir = await mkdtemp(path.join(os.tmpdir(), 'bench-scale-logs-'));
const workerEnv = {
  ...process.env,
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  DATABASE_URL: db.url,
  QUEUE_PREFIX: prefix,
  DATA_DIR: dataDir,
  BLOB_STORE: STORE,
  CAMERA_ALLOW_LOOPBACK: 'true',
};
type Stage = 'ingest' | 'detect' | 'rules';
const workers: { stage: Stage; child: ChildProcess }[] = [];
function startWorker(stage: Stage, n: number): void {
  const log = createWriteStream(path.join(logDir, `${stage}-${n}.log`));
  const child = spawn(process.execPath, ['--import', 'tsx', `workers/${stage}.worker.ts`], {
    cwd: REPO_ROOT,
    env: workerEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`${stage} worker ${n} exited (${code ?? signal}); its log: ${log.path}`);
  });
  workers.push({ stage, child });
}
let stopping = false;
startWorker('ingest', 1);
for (let i = 1; i <= DETECT_WORKERS; i++) startWorker('detect', i);
startWorker('rules', 1);

async function stageCpu(): Promise<Record<Stage, number>> {
  const cpu: Record<Stage, number> = { ingest: 0, detect: 0, rules: 0 };
  for (const { stage, child } of workers) cpu[stage] += await cpuSeconds(child.pid!);
  return cpu;
}

async function lastApplied(): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ camera_id: string; last_seq: number }>(
    'select camera_id, last_seq::int as last_seq from camera_rule_state',
  );
  return new Map(rows.map((r) => [r.camera_id, r.last_seq]));
}

const count = async (sql: string, params: unknown[] = []) =>
  Number((await db.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

interface Trial {
  cameras: number;
  ingested: number;
  expected: number;
  detected: number;
  applied: number;
  dropped: number;
  p95LatencyS: number;
  cpuMs: Record<Stage, number>;
  passed: boolean;
  why: string;
}

async function trial(cameras: number): Promise<Trial> {
  const enabled = cameraIds.slice(0, cameras);
  await db.pool.query('update cameras set enabled = (id = any($1::uuid[]))', [enabled]);
  const enabledAt = (await db.pool.query<{ t: Date }>('select now() as t')).rows[0]!.t;
  // Warm-up: every enabled camera has had a frame through detection since it was enabled.
  const warmDeadline = Date.now() + 90_000;
  for (;;) {
    const ready = await count(
      `select count(distinct camera_id) as n from frames where status = 'detected' and created_at > $1 and camera_id = any($2::uuid[])`,
      [enabledAt, enabled],
    );
    if (ready === cameras) break;
    if (Date.now() > warmDeadline) break;
    await sleep(1000);
  }
  await sleep(INTERVAL_S * 1000);

  const drops0 = await count('select coalesce(sum(drops_total), 0) as n from camera_health');
  const applied0 = await lastApplied();
  const cpu0 = await stageCpu();
  const t0 = (await db.pool.query<{ t: Date }>('select now() as t')).rows[0]!.t;
  await sleep(WINDOW_S * 1000);
  const t1 = (await db.pool.query<{ t: Date }>('select now() as t')).rows[0]!.t;
  const cpu1 = await stageCpu();
  const applied1 = await lastApplied();
  const drops1 = await count('select coalesce(sum(drops_total), 0) as n from camera_health');

  const ingested = await count(
    'select count(*) as n from frames where created_at >= $1 and created_at < $2',
    [t0, t1],
  );
  const detected = await count(
    'select count(*) as n from detections where created_at >= $1 and created_at < $2',
    [t0, t1],
  );
  const latency = await db.pool.query<{ p95: number | null }>(
    `select percentile_cont(0.95) within group (order by extract(epoch from d.created_at - f.created_at)) as p95
       from frames f join detections d on d.frame_id = f.id where f.created_at >= $1 and f.created_at < $2`,
    [t0, t1],
  );
  const windowS = (t1.getTime() - t0.getTime()) / 1000;
  const expected = Math.floor((cameras * windowS) / INTERVAL_S);
  // Frames the rules applied in the window, per camera; a camera the rules had not reached at t0 counts from its
  // first frame in the window.
  const firstSeq = await db.pool.query<{ camera_id: string; seq: number }>(
    'select camera_id, min(seq)::int as seq from frames where created_at >= $1 group by camera_id',
    [t0],
  );
  const firstInWindow = new Map(firstSeq.rows.map((r) => [r.camera_id, r.seq]));
  let applied = 0;
  for (const [camera, seq] of applied1) {
    const before = applied0.get(camera) ?? (firstInWindow.get(camera) ?? seq + 1) - 1;
    applied += Math.max(0, seq - before);
  }
  const dropped = drops1 - drops0;
  const cpuMs = (stage: Stage, n: number) => ((cpu1[stage] - cpu0[stage]) * 1000) / Math.max(n, 1);
  const why: string[] = [];
  if (dropped > 0) why.push(`${dropped} dropped`);
  if (ingested < 0.9 * expected) why.push('ingest behind schedule');
  if (detected < 0.9 * ingested) why.push('detection behind');
  if (applied < 0.9 * ingested) why.push('rules behind');
  return {
    cameras,
    ingested,
    expected,
    detected,
    applied,
    dropped,
    p95LatencyS: Number(latency.rows[0]?.p95 ?? NaN),
    cpuMs: {
      ingest: cpuMs('ingest', ingested),
      detect: cpuMs('detect', detected),
      rules: cpuMs('rules', applied),
    },
    passed: why.length === 0,
    why: why.join(', ') || 'sustained',
  };
}

function print(t: Trial): void {
  console.log(
    [
      String(t.cameras).padStart(7),
      `${t.ingested}/${t.expected}`.padStart(11),
      String(t.detected).padStart(8),
      String(t.applied).padStart(7),
      String(t.dropped).padStart(7),
      fmt(t.p95LatencyS, 2).padStart(8),
      fmt(t.cpuMs.ingest, 1).padStart(7),
      fmt(t.cpuMs.detect, 1).padStart(7),
      fmt(t.cpuMs.rules, 1).padStart(7),
      `  ${t.why}`,
    ].join(''),
  );
}

const began = Date.now();
const load = os.loadavg();
console.log(
  `scale benchmark: snapshot cameras at one frame per ${INTERVAL_S} s, ${WINDOW_S} s windows, ${DETECT_WORKERS} detect worker(s), store ${STORE}, ${frames.length} real frames of ${values.video} (~${Math.round(frames[0]!.length / 1024)} KiB); ${os.cpus().length} cores, load average ${load.map((l) => fmt(l, 1)).join(' ')} at start`,
);
console.log('cameras  ingested  detected applied dropped p95 lat  ms CPU/frame: ingest detect  rules');
const trials: Trial[] = [];
let lo = 0;
let hi = Infinity;
let next = Math.min(Number(values.start), MAX_CAMERAS);
while (Date.now() - began < BUDGET_MS) {
  const t = await trial(next);
  trials.push(t);
  print(t);
  if (t.passed) lo = Math.max(lo, next);
  else hi = Math.min(hi, next);
  if (hi === Infinity) {
    if (next >= MAX_CAMERAS) break;
    next = Math.min(next * 2, MAX_CAMERAS);
  } else {
    if (hi - lo <= Math.max(1, Math.floor(lo * 0.1))) break;
    next = Math.floor((lo + hi) / 2);
  }
}

// ---- results
const best = trials.filter((t) => t.passed).sort((a, b) => b.cameras - a.cameras)[0];
const measured = best ?? trials[0]!;
console.log('');
if (best) {
  const bound = hi === Infinity ? `(the --max of ${MAX_CAMERAS}; raise it)` : `(${hi} failed)`;
  console.log(
    `sustained: ${best.cameras} cameras at one frame per ${INTERVAL_S} s with no frame dropped ${bound}`,
  );
} else {
  console.log(`sustained: none of the tried counts; the smallest (${trials[0]?.cameras}) already failed`);
}
const stages: Stage[] = ['ingest', 'detect', 'rules'];
const bottleneck = stages.reduce((a, b) => (measured.cpuMs[a] >= measured.cpuMs[b] ? a : b));
console.log(
  `CPU per frame at ${measured.cameras} cameras (worker processes only): ${stages.map((s) => `${s} ${fmt(measured.cpuMs[s], 1)} ms`).join(', ')}; bottleneck: ${bottleneck}`,
);
// Baseline in the same run: what the warm workers burn with no camera enabled (queue polling, timers, leases).
await db.pool.query('update cameras set enabled = false');
await sleep(2 * INTERVAL_S * 1000);
const idle0 = await stageCpu();
const idleStart = performance.now();
await sleep(10_000);
const idle1 = await stageCpu();
const idleS = (performance.now() - idleStart) / 1000;
console.log(
  `idle baseline (no cameras): ${stages.map((s) => `${s} ${fmt(((idle1[s] - idle0[s]) * 1000) / idleS, 1)} ms CPU/s`).join(', ')}; the figures per frame include this share`,
);
const cityFps = CITY / INTERVAL_S;
const cores = Object.fromEntries(stages.map((s) => [s, (cityFps * measured.cpuMs[s]) / 1000])) as Record<
  Stage,
  number
>;
const totalCores = stages.reduce((sum, s) => sum + cores[s], 0);
const machines = Math.ceil(totalCores / (MACHINE_CORES * TARGET_USE));
console.log(
  `city of ${CITY} cameras = ${fmt(cityFps, 0)} frames/s: ${stages.map((s) => `${s} ${fmt(cores[s], 1)} cores`).join(', ')} = ${fmt(totalCores, 1)} cores; ${machines} machines of ${MACHINE_CORES} cores at ${TARGET_USE * 100} % use, plus Postgres and Redis`,
);
if (best && hi !== Infinity) {
  console.log(
    `extrapolated from this machine: ${CITY} / ${best.cameras} = ${Math.ceil(CITY / best.cameras)} machines like it (${os.cpus().length} cores, shared and loaded while measured)`,
  );
}
if (STORE === 's3') {
  const local = await readdir(path.join(dataDir, 'frames')).then(
    (e) => e.length,
    () => 0,
  );
  if (local > 0)
    console.log(
      'WARNING: --store s3 but frames were written under DATA_DIR: this build has no S3 adapter; the figures are for the filesystem store',
    );
}

stopping = true;
await Promise.all(
  workers.map(async ({ child }) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await once(child, 'exit');
    clearTimeout(killer);
  }),
);
server.close();
for (const name of JOB_NAMES) {
  await queues
    .queue(name)
    .obliterate({ force: true })
    .catch(() => undefined);
}
const leftovers = await redis.keys(`${prefix}:*`);
if (leftovers.length) await redis.del(...leftovers);
await queues.close();
redis.disconnect();
await db.drop();
await rm(dataDir, { recursive: true, force: true });
await rm(logDir, { recursive: true, force: true });
