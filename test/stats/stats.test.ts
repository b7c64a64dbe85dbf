import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { statsSection } from '../../src/stats/stats-pages.service.js';
import { StatsService } from '../../src/stats/stats.service.js';
import { staffI18n } from '../../src/web/i18n/index.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';
import { seedStatsFixture, type StatsSeed } from './stats-seed.js';

const DAY_S = 86_400;
const staff = (role: StaffPrincipal['role'], districtId: string | null): StaffPrincipal => ({
  id: '00000000-0000-0000-0000-000000000001',
  username: role,
  displayName: role,
  role,
  districtId,
});
const pdStaff = staff('district_staff', 'pd');
const admin = staff('admin', null);
const MARCH = { from: '2026-03-01', to: '2026-03-31' };
const zh = staffI18n('zh');

let ctx: TestContext;
let seed: StatsSeed;
let stats: StatsService;

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedStatsFixture(ctx.pool);
  stats = new StatsService(ctx.pool, () => new Date('2026-04-15T04:00:00Z'));
}, 120_000);
afterAll(async () => ctx?.close());

describe('the statistics query layer', () => {
  it('counts frames, candidates, violations and reviews per camera, in the period and the district only', async () => {
    const q = await stats.resolveQuery(pdStaff, MARCH);
    expect(q.districtId).toBe('pd');
    const f = await stats.pipeline(q, 'camera');
    // A: frames 1-3 (the 28 Feb one is outside), detector ran on 2 of them and found 2 objects; B: 1 frame
    expect(f.frames.get(seed.cameraA)).toMatchObject({ frames: 3, detected_frames: 2, detected_objects: 2 });
    expect(f.frames.get(seed.cameraB)).toMatchObject({ frames: 1, detected_frames: 0 });
    expect(f.frames.has(seed.cameraC)).toBe(false);
    // A: v1, v2 and v3 (23:30 on 31 March, Beijing) but neither boundary violation outside; B: v4
    expect(f.violations.get(seed.cameraA)).toMatchObject({
      violations: 3,
      approved: 1,
      rejected: 1,
      pending_review: 1,
    });
    expect(f.violations.get(seed.cameraB)).toMatchObject({ violations: 1, approved: 1 });
    // reviewed: v1 approved, v2 rejected at the evidence stage -> false-positive rate 1/2 for A
    expect(f.reviews.get(seed.cameraA)).toMatchObject({ reviewed: 2, approved: 1, rejected: 1 });
    expect(f.candidates.get(seed.cameraA)).toMatchObject({
      candidates: 3,
      warned: 2,
      corrected: 1,
      escalated: 1,
    });
    expect(f.rows.find((r) => r.key === seed.cameraA)?.name).toBe('甲路口');
    const daily = new Map(f.daily.map((d) => [d.day, d.violations]));
    expect(daily.get('2026-03-31')).toBe(1);
    expect(daily.has('2026-02-28')).toBe(false);
  });

  it('breaks down by street, rule and type, and filters by camera, rule and type', async () => {
    const q = await stats.resolveQuery(pdStaff, MARCH);
    const byStreet = await stats.pipeline(q, 'street');
    expect(byStreet.violations.get('陆家嘴街道')?.violations).toBe(3);
    expect(byStreet.violations.get('')?.violations).toBe(1);
    expect(byStreet.frames.get('陆家嘴街道')?.frames).toBe(3);
    const byRule = await stats.pipeline(q, 'rule');
    expect(byRule.reviews.get('street_stall')).toMatchObject({ reviewed: 2, rejected: 1 });
    expect(byRule.reviews.get('illegal_dumping')).toMatchObject({ reviewed: 1, rejected: 0 });
    expect(byRule.framesApply).toBe(false);
    const typed = await stats.pipeline(
      await stats.resolveQuery(pdStaff, { ...MARCH, type: 'illegal_dumping' }),
      'type',
    );
    expect([...typed.violations.keys()]).toEqual(['illegal_dumping']);
    const byCamera = await stats.pipeline(
      await stats.resolveQuery(pdStaff, { ...MARCH, camera: seed.cameraB }),
      'rule',
    );
    expect(byCamera.violations.get('illegal_dumping')?.violations).toBe(1);
    expect(byCamera.violations.has('street_stall')).toBe(false);
  });

  it('gives the time from capture to each step (median and 90th percentile)', async () => {
    const f = await stats.cases(await stats.resolveQuery(pdStaff, MARCH));
    const d = new Map(f.durations.map((x) => [x.step, x]));
    // review ends after 1 day (v1), 0.5 day (v2), 3 days (v4): median 1, p90 1 + 0.8 * 2 = 2.6 days
    expect(d.get('review')!.n).toBe(3);
    expect(d.get('review')!.median_s! / DAY_S).toBeCloseTo(1, 6);
    expect(d.get('review')!.p90_s! / DAY_S).toBeCloseTo(2.6, 6);
    // filing after 2 and 3 days, decision after 5 and 9, payment after 7 and 10
    expect(d.get('filing')!.median_s! / DAY_S).toBeCloseTo(2.5, 6);
    expect(d.get('filing')!.p90_s! / DAY_S).toBeCloseTo(2.9, 6);
    expect(d.get('decision')!.median_s! / DAY_S).toBeCloseTo(7, 6);
    expect(d.get('payment')!.median_s! / DAY_S).toBeCloseTo(8.5, 6);
    expect(f.states).toEqual([{ state: 'paid', cases: 2 }]);
    expect(f.statements).toEqual([{ channel: 'portal', review_status: 'accepted', statements: 1 }]);
    expect(f.hearings).toEqual([{ status: 'held', hearings: 1 }]);
    expect(f.afterDecision).toEqual([
      { event: 'review_started', detail: 'reconsideration', events: 1 },
      { event: 'review_concluded', detail: 'upheld', events: 1 },
    ]);
  });

  it('counts payments by channel with late fees, and the payment rate', async () => {
    const pd = await stats.payments(await stats.resolveQuery(pdStaff, MARCH));
    expect(pd.rate).toEqual({ decided: 2, paid: 2 });
    expect(pd.channels).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'online', payments: 1, amount_fen: 20000, late_fee_fen: 0 }),
        expect.objectContaining({
          channel: 'bank',
          payments: 1,
          amount_fen: 20300,
          late_fee_fen: 300,
          with_late_fee: 1,
        }),
      ]),
    );
    // the city: xh's case is decided and unpaid
    const city = await stats.payments(await stats.resolveQuery(admin, MARCH));
    expect(city.rate).toEqual({ decided: 3, paid: 2 });
  });

  it('counts complaints against their deadlines', async () => {
    const { rows } = await stats.complaints(await stats.resolveQuery(pdStaff, MARCH));
    expect(rows).toEqual([
      expect.objectContaining({
        district_id: 'pd',
        name: '浦东新区',
        received: 3,
        open: 1,
        open_overdue: 1,
        substantiated: 1,
        transferred: 1,
        answered_in_time: 1,
        answered_late: 1,
      }),
    ]);
  });

  it('gives admins the city and any district, and each section its tables', async () => {
    const city = await stats.pipeline(await stats.resolveQuery(admin, MARCH), 'district');
    expect(city.violations.get('pd')?.violations).toBe(4);
    expect(city.violations.get('xh')?.violations).toBe(1);
    const xh = await stats.resolveQuery(admin, { ...MARCH, district: 'xh' });
    expect(xh.districtId).toBe('xh');
    const overview = await statsSection(
      stats,
      'overview',
      await stats.resolveQuery(pdStaff, MARCH),
      'camera',
      zh,
    );
    const summary = overview.tables.find((t) => t.id === 'summary')!;
    const value = (figure: string) => summary.rows.find((r) => r[0] === figure)?.[1];
    expect(value('违法数')).toBe('4');
    expect(value('误报率')).toBe('33.3 %');
    expect(value('劝阻改正率')).toBe('50.0 %');
    expect(overview.tables.find((t) => t.id === 'daily')!.rows).toHaveLength(31);
    expect(overview.charts).toHaveLength(2);
  });

  it('refuses bad filters with a clear error', async () => {
    await expect(stats.resolveQuery(pdStaff, { from: '2026-03-31', to: '2026-03-01' })).rejects.toMatchObject(
      {
        statusCode: 400,
        message: expect.stringMatching(/reversed/),
      },
    );
    await expect(stats.resolveQuery(pdStaff, { from: '2025-01-01', to: '2026-03-01' })).rejects.toMatchObject(
      {
        statusCode: 400,
      },
    );
    await expect(stats.resolveQuery(pdStaff, { ...MARCH, district: 'nowhere' })).rejects.toMatchObject({
      statusCode: 400,
      message: 'unknown district "nowhere"',
    });
    await expect(stats.resolveQuery(pdStaff, { ...MARCH, district: 'xh' })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(stats.resolveQuery(pdStaff, { ...MARCH, camera: seed.cameraC })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(
      stats.resolveQuery(admin, { ...MARCH, district: 'pd', camera: seed.cameraC }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await expect(stats.resolveQuery(pdStaff, { ...MARCH, rule: 'nope' })).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(stats.resolveQuery(pdStaff, { ...MARCH, type: 'nope' })).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});

describe('the statistics pages and exports', () => {
  let pd: TestClient;
  let leader: TestClient;
  let reviewer: TestClient;

  beforeAll(async () => {
    const u = await seedStaff(ctx.pool, 'stats-pd', 'district_staff', 'pd');
    const l = await seedStaff(ctx.pool, 'stats-leader', 'leader', 'pd');
    const r = await seedStaff(ctx.pool, 'stats-reviewer', 'evidence_reviewer', 'pd');
    pd = await new TestClient(ctx.app).login(u.username, u.password);
    leader = await new TestClient(ctx.app).login(l.username, l.password);
    reviewer = await new TestClient(ctx.app).login(r.username, r.password);
  }, 60_000);

  it('shows each tab in Chinese to the roles that read figures', async () => {
    for (const tab of ['overview', 'pipeline', 'cases', 'payments', 'complaints']) {
      const res = await leader.request('GET', `/staff/stats?tab=${tab}&from=2026-03-01&to=2026-03-31`);
      expect(res.statusCode, tab).toBe(200);
      expect(res.body).toContain('统计分析');
      expect(res.body).toContain('<svg');
    }
    const pipeline = await pd.request(
      'GET',
      '/staff/stats?tab=pipeline&by=street&from=2026-03-01&to=2026-03-31',
    );
    expect(pipeline.body).toContain('陆家嘴街道');
    expect(pipeline.body).toContain('误报率');
    expect((await reviewer.request('GET', '/staff/stats')).statusCode).toBe(403);
  });

  it('answers bad filters with 4xx pages, never 500', async () => {
    expect((await pd.request('GET', '/staff/stats?from=2026-03-31&to=2026-03-01')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/stats?from=2025-01-01&to=2026-03-31')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/stats?district=nowhere')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/stats?district=xh')).statusCode).toBe(403);
    expect((await pd.request('GET', '/staff/stats?tab=secret')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/stats?camera=%27%3Bdrop')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/stats/export.csv?table=nope')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/stats/export.xlsx?table=volume&district=xh')).statusCode).toBe(
      403,
    );
  });

  it('exports a table as CSV for Excel that reads back', async () => {
    const res = await pd.request(
      'GET',
      '/staff/stats/export.csv?table=volume&by=camera&from=2026-03-01&to=2026-03-31',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toContain('stats-volume-2026-03-01-2026-03-31.csv');
    expect(res.body.startsWith('\uFEFF摄像头,采样帧数')).toBe(true);
    const lines = res.body.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContain('甲路口,3,2,2,3,3,1,1,1');
  });

  it('exports the violations one by one, escaping formula cells', async () => {
    await ctx.pool.query(`update cameras set name = '=HYPERLINK("x")' where id = $1`, [seed.cameraB]);
    try {
      const res = await pd.request(
        'GET',
        '/staff/stats/export.csv?table=violations&from=2026-03-01&to=2026-03-31',
      );
      const lines = res.body.slice(1).trim().split('\r\n');
      expect(lines).toHaveLength(5);
      expect(res.body).toContain(`"'=HYPERLINK(""x"")"`);
      expect(res.body).not.toContain(',=HYPERLINK');
    } finally {
      await ctx.pool.query(`update cameras set name = '乙路口' where id = $1`, [seed.cameraB]);
    }
  });

  it('exports a table as XLSX that exceljs reads back', async () => {
    const res = await pd.request(
      'GET',
      '/staff/stats/export.xlsx?table=payments&from=2026-03-01&to=2026-03-31',
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('渠道');
    const amounts = [2, 3].map((r) => sheet.getRow(r).getCell(4).value).sort();
    expect(amounts).toEqual([200, 203]);
    const detail = await pd.request(
      'GET',
      '/staff/stats/export.xlsx?table=violations&from=2026-03-01&to=2026-03-31',
    );
    const book2 = new ExcelJS.Workbook();
    await book2.xlsx.load(detail.rawPayload as unknown as ArrayBuffer);
    expect(book2.worksheets[0]!.rowCount).toBe(5);
  });
});
