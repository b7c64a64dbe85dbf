import { benchApp, benchSignIn } from './bench-app.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../../src/auth/password.js';
import { benchDatabase, fmt } from './bench-db.js';

/**
 * The due list and the shops-by-level page with the shops of a large district: seeds N shops (default 40,000) in
 * one district (and 2,000 in another) with their levels, two history rows and three inspections each, 180 days of
 * daily counts and 100 cameras watching 200 shop fronts; then times, over HTTP (app.inject, signed in), the
 * patrol's due list, the district's shops page (plain and filtered) and a shop's page, each against a baseline
 * page of the same app in the same run (the complaints list of an empty table). Prints medians and p95.
 */
const { values } = parseArgs({
  options: {
    shops: { type: 'string', default: '40000' },
    samples: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.shops);
const SAMPLES = Number(values.samples);

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)]!,
    p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!,
  };
}

const db = await benchDatabase('enf_bench_shops');
const pool = db.pool;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-shops-'));
await pool.query(
  `insert into districts (id, name, case_prefix) values ('pudong', '浦东新区', 'PD'), ('huangpu', '黄浦区', 'HP')`,
);
const password = await hashPassword('bench password 123');
const patrolId = (
  await pool.query<{ id: string }>(
    `insert into staff_users (username, display_name, password_hash, role, district_id)
     values ('bench_patrol', '巡查员', $1, 'patrol', 'pudong') returning id`,
    [password],
  )
).rows[0]!.id;
await pool.query(
  `insert into staff_users (username, display_name, password_hash, role, district_id)
   values ('bench_staff', '区工作人员', $1, 'district_staff', 'pudong')`,
  [password],
);

console.log(`seeding ${N.toLocaleString()} shops with levels, history and inspections…`);
const t0 = performance.now();
await pool.query(
  `insert into parties (district_id, kind, name, id_number, address)
   select d, 'unit', '商户' || i, '91310115' || lpad(i::text, 10, '0'), '测试路' || i || '号'
     from (select 'pudong' as d, i from generate_series(1, $1::int) i
           union all select 'huangpu', i from generate_series(1, 2000) i) s`,
  [N],
);
await pool.query(
  `insert into shop_risk (party_id, district_id, level, level_since, rules_version, last_inspected_at, last_outcome,
                          last_notes, next_due_on)
   select id, district_id,
          case when r < 0.03 then 'high' when r < 0.15 then 'medium' else 'low' end,
          now() - interval '90 days', '2026.1', now() - interval '3 days',
          case when r < 0.05 then 'problem' else 'compliant' end, case when r < 0.05 then '门前堆物' else '' end,
          current_date + ((r * 40)::int - 10)
     from (select id, district_id, random() as r from parties where kind = 'unit') p`,
);
await pool.query(
  `insert into shop_risk_history (party_id, district_id, from_level, to_level, source, rules_version, reason, at)
   select party_id, district_id, null, 'medium', 'initial', '2026.1', 'initial', now() - interval '180 days' from shop_risk
   union all
   select party_id, district_id, 'medium', level, 'rule', '2026.1', 'lower.cleanCycles', now() - interval '90 days'
     from shop_risk where level <> 'medium'`,
);
await pool.query(
  `insert into shop_inspections (party_id, district_id, level, outcome, notes, inspected_at, inspected_on, inspected_by)
   select s.party_id, s.district_id, s.level, 'compliant', '', now() - (k * 10 || ' days')::interval,
          current_date - k * 10, $1
     from shop_risk s cross join generate_series(1, 3) k`,
  [patrolId],
);
await pool.query(
  `insert into shop_level_daily (district_id, on_date, high, medium, low)
   select 'pudong', current_date - k, ($1 * 0.03)::int, ($1 * (0.20 - k / 180.0 * 0.08))::int,
          $1 - ($1 * 0.03)::int - ($1 * (0.20 - k / 180.0 * 0.08))::int
     from generate_series(0, 180) k`,
  [N],
);
await pool.query(
  `insert into cameras (district_id, name, source)
   select 'pudong', '摄像头' || i, '{"kind":"snapshot","url":"http://10.0.0.1/s.jpg"}' from generate_series(1, 100) i`,
);
await pool.query(`insert into camera_health (camera_id, last_frame_at) select id, now() from cameras`);
await pool.query(
  `insert into zones (camera_id, name, kind, definition)
   select c.id, '门前' || k, 'shop_front',
          jsonb_build_object('frontLine', jsonb_build_object('partyId',
            (select id::text from parties where name = '商户' || (c.n * 2 + k) and district_id = 'pudong')))
     from (select id, row_number() over (order by id) as n from cameras) c cross join generate_series(0, 1) k`,
);
// the shops were given their levels above: nothing is left for the first page to level
await pool.query('delete from shop_risk_pending');
// as autovacuum would have done on a live database (index-only scans need the visibility map)
await pool.query('vacuum analyze');
const seeded = (
  await pool.query<{ s: string; h: string; i: string }>(
    `select (select count(*) from shop_risk where district_id = 'pudong') s, (select count(*) from shop_risk_history) h,
            (select count(*) from shop_inspections) i`,
  )
).rows[0]!;
console.log(
  `seeded in ${fmt((performance.now() - t0) / 1000)} s: ${seeded.s} shops in the district, ${seeded.h} history rows, ${seeded.i} inspections`,
);

const { app, close } = await benchApp({ pool, databaseUrl: db.url, dataDir, prefix: 'benchshops' });
const signIn = (server: FastifyInstance, username: string) =>
  benchSignIn(server, username, 'bench password 123');
const patrol = await signIn(app, 'bench_patrol');
const staff = await signIn(app, 'bench_staff');
const someShop = (
  await pool.query<{ id: string }>(`select id from parties where name = '商户7' and district_id = 'pudong'`)
).rows[0]!.id;

const targets: { name: string; url: string; cookie: string; expect: string }[] = [
  { name: 'baseline: complaints list (empty)', url: '/staff/complaints', cookie: staff, expect: '<h1>' },
  { name: 'due list (/staff/inspections)', url: '/staff/inspections', cookie: patrol, expect: 'due-card' },
  { name: 'shops by level (/staff/shops)', url: '/staff/shops', cookie: staff, expect: 'low-share-chart' },
  {
    name: 'shops filtered (level, name, overdue)',
    url: `/staff/shops?level=low&q=${encodeURIComponent('商户1')}&overdue=true`,
    cookie: staff,
    expect: 'low-share-chart',
  },
  {
    name: 'one shop (/staff/shops/:id)',
    url: `/staff/shops/${someShop}`,
    cookie: staff,
    expect: 'level-history',
  },
];

// warm up every page once, then take the samples interleaved so that load on the machine hits all alike
for (const t of targets) {
  const res = await app.inject({ method: 'GET', url: t.url, headers: { cookie: t.cookie } });
  if (res.statusCode !== 200 || !res.body.includes(t.expect)) throw new Error(`${t.url}: ${res.statusCode}`);
}
const timings = new Map<string, number[]>(targets.map((t) => [t.name, []]));
for (let i = 0; i < SAMPLES; i++) {
  for (const t of targets) {
    const start = performance.now();
    const res = await app.inject({ method: 'GET', url: t.url, headers: { cookie: t.cookie } });
    timings.get(t.name)!.push(performance.now() - start);
    if (res.statusCode !== 200) throw new Error(`${t.url}: ${res.statusCode}`);
  }
}
const base = stats(timings.get(targets[0]!.name)!);
for (const t of targets) {
  const s = stats(timings.get(t.name)!);
  console.log(
    `${t.name.padEnd(40)} median ${fmt(s.median, 1).padStart(6)} ms, p95 ${fmt(s.p95, 1).padStart(6)} ms  (p95 ${fmt(s.p95 / base.p95, 2)}x baseline)`,
  );
}
await close();
if (values.keep) await pool.end();
else await db.drop();
await rm(dataDir, { recursive: true, force: true });
