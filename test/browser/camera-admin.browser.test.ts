import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

const VIDEO = path.resolve('fixtures/video/car-detection.mp4');

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedStaff(ctx.pool, 'ca_staff', 'district_staff', 'pudong');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx.close();
});

describe('camera administration in the browser', () => {
  it('adds a looping video-file camera, edits it, switches it off and on, tests its source, and fills its device register until it is eligible', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'ca_staff', 'a long test password');

    await page.click('#add-camera');
    await page.fill('#name', '陆家嘴回放');
    await page.selectOption('#kind', 'file');
    expect(await page.isVisible('#file-options')).toBe(true);
    expect(await page.isVisible('#stream-options')).toBe(false);
    expect(await page.isChecked('#loop')).toBe(true);
    await expect(page.textContent('#loop-hint')).resolves.toContain('停止采集');
    await page.fill('#location', 'relative.mp4');
    await page.click('#save-camera');
    await page.waitForSelector('#location-error');
    await expect(page.textContent('#location-error')).resolves.toContain('绝对路径');
    await page.fill('#location', VIDEO);
    await Promise.all([page.waitForURL(/\/staff\/cameras\/[0-9a-f-]{36}$/), page.click('#save-camera')]);
    const cameraId = page.url().split('/').pop()!;
    const source = async () =>
      (
        await ctx.pool.query('select source, sample_interval_s, enabled from cameras where id = $1', [
          cameraId,
        ])
      ).rows[0];
    expect((await source()).source).toMatchObject({ kind: 'file', loop: true });

    await page.click('#edit-link');
    await page.fill('#interval', '10');
    await Promise.all([page.waitForURL(`**/staff/cameras/${cameraId}`), page.click('#save-camera')]);
    expect((await source()).sample_interval_s).toBe(10);
    await expect(page.textContent('body')).resolves.toContain('10 秒');

    await page.goto(`${baseUrl}/staff/cameras/${cameraId}/edit`);
    await Promise.all([page.waitForURL(`**/edit`), page.click('#toggle-enabled')]);
    await page.waitForSelector('#enabled-state[data-enabled="no"]');
    expect((await source()).enabled).toBe(false);
    await page.click('#toggle-enabled');
    await page.waitForSelector('#enabled-state[data-enabled="yes"]');
    expect((await source()).enabled).toBe(true);

    await page.click('#test-source');
    await expect
      .poll(() => page.textContent('#test-result'), { timeout: 20_000 })
      .toMatch(/^取帧成功：\d+×\d+$/);
    await page.waitForSelector('#test-frame', { state: 'visible' });

    await page.click('#back-to-camera');
    await expect(page.getAttribute('#camera-eligibility', 'data-eligible')).resolves.toBe('no');
    await Promise.all([
      page.waitForURL(`**/register#legalReviewDate`),
      page.click('li[data-reason="legalReviewDate"] a.fix-link'),
    ]);
    await page.fill('#certificateId', 'CMC-2026-001');
    await page.fill('#legalReviewDate', '2026-10-01');
    await page.fill('#legalReviewer', '法制科 王');
    await page.fill('#technicalReviewDate', '2026-10-02');
    await page.fill('#technicalReviewer', '信息中心 李');
    await page.check('#published');
    await Promise.all([page.waitForURL(`**/register`), page.click('#save-register')]);
    await expect(page.textContent('#eligibility-reasons')).resolves.toContain('没有合格的维护或检测记录');

    await page.selectOption('#record-kind', 'test');
    await page.fill('#record-at', '2026-10-03T09:00');
    await page.fill('#record-by', '维保公司');
    await page.selectOption('#record-result', 'pass');
    await page.fill('#record-notes', '画面清晰，时钟准确');
    await Promise.all([page.waitForURL(`**/register#records`), page.click('#add-record')]);
    await expect(page.getAttribute('#camera-eligibility', 'data-eligible')).resolves.toBe('yes');
    await expect(page.textContent('#record-list')).resolves.toContain('维保公司');
    await expect(page.textContent('#record-list')).resolves.toContain('2026-10-03 09:00');
    await screenshot(page, 'camera-device-register');

    await page.goto(`${baseUrl}/devices`);
    await expect(page.textContent('body')).resolves.toContain('陆家嘴回放');
    expect(errors).toEqual([]);
  }, 90_000);
});
