import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { INLINE_REFRESH_LIMIT, StatsSummaryService } from '../../src/stats/stats-summary.service.js';
import type { StatsFilterInput } from '../../src/stats/stats.service.js';
import { StatsService } from '../../src/stats/stats.service.js';
import { STATS_DIMENSIONS } from '../../src/stats/stats-query.js';
import { createTestContext, type TestContext } from '../support/test-app.js';
import { seedStatsFixture, type StatsSeed } from './stats-seed.js';

/*
 * The statistics summary (migration 0038) against the source tables: every figure read from the summary equals
 * the live query's, for whole months (month rows), parts of months (day rows) and both, with each filter; a change
 * reaches the next read; a large backlog is read live until the refresh catches up.
 */

const admin: StaffPrincipal = {
  id: '00000000-0000-0000-0000-000000000001',
  username: 'admin',
  displayName: 'admin',
  role: 'admin',
  districtId: null,
};
const NOW = () => new Date('2026-04-15T04:00:00Z');

let ctx: TestContext;
let seed: StatsSeed;
let summary: StatsService;
let live: StatsService;

/** Maps as sorted objects and row lists in key order, so that two answers compare whatever their row order. */
const normal = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Map ? Object.fromEntries([...(v as Map<string, unknown>).entries()].sort()) : v,
    ),
  );
const sortRows = (rows: { key: string }[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));

async function expectSame(input: StatsFilterInput): Promise<void> {
  const a = await summary.resolveQuery(admin, input);
  for (const by of STATS_DIMENSIONS) {
    const fromSummary = await summary.pipeline(a, by);
    const fromTables = await live.pipeline(a, by);
    expect(
      normal({ ...fromSummary, rows: sortRows(fromSummary.rows) }),
      `${JSON.stringify(input)} by ${by}`,
    ).toEqual(normal({ ...fromTables, rows: sortRows(fromTables.rows) }));
  }
  expect(normal(await summary.overview(a))).toEqual(normal(await live.overview(a)));
  expect(normal(await summary.payments(a))).toEqual(normal(await live.payments(a)));
  expect(normal(await summary.cases(a))).toEqual(normal(await live.cases(a)));
}

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedStatsFixture(ctx.pool);
  summary = new StatsService(ctx.pool, NOW);
  live = new StatsService(ctx.pool, NOW, { summary: false });
}, 120_000);
afterAll(async () => ctx?.close());

describe('the statistics summary', () => {
  it('gives the figures of the source tables for whole months, parts of months and both, with every filter', async () => {
    await expectSame({ from: '2026-03-01', to: '2026-03-31' });
    await expectSame({ from: '2026-03-01', to: '2026-03-31', district: 'pd' });
    await expectSame({ from: '2026-02-20', to: '2026-04-10' });
    await expectSame({ from: '2026-03-05', to: '2026-03-31', district: 'pd' });
    await expectSame({ from: '2026-02-01', to: '2026-04-14', rule: 'street_stall' });
    await expectSame({ from: '2026-02-01', to: '2026-04-14', type: 'illegal_dumping' });
    await expectSame({ from: '2026-02-01', to: '2026-04-14', camera: seed.cameraA });
    // the summary was read, not the tables: every mark was handled and the rows are there
    const marks = await ctx.pool.query('select 1 from stats_summary_dirty');
    expect(marks.rowCount).toBe(0);
    const months = await ctx.pool.query(
      "select sum(violations)::int as n from stats_summary_counts where grain = 'month' and day = '2026-03-01'",
    );
    expect(months.rows[0].n).toBeGreaterThan(0);
  });

  it('shows a change on the next read', async () => {
    const q = await summary.resolveQuery(admin, { from: '2026-03-01', to: '2026-03-31', district: 'pd' });
    const before = await summary.pipeline(q, 'camera');
    const pending = before.violations.get(seed.cameraA)!.pending_review;
    expect(pending).toBeGreaterThan(0);
    // a reviewer rejects the pending violation of camera A, and a late payment comes in for a decided case
    const { rows } = await ctx.pool.query<{ id: string }>(
      `update violations set status = 'rejected'
        where id = (select id from violations where camera_id = $1 and status = 'pending_review' limit 1) returning id`,
      [seed.cameraA],
    );
    await ctx.pool.query(
      `insert into review_tasks (violation_id, district_id, stage, status, violation_type, camera_id, decision, decided_at)
       select id, district_id, 'evidence', 'done', violation_type, camera_id, 'reject', '2026-04-02T02:00:00Z'
         from violations where id = $1`,
      [rows[0]!.id],
    );
    const after = await summary.pipeline(q, 'camera');
    expect(after.violations.get(seed.cameraA)!.pending_review).toBe(pending - 1);
    expect(after.reviews.get(seed.cameraA)!.rejected).toBe(before.reviews.get(seed.cameraA)!.rejected + 1);
    await expectSame({ from: '2026-03-01', to: '2026-03-31', district: 'pd' });
  });

  it('estimates step times from the histograms when the query is large, the median within a bucket of the exact figure', async () => {
    const estimating = new StatsService(ctx.pool, NOW, { exactStepTimesUpTo: 0 });
    const q = await estimating.resolveQuery(admin, { from: '2026-03-01', to: '2026-03-31' });
    const estimated = new Map((await estimating.cases(q)).durations.map((d) => [d.step, d]));
    const exact = new Map((await live.cases(q)).durations.map((d) => [d.step, d]));
    for (const step of ['review', 'filing', 'decision', 'payment'] as const) {
      const e = estimated.get(step)!;
      const x = exact.get(step)!;
      expect(e.estimated).toBe(true);
      expect(e.n).toBe(x.n);
      expect(Math.abs(e.median_s! / x.median_s! - 1)).toBeLessThan(0.19);
      // the fixture has a few times per step: the 90th percentile falls between two of them in other buckets
      expect(Math.abs(e.p90_s! / x.p90_s! - 1)).toBeLessThan(0.3);
    }
  });

  it('reads the source tables while a large backlog waits, and the summary once the refresh has caught up', async () => {
    const service = new StatsSummaryService(ctx.pool);
    // a bulk change: more marked days than a read handles itself
    await ctx.pool.query(
      `insert into stats_summary_dirty (kind, district_id, day)
       select 'capture', 'pd', date '2026-01-01' + i from generate_series(0, $1::int) i`,
      [INLINE_REFRESH_LIMIT],
    );
    expect(await service.prepare('pd')).toBe(false);
    // another district's reads are not held up by it
    expect(await service.prepare('xh')).toBe(true);
    await expectSame({ from: '2026-01-01', to: '2026-03-31', district: 'pd' });
    // what the notify worker's scheduled job runs
    expect(await service.refreshAll()).toBeGreaterThan(INLINE_REFRESH_LIMIT);
    expect(await service.prepare('pd')).toBe(true);
    expect((await ctx.pool.query('select 1 from stats_summary_dirty')).rowCount).toBe(0);
    await expectSame({ from: '2026-01-01', to: '2026-03-31', district: 'pd' });
  });

  it('marks a day when a case is decided or a payment settles, and its old day when they move', async () => {
    const { rows } = await ctx.pool.query<{ id: string; decided_at: Date }>(
      `select k.id, k.decided_at from cases k where k.district_id = 'pd' and k.decided_at is not null limit 1`,
    );
    const kase = rows[0]!;
    await new StatsSummaryService(ctx.pool).refreshAll();
    await ctx.pool.query(`update cases set decided_at = decided_at + interval '40 days' where id = $1`, [
      kase.id,
    ]);
    const marks = await ctx.pool.query<{ kind: string; day: string }>(
      `select kind, day::text from stats_summary_dirty where district_id = 'pd' and kind = 'decided' order by day`,
    );
    expect(marks.rows.length).toBe(2);
    await expectSame({ from: '2026-03-01', to: '2026-05-31' });
    await ctx.pool.query(`update cases set decided_at = $2 where id = $1`, [kase.id, kase.decided_at]);
    await ctx.pool.query(`update payments set status = 'failed' where case_id = $1 and status = 'paid'`, [
      kase.id,
    ]);
    await expectSame({ from: '2026-03-01', to: '2026-05-31' });
  });
});
