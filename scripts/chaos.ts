import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../src/audit/audit.repo.js';
import { createPool } from '../src/db/pool.js';
import { accessPolicyFromEnv } from '../src/config/camera-access.js';
import { ChildSupervisor } from '../src/shared/child-supervisor.js';
import { REPO_ROOT } from '../src/shared/paths.js';
import { countStages, drained, smsDeliveries, type StageFigure } from './chaos/chaos-count.repo.js';
import { addDumpingCameras } from './chaos/chaos-cameras.js';
import { startPostgres } from './chaos/chaos-services.js';
import { ScriptedReviewer } from './chaos/scripted-reviewer.js';
import { SlowSmsGateway } from './chaos/slow-sms-gateway.js';
import { demoEnv, prepareDemo } from './demo-seed.js';
import { freePort, PrivateRedis } from './support/private-redis.js';

/*
 * `npm run chaos [-- --seconds N --drain N --cameras N --kill-every N --keep]`: the whole pipeline (API, ingest, detect, rules and notify
 * workers, restarted by a supervisor as compose would) on the demo district, against a Redis and a Postgres of the
 * run's own, with a scripted reviewer and a slow SMS gateway. For `--seconds` it kills a process of every kind in
 * turn with SIGKILL, kills the notify worker just after the gateway took some messages, restarts Redis and then
 * Postgres. Then it stops the cameras, lets the pipeline drain, and counts from Postgres what was lost, done
 * twice or left waiting at every stage. The last line: `chaos: K kills, R restarts, L lost, D duplicated, S stuck,
 * audit ok|broken`. Exit status 0 only for 0 / 0 / 0 with the audit chain verified.
 */

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '240' },
    drain: { type: 'string', default: '300' },
    'kill-every': { type: 'string', default: '12' },
    cameras: { type: 'string', default: '2' },
    keep: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const drainSeconds = Number(values.drain);
const killEveryS = Number(values['kill-every']);
const extraCameras = Number(values.cameras);
for (const [name, v] of [
  ['--seconds', seconds],
  ['--drain', drainSeconds],
  ['--kill-every', killEveryS],
] as const) {
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`${name} must be a positive number of seconds`);
    process.exit(2);
  }
}

const started = Date.now();
const say = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = await mkdtemp(path.join(os.tmpdir(), 'enf-chaos-'));
// The Postgres cluster runs as the postgres user when this runs as root: it must reach its folder.
await chmod(dir, 0o755);
say(`working folder ${dir}`);

const redis = new PrivateRedis(await freePort(), { durableDir: path.join(dir, 'redis') });
await redis.start();
say(`private Redis on ${redis.url} (append-only, fsync always)`);
const pg = await startPostgres(path.join(dir, 'pg'), say);
const secret = randomBytes(24).toString('hex');
const gateway = new SlowSmsGateway(secret, [300, 4_000]);
await gateway.start();
const httpPort = await freePort();
const base = `http://127.0.0.1:${httpPort}`;
const demoDir = path.join(dir, 'demo');
const env = demoEnv(
  {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'chaos',
    DATA_DIR: path.join(dir, 'data'),
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(httpPort),
    PUBLIC_BASE_URL: base,
    SMS_GATEWAY_URL: gateway.url,
    SMS_GATEWAY_ACCOUNT: 'chaos',
    SMS_GATEWAY_SECRET: secret,
    CASE_SWEEP_INTERVAL_S: '2',
    DELIVERY_STALE_S: '15',
    DELIVERY_ATTEMPTS: '5',
    DELIVERY_BACKOFF_MS: '1000',
    JOB_LOCK_MS: '5000',
    EVIDENCE_SWEEP_SECONDS: '10',
    FRAME_RETENTION_MINUTES: '1440',
    LOG_LEVEL: 'info',
  },
  demoDir,
);
const password = `chaos-${randomBytes(6).toString('hex')}`;
await prepareDemo(env, demoDir, password);

const pool = createPool(pg.url, 3);
if (Number.isInteger(extraCameras) && extraCameras > 0) {
  await addDumpingCameras(pool, accessPolicyFromEnv(env), extraCameras);
  say(`${extraCameras} more cameras replaying the dumping scene`);
}
const logs = path.join(dir, 'logs');
await mkdir(logs, { recursive: true });
const supervisor = new ChildSupervisor({ say }, 500, 5_000);
const KINDS = [
  { name: 'api', entry: 'src/server.ts' },
  { name: 'ingest', entry: 'workers/ingest.worker.ts' },
  { name: 'detect', entry: 'workers/detect.worker.ts' },
  { name: 'rules', entry: 'workers/rules.worker.ts' },
  { name: 'notify', entry: 'workers/notify.worker.ts' },
] as const;
for (const k of KINDS) {
  supervisor.start({
    name: k.name,
    command: process.execPath,
    args: ['--import', 'tsx', k.entry],
    cwd: REPO_ROOT,
    env,
    log: () => createWriteStream(path.join(logs, `${k.name}.log`), { flags: 'a' }),
  });
}

let kills = 0;
let restarts = 0;
let faulting = true;
const kill9 = (name: string, why: string) => {
  const child = supervisor.child(name);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  kills++;
  say(`kill -9 ${name} (${why})`);
};
// The notify worker dies just after the gateway took a message, before it hears the answer: a few times a run.
let midSendKills = 0;
gateway.onReceived = () => {
  if (faulting && midSendKills < 4 && Math.random() < 0.3) {
    midSendKills++;
    kill9('notify', 'mid-send');
  }
};

const parties = async () =>
  (
    await pool.query<{ id: string }>(
      `select id from parties where district_id = 'pudong' and online_delivery_consent and phone is not null`,
    )
  ).rows.map((r) => r.id);
const reviewer = new ScriptedReviewer(base, password, parties);
let reviewing = true;
const reviewLoop = (async () => {
  while (reviewing) {
    await reviewer.round();
    await sleep(2_000);
  }
})();

say(`faults for ${seconds} s: a kill -9 every ~${killEveryS} s, Redis restart, Postgres restart`);
const faultsFrom = Date.now();
const end = faultsFrom + seconds * 1000;
const redisAt = faultsFrom + seconds * 350;
const pgAt = faultsFrom + seconds * 650;
let redisDone = false;
let pgDone = false;
let order: string[] = [];
while (Date.now() < end) {
  await sleep(killEveryS * 1000 * (0.5 + Math.random()));
  if (Date.now() >= end) break;
  if (order.length === 0) order = KINDS.map((k) => k.name).sort(() => Math.random() - 0.5);
  kill9(order.shift()!, 'random');
  if (!redisDone && Date.now() >= redisAt) {
    redisDone = true;
    say('Redis: kill -9, then start again on its append-only file');
    await redis.kill();
    await sleep(2_000);
    await redis.start();
    restarts++;
  }
  if (!pgDone && Date.now() >= pgAt) {
    pgDone = true;
    if (pg.restartable) {
      say('Postgres: immediate stop (as a crash), then start again');
      await pg.restart();
      restarts++;
    } else say('Postgres: the local server is shared and is not restarted');
  }
}
faulting = false;

say('faults over: cameras stop, the pipeline drains');
await supervisor.stopOne('ingest');
const drainEnd = Date.now() + drainSeconds * 1000;
while (Date.now() < drainEnd) {
  if (await drained(pool).catch(() => false)) break;
  await sleep(3_000);
}
reviewing = false;
await reviewLoop;

const stages = await countStages(pool);
const sms = await smsDeliveries(pool);
const smsFigure: StageFigure = {
  stage: 'SMS texted / SMS deliveries',
  total: sms.length,
  lost: sms.filter((d) => ['sent', 'delivered'].includes(d.status) && !gateway.traffic.get(d.id)?.texted)
    .length,
  duplicated: sms.filter((d) => {
    const t = gateway.traffic.get(d.id);
    return d.tokens > 1 || (t !== undefined && (t.texted > 1 || t.links.size > 1));
  }).length,
  stuck: sms.filter((d) => d.status === 'pending').length,
};
stages.push(smsFigure);
const audit = await verifyAuditChain(pool);
const requests = [...gateway.traffic.values()].reduce((n, t) => n + t.requests, 0);
const texted = [...gateway.traffic.values()].reduce((n, t) => n + t.texted, 0);
const fallbacks = (
  await pool.query<{ n: number }>(`select count(*)::int as n from deliveries where status = 'fallback'`)
).rows[0]!.n;

await supervisor.stop(10_000);
await pool.end();
await gateway.stop();
await redis.kill();
await pg.stop();

console.log('');
for (const f of stages)
  console.log(`${f.stage}: ${f.total} in all, ${f.lost} lost, ${f.duplicated} duplicated, ${f.stuck} stuck`);
console.log(
  `gateway: ${requests} requests, ${texted} texted; ${fallbacks} deliveries in postal fallback; reviewer: ${reviewer.decisions} decisions`,
);
console.log(
  `restarted by the supervisor: ${KINDS.map((k) => `${k.name} ${supervisor.restartCount(k.name)}`).join(', ')}`,
);
if (!audit.ok) console.log(`audit chain broken at row ${audit.firstBrokenId}: ${audit.reason}`);
const lost = stages.reduce((n, f) => n + f.lost, 0);
const duplicated = stages.reduce((n, f) => n + f.duplicated, 0);
const stuck = stages.reduce((n, f) => n + f.stuck, 0);
const clean = lost === 0 && duplicated === 0 && stuck === 0 && audit.ok;
if (values.keep || !clean) console.log(`logs and data kept in ${dir}`);
else await rm(dir, { recursive: true, force: true });
console.log(
  `chaos: ${kills} kills, ${restarts} restarts, ${lost} lost, ${duplicated} duplicated, ${stuck} stuck, audit ${audit.ok ? 'ok' : 'broken'}`,
);
process.exit(clean ? 0 : 1);
