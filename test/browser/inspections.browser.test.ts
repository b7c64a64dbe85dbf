import { mkdtemp, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedParty } from '../support/seed-violations.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let shopId: string;
let photoPath: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  shopId = await seedParty(ctx.pool, 'pudong', '张记小吃店');
  await seedParty(ctx.pool, 'pudong', '李记水果店');
  await seedStaff(ctx.pool, 'inspect_patrol', 'patrol', 'pudong');
  await seedStaff(ctx.pool, 'inspect_staff', 'district_staff', 'pudong');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'inspection-photo-'));
  photoPath = path.join(dir, 'shop-front.jpg');
  await writeFile(
    photoPath,
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6' } })
      .jpeg()
      .toBuffer(),
  );
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('shop inspections, on a phone', () => {
  it('a patrol opens the due list, records an inspection with a photo, and the shop leaves the overdue list', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'inspect_patrol', 'a long test password');
    // the shops get their levels on the first read; then both are made overdue
    await page.goto(`${baseUrl}/staff/inspections`);
    await ctx.pool.query(`update shop_risk set next_due_on = current_date - 2`);
    await page.goto(`${baseUrl}/staff/inspections`);
    const card = page.locator(`.due-card[data-shop-id="${shopId}"]`);
    expect(await card.getAttribute('data-state')).toBe('overdue');
    expect(await page.locator('#overdue-count').getAttribute('data-n')).toBe('2');
    expect(await page.locator('h1').textContent()).toBe('巡查检查清单');
    // phone first: no sideways scrolling, and the button is a large touch target
    expect(
      await page.$eval('html', (root) => (root as unknown as { scrollWidth: number }).scrollWidth),
    ).toBeLessThanOrEqual(390);
    const button = card.locator('a.button.touch');
    const box = await button.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    expect(box!.width).toBeGreaterThan(300);
    await screenshot(page, 'inspections-due');

    await Promise.all([page.waitForURL(new RegExp(`/staff/inspections/${shopId}/new$`)), button.click()]);
    await page.locator('label.touch-choice', { hasText: '合规' }).click();
    await page.fill('#inspection-notes', '门前整洁，无占道经营');
    await page.setInputFiles('#inspection-photos', photoPath);
    expect(
      await page.$eval('html', (root) => (root as unknown as { scrollWidth: number }).scrollWidth),
    ).toBeLessThanOrEqual(390);
    await Promise.all([
      page.waitForURL(/\/staff\/inspections\?recorded=1$/),
      page.click('#inspection-submit'),
    ]);
    expect(await page.locator('#inspection-recorded').textContent()).toContain('检查结果已记录');
    expect(await page.locator(`.due-card[data-shop-id="${shopId}"]`).count()).toBe(0);
    expect(await page.locator('#overdue-count').getAttribute('data-n')).toBe('1');
    const stored = await ctx.pool.query<{ sha256: string }>(
      `select ph.sha256 from shop_inspection_photos ph join shop_inspections i on i.id = ph.inspection_id
        where i.party_id = $1`,
      [shopId],
    );
    expect(stored.rows).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('district staff see the shops by level in Chinese, with the chart and the overdue inspections', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'inspect_staff', 'a long test password');
    await page.goto(`${baseUrl}/staff/shops`);
    expect(await page.locator('h1').textContent()).toBe('商户分级分类监管');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#risk-counts a[data-level="medium"]').getAttribute('data-n')).toBe('2');
    expect(await page.locator('#shops-total').textContent()).toBe('2');
    expect(await page.locator('#low-share-chart polyline').count()).toBeGreaterThan(0);
    expect(await page.locator('#overdue-shops tbody tr[data-shop-id]').count()).toBe(1);
    expect(await page.locator('#overdue-title').textContent()).toContain('逾期未检');
    await page.click(`#shops a[href="/staff/shops/${shopId}"]`);
    await page.waitForURL(new RegExp(`/staff/shops/${shopId}$`));
    expect(await page.locator('#shop-inspections tbody tr[data-outcome="compliant"]').count()).toBe(1);
    await page.selectOption('#set-level select[name="level"]', 'low');
    await page.fill('#set-level input[name="reason"]', '连续检查无问题，摄像头未见违法');
    await Promise.all([
      page.waitForURL(new RegExp(`/staff/shops/${shopId}$`)),
      page.click('#set-level button'),
    ]);
    expect(await page.locator('#level-history tbody tr').first().getAttribute('data-source')).toBe('manual');
    await page.goto(`${baseUrl}/staff/shops`);
    expect(await page.locator('#low-share').textContent()).toBe('50%');
    await screenshot(page, 'shops-by-level');
    expect(errors).toEqual([]);
  });
});
