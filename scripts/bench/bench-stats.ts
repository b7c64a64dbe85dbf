import { benchApp, benchSignIn } from './bench-app.js';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../../src/auth/password.js';
import { STATS_TAB_NAMES } from '../../src/stats/stats-tables.js';
import { StatsSummaryService } from '../../src/stats/stats-summary.service.js';
import { benchDatabase, fmt } from './bench-db.js';

/**
 * The statistics pages on a year of a city's data: seeds a private database (enf_bench_stats, dropped at the end)
 * with N violations (default 1,000,000) and everything in proportion (stats-seed.sql), then requests each tab of
 * /staff/stats repeatedly as a district's staff (the last 30 days, the default, and a whole year) and as an admin
 * (the whole city for a year), with a trivial page of the same app (/staff, the signed-in redirect) as the baseline
 * in the same run, and prints p50 and p95 and the ratio to the baseline's p95. Target: every page p95 < 500 ms.
 * Between the seed and the requests it builds the statistics summary (migration 0038) and prints how long that
 * took.
 *
 *   npm run bench:stats -- --violations 1000000 --samples 20
 */
const { values } = parseArgs({
  options: {
    violations: { type: 'string', default: '1000000' },
    samples: { type: 'string', default: '20' },
  },
});
const N = Number(values.violations);
const SAMPLES = Number(values.samples);

function percentiles(ms: number[]): { p50: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.ceil(s.length * p) - 1)]!;
  return { p50: at(0.5), p95: at(0.95) };
}

const db = await benchDatabase('enf_bench_stats');
const pool = db.pool;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-stats-'));
try {
  console.log(`seeding ${N.toLocaleString()} violations and the rest in proportion…`);
  const t0 = performance.now();
  const seedSql = await readFile(new URL('./stats-seed.sql', import.meta.url), 'utf8');
  const client = await pool.connect();
  try {
    await client.query(`select set_config('bench.violations', $1, false)`, [String(N)]);
    await client.query(seedSql);
    // what autovacuum does to tables in service: the visibility map lets counts come from the indexes alone
    await client.query('vacuum analyze');
  } finally {
    client.release();
  }
  const counts = (
    await pool.query<Record<string, number>>(
      `select (select count(*) from violations)::int as violations, (select count(*) from violation_candidates)::int as candidates,
              (select count(*) from review_tasks)::int as reviews, (select count(*) from cases)::int as cases,
              (select count(*) from payments)::int as payments, (select count(*) from stats_camera_days)::int as camera_days,
              (select count(*) from complaints)::int as complaints`,
    )
  ).rows[0]!;
  console.log(`seeded in ${fmt((performance.now() - t0) / 1000)} s: ${JSON.stringify(counts)}`);

  // The seed's inserts left their marks (the triggers of migration 0038); the summary is built from them by the
  // same refresh the notify worker schedules, batch after batch, as after migrating a database in service.
  const marks = (await pool.query<{ n: number }>('select count(*)::int as n from stats_summary_dirty'))
    .rows[0]!.n;
  const t1 = performance.now();
  const summary = new StatsSummaryService(pool);
  let handled = 0;
  for (let n = -1; n !== 0; handled += n) n = await summary.refresh(null);
  await pool.query('vacuum analyze');
  const summaryRows = (
    await pool.query<{ n: number }>(
      `select (select count(*) from stats_summary_counts) + (select count(*) from stats_summary_steps)
            + (select count(*) from stats_summary_candidates) + (select count(*) from stats_summary_decided)
            + (select count(*) from stats_summary_payments) as n`,
    )
  ).rows[0]!.n;
  console.log(
    `summary built in ${fmt((performance.now() - t1) / 1000)} s from ${marks.toLocaleString()} marked days (${handled.toLocaleString()} handled): ${summaryRows.toLocaleString()} rows`,
  );

  const password = 'bench password 123';
  const hash = await hashPassword(password);
  await pool.query(
    `insert into staff_users (username, display_name, password_hash, role, district_id)
     values ('bench_staff', '区工作人员', $1, 'district_staff', 'd01'), ('bench_admin', '管理员', $1, 'admin', null)`,
    [hash],
  );
  const { app, close } = await benchApp({ pool, databaseUrl: db.url, dataDir, prefix: 'benchstats' });
  // Right after a load of this size the first requests can fail while Postgres catches up: try a few times.
  const signIn = async (username: string, tries = 5): Promise<string> => {
    try {
      return await signInOnce(username);
    } catch (error) {
      if (tries <= 1) throw error;
      console.log(`${(error as Error).message.slice(0, 200)}; trying again`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      return signIn(username, tries - 1);
    }
  };
  const signInOnce = (username: string): Promise<string> => benchSignIn(app, username, password);
  const staff = await signIn('bench_staff');
  const admin = await signIn('bench_admin');
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() + 8 * 3_600_000 - 365 * 86_400_000).toISOString().slice(0, 10);

  const time = async (url: string, cookie: string, expect: number): Promise<{ p50: number; p95: number }> => {
    const ms: number[] = [];
    await app.inject({ method: 'GET', url, headers: { cookie } }); // warm-up, not counted
    for (let i = 0; i < SAMPLES; i++) {
      const t = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { cookie } });
      ms.push(performance.now() - t);
      if (res.statusCode !== expect) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    return percentiles(ms);
  };

  const baseline = await time('/staff', staff, 302);
  console.log(
    `\nbaseline /staff: p50 ${fmt(baseline.p50)} ms, p95 ${fmt(baseline.p95)} ms (${SAMPLES} requests)`,
  );
  console.log('\n| page | who, period | p50 ms | p95 ms | p95 / baseline p95 |');
  console.log('| --- | --- | ---: | ---: | ---: |');
  const rows: { label: string; p95: number }[] = [];
  const scenarios = [
    { who: 'district staff (d01), last 30 days', cookie: staff, qs: '' },
    { who: 'district staff (d01), 365 days', cookie: staff, qs: `&from=${yearAgo}&to=${today}` },
    { who: 'admin (city), 365 days', cookie: admin, qs: `&from=${yearAgo}&to=${today}` },
  ];
  for (const s of scenarios)
    for (const tab of STATS_TAB_NAMES) {
      const url = `/staff/stats?tab=${tab}${tab === 'pipeline' ? '&by=camera' : ''}${s.qs}`;
      const r = await time(url, s.cookie, 200);
      rows.push({ label: `${tab} / ${s.who}`, p95: r.p95 });
      console.log(`| ${tab} | ${s.who} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p95 / baseline.p95)} |`);
    }
  const slow = rows.filter((r) => r.p95 >= 500);
  console.log(
    slow.length === 0
      ? '\nevery statistics page p95 < 500 ms'
      : `\nover 500 ms p95: ${slow.map((r) => `${r.label} (${fmt(r.p95)} ms)`).join(', ')}`,
  );
  await close();
} finally {
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
}
