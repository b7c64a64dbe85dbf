import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';
import { seedStatsFixture, type StatsSeed } from '../stats/stats-seed.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let seed: StatsSeed;

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedStatsFixture(ctx.pool);
  await seedStaff(ctx.pool, 'stats_browser', 'leader', 'pd');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('statistics, in the browser', () => {
  it('shows the figures in Chinese with charts, filters them and exports a table', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'stats_browser', 'a long test password');

    await page.goto(`${baseUrl}/staff/stats?from=2026-03-01&to=2026-03-31`);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('h1').textContent()).toBe('统计分析');
    expect(await page.locator('#stats-charts svg').count()).toBe(2);
    expect(await page.locator('#stats-summary').textContent()).toContain('误报率');

    // the capture-and-review tab, by camera, filtered to one camera
    await Promise.all([page.waitForURL(/tab=pipeline/), page.click('#stats-tabs a[data-tab="pipeline"]')]);
    await page.selectOption('#camera', seed.cameraA);
    await page.selectOption('#by', 'camera');
    await Promise.all([page.waitForURL(/camera=/), page.click('#stats-apply')]);
    const rows = page.locator('#stats-volume tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').first().textContent()).toBe('甲路口');
    expect(await page.locator('#stats-review').textContent()).toContain('50.0 %');
    await screenshot(page, 'stats-pipeline');

    // the export link carries the filters and downloads a CSV for Excel
    const link = page.locator('section[data-table="volume"] a.export-csv');
    const href = (await link.getAttribute('href'))!;
    expect(href).toContain(`camera=${seed.cameraA}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('stats-volume-2026-03-01-2026-03-31.csv');
    const chunks: Buffer[] = [];
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.startsWith('\uFEFF摄像头')).toBe(true);
    expect(text).toContain('甲路口,3,2,2,3,3,1,1,1');

    // a reversed period is refused with a clear page, not an error
    const refused = await page.goto(`${baseUrl}/staff/stats?from=2026-03-31&to=2026-03-01`);
    expect(refused!.status()).toBe(400);
    expect(errors).toEqual([]);
  }, 120_000);
});
