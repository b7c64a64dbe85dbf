import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateSealKey } from '../../src/cases/seal-key.adapter.js';
import { loadCjkFont } from '../../src/documents/cjk-font.adapter.js';
import { verifySeal, type DocumentSeal } from '../../src/documents/seal.js';
import { StatsReportService } from '../../src/stats/stats-report.service.js';
import { StatsService } from '../../src/stats/stats.service.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';
import { seedStatsFixture } from './stats-seed.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedStatsFixture(ctx.pool);
}, 120_000);
afterAll(async () => ctx?.close());

describe('the monthly analysis report', () => {
  it('is generated on demand as a sealed PDF, listed with its history and downloaded', async () => {
    const u = await seedStaff(ctx.pool, 'report-pd', 'district_staff', 'pd');
    const l = await seedStaff(ctx.pool, 'report-leader', 'leader', 'pd');
    const pd = await new TestClient(ctx.app).login(u.username, u.password);
    const leader = await new TestClient(ctx.app).login(l.username, l.password);

    const made = await pd.request('POST', '/staff/stats/reports', { month: '2026-03' });
    expect(made.statusCode).toBe(303);
    expect((await pd.request('POST', '/staff/stats/reports', { month: '2026-13' })).statusCode).toBe(400);
    expect(
      (await pd.request('POST', '/staff/stats/reports', { month: '2026-03', district: 'xh' })).statusCode,
    ).toBe(403);
    // the leadership reads the reports but does not make them
    expect((await leader.request('POST', '/staff/stats/reports', { month: '2026-03' })).statusCode).toBe(403);

    const list = await leader.request('GET', '/staff/stats/reports');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('月度分析报告');
    const id = /data-report="([0-9a-f-]{36})"/.exec(list.body)![1]!;
    const file = await leader.request('GET', `/staff/stats/reports/${id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    const pdf = file.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { rows } = await ctx.pool.query<{ sha256: string; seal: DocumentSeal; trigger: string }>(
      'select sha256, seal, trigger from stats_reports where id = $1',
      [id],
    );
    expect(rows[0]!.trigger).toBe('staff');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(rows[0]!.sha256);
    const key = await loadOrCreateSealKey(ctx.config);
    expect(verifySeal(pdf, rows[0]!.seal, key.key)).toEqual({ valid: true });
    const audit = await ctx.pool.query(
      `select 1 from audit_log where action = 'stats.report_generated' and subject_id = $1`,
      [id],
    );
    expect(audit.rowCount).toBe(1);

    // another district's report is not found for this district's staff
    const other = await ctx.pool.query<{ id: string }>(
      `insert into stats_reports (district_id, month, storage_key, sha256, byte_size, trigger)
       values ('xh', '2026-03-01', 'reports/x.pdf', repeat('b', 64), 1, 'schedule') returning id`,
    );
    expect((await pd.request('GET', `/staff/stats/reports/${other.rows[0]!.id}/file`)).statusCode).toBe(404);
    await ctx.pool.query('delete from stats_reports where id = $1', [other.rows[0]!.id]);
  }, 120_000);

  it('is made by the monthly job for every district without last month’s, once', async () => {
    const now = () => new Date('2026-04-01T01:00:00Z');
    const key = await loadOrCreateSealKey(ctx.config);
    const font = await loadCjkFont({
      path: ctx.config.documentCjkFont,
      postscriptName: ctx.config.documentCjkFontName,
    });
    const service = new StatsReportService({
      pool: ctx.pool,
      blobs: ctx.blobs,
      stats: new StatsService(ctx.pool, now),
      tools: async () => ({ font, sealKey: key.key, sealFingerprint: key.fingerprint }),
      now,
    });
    // pd has March's already (made on demand above); xh does not
    expect(await service.runMonthly()).toBe(1);
    expect(await service.runMonthly()).toBe(0);
    const { rows } = await ctx.pool.query<{ district_id: string; trigger: string }>(
      `select district_id, trigger from stats_reports where month = '2026-03-01' order by district_id`,
    );
    expect(rows).toEqual([
      { district_id: 'pd', trigger: 'staff' },
      { district_id: 'xh', trigger: 'schedule' },
    ]);
  }, 120_000);
});
