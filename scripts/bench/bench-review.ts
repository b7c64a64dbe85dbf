import { benchApp, benchSignIn } from './bench-app.js';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { hashPassword } from '../../src/auth/password.js';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { caseFilingHook } from '../../src/cases/case-filing.service.js';
import { ReviewService } from '../../src/review/review.service.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { benchDatabase, fmt } from './bench-db.js';

/**
 * Review latency with a large backlog: seeds N violations (default 1,000,000) with evidence rows and open review
 * tasks, then times (a) claiming the next task and (b) loading the review page over HTTP (evidence re-hashed,
 * party history, benchmark, render), and prints medians and 99th percentiles. A claim on an empty table is the
 * baseline measured in the same run.
 */
const { values } = parseArgs({
  options: {
    violations: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '200' },
  },
});
const N = Number(values.violations);
const SAMPLES = Number(values.samples);

function stats(ms: number[]): { median: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)]!,
    p99: s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]!,
  };
}

const db = await benchDatabase('enf_bench_review');
const pool = db.pool;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-review-'));
const blobs = new FsBlobStore(dataDir);
await pool.query(
  `insert into districts (id, name, case_prefix) values ('pudong', 'Pudong', 'PD'), ('huangpu', 'Huangpu', 'HP')`,
);
const password = await hashPassword('bench password 123');
const reviewer = (
  await pool.query(
    `insert into staff_users (username, display_name, password_hash, role, district_id) values ('bench_ev', 'Bench', $1, 'evidence_reviewer', 'pudong') returning id`,
    [password],
  )
).rows[0].id as string;
const principal: StaffPrincipal = {
  id: reviewer,
  username: 'bench_ev',
  displayName: 'Bench',
  role: 'evidence_reviewer',
  districtId: 'pudong',
};
await pool.query(
  `insert into cameras (district_id, name, source) select case when i % 2 = 0 then 'pudong' else 'huangpu' end, 'cam ' || i, '{"kind":"snapshot","url":"http://10.0.0.1/s.jpg"}' from generate_series(1, 50) i`,
);
await pool.query(
  `insert into parties (district_id, kind, name, id_number) select 'pudong', 'unit', '商户' || i, '9131011500000' || lpad(i::text, 5, '0') from generate_series(1, 2000) i`,
);

const review = new ReviewService(pool, blobs, caseFilingHook());
// baseline: claiming from an empty queue
const baseline: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const t = performance.now();
  await review.claimNext(principal, { order: 'oldest' });
  baseline.push(performance.now() - t);
}

console.log(`seeding ${N.toLocaleString()} violations with evidence rows and review tasks…`);
const t0 = performance.now();
await pool.query(
  `
  with cams as (select array_agg(id order by id) as ids, array_agg(district_id order by id) as districts from cameras),
       ps as (select array_agg(id order by id) as ids from parties)
  insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, party_id, first_seen_at, confirmed_at, dedupe_key, model_name, model_sha256)
  select gen_random_uuid(), cams.districts[1 + (i / 10) % 50], cams.ids[1 + (i / 10) % 50], 1, 'stall', 'street_stall',
         case when i % 10 = 0 then 'pending_review'::violation_status else 'closed'::violation_status end,
         ps.ids[1 + i % 2000], now() - (i || ' seconds')::interval - interval '10 minutes', now() - (i || ' seconds')::interval, 'bench-' || i, 'yolox-nano', 'x'
    from generate_series(1, $1::int) i, cams, ps`,
  [N],
);
await pool.query(`
  insert into evidence_items (violation_id, kind, storage_key, sha256, content_type, byte_size, captured_at, label)
  select v.id, k.kind, 'evidence/' || v.id || '/' || k.n, repeat('0', 64), 'image/jpeg', 1000, v.confirmed_at, k.kind
    from violations v cross join (values (1, 'original'), (2, 'original'), (3, 'annotated')) k(n, kind)`);
await pool.query(`
  insert into review_tasks (violation_id, district_id, stage, violation_type, camera_id, created_at)
  select id, district_id, 'evidence', violation_type, camera_id, confirmed_at from violations where status = 'pending_review'`);
await pool.query('analyze');
const counts = (
  await pool.query(
    `select (select count(*) from violations) v, (select count(*) from evidence_items) e, (select count(*) from review_tasks where status = 'open') t`,
  )
).rows[0];
console.log(
  `seeded in ${fmt((performance.now() - t0) / 1000)} s: ${counts.v} violations, ${counts.e} evidence rows, ${counts.t} open tasks`,
);

const { app, close } = await benchApp({ pool, databaseUrl: db.url, dataDir, prefix: 'benchrev', blobs });
const cookie = await benchSignIn(app, 'bench_ev', 'bench password 123');

const jpeg = await sharp({ create: { width: 768, height: 576, channels: 3, background: '#556070' } })
  .jpeg()
  .toBuffer();
const sha = createHash('sha256').update(jpeg).digest('hex');
const claim: number[] = [];
const load: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const t = performance.now();
  const task = await review.claimNext(principal, { order: 'oldest' });
  claim.push(performance.now() - t);
  // evidence blobs exist only for the tasks opened (written outside the timing)
  const items = (
    await pool.query('select id, storage_key from evidence_items where violation_id = $1', [
      task!.violation_id,
    ])
  ).rows;
  for (const item of items) await blobs.put(item.storage_key, jpeg, { ifNotExists: true });
  await pool.query('update evidence_items set sha256 = $2 where violation_id = $1', [
    task!.violation_id,
    sha,
  ]);
  const t2 = performance.now();
  const res = await app.inject({ method: 'GET', url: `/review/tasks/${task!.id}`, headers: { cookie } });
  load.push(performance.now() - t2);
  if (res.statusCode !== 200 || !res.body.includes('data-hash-status="verified"'))
    throw new Error(`review page failed: ${res.statusCode}`);
  await review.decide(principal, task!.id, { decision: 'reject', reasonCode: 'false_detection' });
}
const b = stats(baseline);
const c = stats(claim);
const l = stats(load);
console.log(`claim next, empty queue (baseline): median ${fmt(b.median, 2)} ms, p99 ${fmt(b.p99, 2)} ms`);
console.log(
  `claim next, ${N.toLocaleString()} violations:  median ${fmt(c.median, 2)} ms, p99 ${fmt(c.p99, 2)} ms  (${fmt(c.median / b.median, 2)}x baseline)`,
);
console.log(
  `review page load:                 median ${fmt(l.median, 2)} ms, p99 ${fmt(l.p99, 2)} ms  (${SAMPLES} pages, 3 evidence images re-hashed each)`,
);
await close();
await db.drop();
await rm(dataDir, { recursive: true, force: true });
