import { fork } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import sharp from 'sharp';
import { createAuthService } from '../../src/auth/auth.service.js';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { caseFilingHook } from '../../src/cases/case-filing.service.js';
import { loadConfig } from '../../src/config/config.js';
import { buildApp } from '../../src/app/api.js';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { insertPortalToken } from '../../src/notices/notice.repo.js';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import { hashToken, mintToken } from '../../src/notices/portal-token.js';
import { insertPortalSession } from '../../src/portal/portal.repo.js';
import { Queues } from '../../src/queue/queues.js';
import { ReviewService } from '../../src/review/review.service.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { createRedis } from '../../src/shared/redis.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { benchDatabase, fmt } from './bench-db.js';

/**
 * The citizen portal under a crowd, on loopback only: N concurrent clients (default 200), each with its own
 * portal session, on the notice page, the evidence thumbnails and the second-factor form, each against a
 * static page of the same size served by the same app in the same run. Two load shapes: a closed loop (every
 * client sends its next request as soon as the last is answered: the saturation figure) and a paced crowd
 * (every client at --rate requests per second: what a crowd of people does). Prints p50/p99 and the ratios.
 * BENCH_ONLY="notice page" (or another target's name) runs one target; BENCH_PACED_ONLY=1 the paced crowd only.
 * --notices N (default 1) seeds N cases, each with its own party, notice, link and evidence, and spreads the
 * sessions over them: connection i holds session i, on notice i % N, for the whole run. With 1 every client is on
 * the same notice (what a per-notice cache likes best); with N = the number of clients each is on its own.
 */
const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1' },
    notices: { type: 'string', default: '1' },
  },
});
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const NOTICES = Number(values.notices);
if (!Number.isInteger(NOTICES) || NOTICES < 1) throw new Error(`--notices must be a whole number >= 1`);

const db = await benchDatabase('enf_bench_portal');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-portal-'));
const prefix = `bench_portal_${randomBytes(4).toString('hex')}`;
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  DATABASE_URL: db.url,
  QUEUE_PREFIX: prefix,
  DATA_DIR: dataDir,
  // the page's cost is measured here; the per-session throttle is tested in test/portal/portal-crowd.test.ts
  PORTAL_REQUESTS_PER_MINUTE: '100000',
});
const redis = createRedis(config.redisUrl, 'request');
if (redis.status !== 'ready') await once(redis, 'ready');
const workerRedis = createRedis(config.redisUrl, 'worker');
const queues = new Queues(workerRedis, prefix);
const blobs = new FsBlobStore(dataDir);
const pool = db.pool;

// --- NOTICES filed cases, each with its advance notice, its own party, real 1280x720 evidence frames and a link;
// one session per client, client i on notice i % NOTICES ---
await pool.query(`insert into districts (id, name, case_prefix) values ('pudong', '浦东新区', 'PD')`);
const camera = (
  await pool.query<{ id: string }>(
    `insert into cameras (district_id, name, address, source, legal_review_date, technical_review_date, published, published_at)
     values ('pudong', 'bench', '浦东新区世纪大道1号', '{"kind":"snapshot","url":"http://10.0.0.5/s.jpg"}', '2026-01-05', '2026-01-06', true, now()) returning id`,
  )
).rows[0]!.id;
const legal = (
  await pool.query<{ id: string }>(
    `insert into staff_users (username, display_name, password_hash, role, district_id) values ('bench_legal', 'Legal', 'x', 'legal_reviewer', 'pudong') returning id`,
  )
).rows[0]!.id;
const principal: StaffPrincipal = {
  id: legal,
  username: 'bench_legal',
  displayName: 'Legal',
  role: 'legal_reviewer',
  districtId: 'pudong',
};
const frames = await Promise.all(
  ['car-detection-f101.jpg', 'car-detection-f233.jpg'].map(async (name) =>
    sharp(await readFile(path.join(REPO_ROOT, 'fixtures', 'frames', name)))
      .resize(1280, 720, { fit: 'fill' })
      .jpeg({ quality: 90 })
      .toBuffer(),
  ),
);
/** The same picture with a JPEG comment after its start marker: other bytes, so another thumbnail to make and keep. */
const distinct = (jpeg: Buffer, n: number): Buffer => {
  if (n === 0) return jpeg;
  const text = Buffer.from(`bench notice ${n}`);
  const segment = Buffer.alloc(4 + text.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(2 + text.length, 2);
  text.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
};
const logger = pino({ level: 'silent' });
const services = createNotifyServices({ config, pool, blobs, queues, logger, channels: {} });
const reviews = new ReviewService(pool, blobs, caseFilingHook());

interface SeededNotice {
  noticeId: string;
  caseId: string;
  partyId: string;
  /** the link token of the notice's URL, /n/<token> */
  token: string;
}
async function seedNotice(n: number): Promise<SeededNotice> {
  const digits = String(n).padStart(8, '0');
  const partyId = (
    await pool.query<{ id: string }>(
      `insert into parties (district_id, kind, name, id_number, phone, address, online_delivery_consent, consent_recorded_at, consent_channel)
       values ('pudong', 'person', '张某某', $1, $2, '上海市浦东新区某某路1号', true, now(), 'signed form') returning id`,
      [`3101151990${digits}`, `138${digits}`],
    )
  ).rows[0]!.id;
  const violationId = randomUUID();
  await pool.query(
    `insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, party_id, first_seen_at, confirmed_at, dedupe_key, model_name, model_sha256)
     values ($1, 'pudong', $2, 1, 'stall', 'street_stall', 'pending_review', $3, now() - interval '12 minutes', now() - interval '1 minute', $4, 'yolox-nano', 'abc')`,
    [violationId, camera, partyId, `bench-${violationId}`],
  );
  for (const [i, frame] of frames.entries()) {
    const bytes = distinct(frame, n);
    const key = `evidence/${violationId}/${i}-original`;
    await blobs.put(key, bytes, { ifNotExists: true });
    await pool.query(
      `insert into evidence_items (violation_id, kind, storage_key, sha256, content_type, byte_size, captured_at, label)
       values ($1, 'original', $2, $3, 'image/jpeg', $4, now(), $5)`,
      [violationId, key, createHash('sha256').update(bytes).digest('hex'), bytes.length, `frame ${i + 1}`],
    );
  }
  const task = (
    await pool.query<{ id: string }>(
      `insert into review_tasks (violation_id, district_id, stage, violation_type, camera_id, status, claimed_by, lease_expires_at)
       values ($1, 'pudong', 'legal', 'street_stall', $2, 'claimed', $3, now() + interval '10 minutes') returning id`,
      [violationId, camera, legal],
    )
  ).rows[0]!.id;
  await reviews.decide(principal, task, { decision: 'approve', partyId });
  const caseId = (
    await pool.query<{ id: string }>('select id from cases where violation_id = $1', [violationId])
  ).rows[0]!.id;
  const issued = await services.notices.issue(caseId, 'advance_notice');
  const noticeId = issued!.noticeId;
  const link = mintToken();
  await insertPortalToken(pool, {
    hash: link.hash,
    noticeId,
    deliveryId: null,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return { noticeId, caseId, partyId, token: link.token };
}
const seedStarted = performance.now();
// Four at a time (each is a few transactions: the review decision files the case, the notice renders its document).
const notices: SeededNotice[] = new Array(NOTICES);
let seeded = 0;
await Promise.all(
  Array.from({ length: Math.min(4, NOTICES) }, async () => {
    for (let n = seeded++; n < NOTICES; n = seeded++) notices[n] = await seedNotice(n);
  }),
);
/** sessions[i] is client i's: on notices[i % NOTICES] */
const sessions: { token: string; notice: SeededNotice }[] = [];
for (let i = 0; i < CONNECTIONS; i++) {
  const notice = notices[i % NOTICES]!;
  const session = mintToken();
  await insertPortalSession(pool, {
    idHash: session.hash,
    tokenHash: hashToken(notice.token),
    noticeId: notice.noticeId,
    caseId: notice.caseId,
    partyId: notice.partyId,
    ip: '127.0.0.1',
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  sessions.push({ token: session.token, notice });
}
const seedSeconds = (performance.now() - seedStarted) / 1000;

const app = await buildApp(
  {
    config,
    pool,
    redis,
    queues,
    blobs,
    cameraPolicy: accessPolicyFromEnv({}),
    auth: createAuthService(pool, config.sessionTtlMinutes),
  },
  { logger: false },
);
// Static answers of the same sizes, from the same app: the floor under each portal answer.
const statics = new Map<string, { body: Buffer; type: string }>();
app.get('/bench/static/:name', async (request, reply) => {
  const item = statics.get((request.params as { name: string }).name)!;
  return reply.header('content-type', item.type).send(item.body);
});
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

const first = sessions[0]!.notice.token;
const cookie = `psid=${sessions[0]!.token}`;
const page = await fetch(`${base}/n/${first}`, { headers: { cookie } });
const pageBytes = Buffer.from(await page.arrayBuffer());
if (page.status !== 200) throw new Error(`notice page answered ${page.status}`);
const evidenceIds = [...pageBytes.toString('utf8').matchAll(/data-evidence-id="([0-9a-f-]{36})"/g)].map(
  (m) => m[1]!,
);
const thumb = await fetch(`${base}/n/${first}/evidence/${evidenceIds[0]}`, { headers: { cookie } });
const thumbBytes = Buffer.from(await thumb.arrayBuffer());
const form = Buffer.from(await (await fetch(`${base}/n/${first}`)).arrayBuffer());
const stored = (await blobs.exists(`thumbnails/portal-640/${thumb.headers.get('x-content-sha256')}.jpg`))
  ? 'yes'
  : 'no';
const pad = (like: Buffer) => Buffer.from('x'.repeat(like.length));
statics.set('page', { body: pad(pageBytes), type: 'text/html; charset=utf-8' });
statics.set('image', { body: pad(thumbBytes), type: 'image/jpeg' });
statics.set('form', { body: pad(form), type: 'text/html; charset=utf-8' });
console.log(
  NOTICES === 1
    ? `mode: one notice, all ${CONNECTIONS} sessions on it (--notices 1)`
    : `mode: ${NOTICES} notices, each with its own party, link and evidence; client i holds its own session on notice i % ${NOTICES} (${fmt(CONNECTIONS / NOTICES, 1)} sessions a notice; seeded in ${fmt(seedSeconds, 1)} s)`,
);
console.log(
  `notice page ${pageBytes.length} B, thumbnail ${thumbBytes.length} B (stored in the blob store: ${stored}), form ${form.length} B; ${evidenceIds.length} evidence images`,
);

interface Figures {
  p50: number;
  p99: number;
  rps: number;
  /** answers with a 2xx status */
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, { count: number }>;
}

/** What client i sends, in turn, for the whole run: its paths, with its own session cookie or none. */
interface ClientRequests {
  paths: string[];
  cookie?: string;
}

async function load(clients: ClientRequests[], paced: boolean): Promise<Figures> {
  const spec = {
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    connectionRate: paced ? RATE : 0,
    clients,
  };
  const child = fork(fileURLToPath(new URL('./portal-load.child.mjs', import.meta.url)), [
    JSON.stringify(spec),
  ]);
  const [figures] = (await once(child, 'message')) as [Figures];
  return figures;
}

// The evidence ids of every notice, as its page lists them (the page of notices[0] is read above).
const evidenceOf = new Map<string, string[]>([[notices[0]!.noticeId, evidenceIds]]);
for (const notice of notices.slice(1)) {
  const ids = await pool.query<{ id: string }>(
    `select e.id from evidence_items e join cases c on c.violation_id = e.violation_id
      join notices n on n.case_id = c.id where n.id = $1 order by e.label`,
    [notice.noticeId],
  );
  evidenceOf.set(
    notice.noticeId,
    ids.rows.map((r) => r.id),
  );
}

interface Target {
  name: string;
  /** the paths a client on this notice sends, in turn */
  paths: (notice: SeededNotice) => string[];
  session: boolean;
  baseline: string;
}
const targets: Target[] = [
  { name: 'notice page', paths: (n) => [`/n/${n.token}`], session: true, baseline: '/bench/static/page' },
  {
    name: 'evidence thumbnails',
    paths: (n) => evidenceOf.get(n.noticeId)!.map((id) => `/n/${n.token}/evidence/${id}`),
    session: true,
    baseline: '/bench/static/image',
  },
  { name: 'verify form', paths: (n) => [`/n/${n.token}`], session: false, baseline: '/bench/static/form' },
];
const selected = targets.filter((t) => !process.env.BENCH_ONLY || t.name === process.env.BENCH_ONLY);
if (!selected.length) throw new Error(`BENCH_ONLY: no target named ${process.env.BENCH_ONLY}`);
/** Client i: session i, on its own notice, for the whole run. */
const clientsFor = (t: Target): ClientRequests[] =>
  sessions.map((s) => ({ paths: t.paths(s.notice), ...(t.session ? { cookie: `psid=${s.token}` } : {}) }));
const baselineClients = (t: Target): ClientRequests[] => [{ paths: [t.baseline] }];

const line = (label: string, f: Figures) =>
  `${label.padEnd(36)} p50 ${fmt(f.p50, 0).padStart(5)} ms  p99 ${fmt(f.p99, 0).padStart(5)} ms  ${fmt(f.rps, 0).padStart(6)} req/s${f.non2xx || f.errors ? `  (${f.non2xx} non-2xx ${JSON.stringify(f.statusCodes)}, ${f.errors} errors)` : ''}`;

// Every notice page answered with a session records one view before it is sent: one so far (above), and one for
// each notice page checked here (every notice, with the session of its first client; thumbnails made here).
let pagesAnswered = 1;
for (const t of selected)
  for (const s of sessions.slice(0, NOTICES))
    for (const p of t.paths(s.notice)) {
      const r = await fetch(`${base}${p}`, { headers: t.session ? { cookie: `psid=${s.token}` } : {} });
      if (r.status !== 200)
        throw new Error(`${t.name}: ${p} answered ${r.status}: ${(await r.text()).slice(0, 300)}`);
      if (t.name === 'notice page') pagesAnswered++;
    }

for (const paced of process.env.BENCH_PACED_ONLY ? [true] : [false, true]) {
  console.log(
    paced
      ? `\npaced crowd: ${CONNECTIONS} clients at ${RATE} request/s each, ${SECONDS} s per target`
      : `\nclosed loop: ${CONNECTIONS} connections, ${SECONDS} s per target`,
  );
  for (const t of selected) {
    const baseline = await load(baselineClients(t), paced);
    const measured = await load(clientsFor(t), paced);
    if (t.name === 'notice page') pagesAnswered += measured.ok;
    console.log(line(`static page, size of ${t.name}`, baseline));
    console.log(line(t.name, measured));
    console.log(
      `${''.padEnd(36)} ratio p50 ${fmt(measured.p50 / Math.max(baseline.p50, 1), 1)}x  p99 ${fmt(measured.p99 / Math.max(baseline.p99, 1), 1)}x  throughput ${fmt(measured.rps / Math.max(baseline.rps, 1), 2)}x`,
    );
  }
}
const views = await pool.query<{ n: number }>(
  `select (select count(*) from audit_log where action = 'portal.view')::int
        + (select count(*) from audit_outbox where action = 'portal.view')::int as n`,
);
console.log(
  `\nportal views recorded (chain + outbox): ${views.rows[0]!.n}; notice pages answered 2xx: ${pagesAnswered}`,
);
// Requests still in flight when a run stops are answered (and recorded) but not counted by the load generator.
if (views.rows[0]!.n < pagesAnswered) {
  console.error('views missing from the audit: fewer recorded than notice pages answered');
  process.exitCode = 1;
}

await app.close();
await queues.close();
const keys = await redis.keys(`${prefix}:*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
workerRedis.disconnect();
await db.drop();
await rm(dataDir, { recursive: true, force: true });
