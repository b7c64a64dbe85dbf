import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingCalendar } from '../../src/law/catalogue-store.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { seedCamera } from '../support/seed-violations.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  const cameraId = await seedCamera(ctx.pool, 'pudong', '世纪大道东方路口');
  await ctx.pool.query(`update cameras set latitude = 31.2304, longitude = 121.527 where id = $1`, [
    cameraId,
  ]);
  await seedStaff(ctx.pool, 'complaints_browser', 'district_staff', 'pudong');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('complaints, in the browser', () => {
  it('district staff take a complaint by the form, see its deadline and the reporter masked, and record the outcome', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'complaints_browser', 'a long test password');

    await page.goto(`${baseUrl}/staff/complaints`);
    await page.fill('#nc-place', '世纪大道东方路口西南角');
    await page.fill('#nc-lat', '31.2305');
    await page.fill('#nc-lon', '121.5271');
    await page.fill('#nc-content', '流动摊贩夜间占道经营');
    await page.fill('#nc-name', '赵六');
    await page.fill('#nc-phone', '13700002222');
    await Promise.all([
      page.waitForURL(/\/staff\/complaints\/[0-9a-f-]{36}$/),
      page.click('#new-complaint-submit'),
    ]);

    const today = shanghaiDateOf(new Date());
    expect(await page.locator('#complaint-status').getAttribute('data-status')).toBe('open');
    expect(await page.locator('#reply-due').textContent()).toBe(
      (await workingCalendar()).addWorkingDays(today, 5),
    );
    expect(await page.locator('#match').getAttribute('data-method')).toBe('coordinates');
    expect(await page.locator('#reporter-name').textContent()).toBe('赵*');
    expect(await page.locator('#reporter-phone').textContent()).toBe('137****2222');

    await Promise.all([page.waitForURL(/showReporter=true/), page.click('#show-reporter')]);
    expect(await page.locator('#reporter').getAttribute('data-shown')).toBe('true');
    expect(await page.locator('#reporter-name').textContent()).toBe('赵六');

    await page.selectOption('#oc-outcome', 'transferred');
    await page.fill('#oc-note', '属交通管理事项，不属本单位职责，已向举报人说明并移送');
    await page.fill('#oc-department', '浦东新区交通委员会');
    await Promise.all([
      page.waitForURL(/\/staff\/complaints\/[0-9a-f-]{36}$/),
      page.click('#outcome-submit'),
    ]);
    expect(await page.locator('#outcome-status').getAttribute('data-status')).toBe('transferred');
    expect(await page.locator('#outcome-department').textContent()).toBe('浦东新区交通委员会');
    expect(await page.locator('#reply').getAttribute('data-recipient')).toBe('reporter');
    expect(await page.locator('#reporter').getAttribute('data-shown')).toBe('false');
    await screenshot(page, 'complaint-outcome');

    await page.goto(`${baseUrl}/staff/complaints`);
    expect(await page.locator('#complaints tbody tr[data-status="transferred"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
