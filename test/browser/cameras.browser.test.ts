import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let camServer: http.Server;
let frames: TestFrames;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedDistrict(ctx.pool, 'huangpu');
  await seedStaff(ctx.pool, 'pd_staff', 'district_staff', 'pudong');
  await seedStaff(ctx.pool, 'hp_staff', 'district_staff', 'huangpu');
  frames = await extractTestFrames(2);
  camServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(frames.jpegs[0]);
  });
  camServer.listen(0, '127.0.0.1');
  await once(camServer, 'listening');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  camServer.close();
  await frames.cleanup();
  await ctx.close();
});

describe('camera registry in the browser', () => {
  it('a district staff user adds a camera, sees its live frame, draws a zone, saves, and sees it listed; another district cannot open it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'pd_staff', 'a long test password');
    expect(new URL(page.url()).pathname).toBe('/staff/cameras');

    await page.click('#add-camera');
    await page.fill('#name', 'Lujiazui market gate');
    await page.fill('#address', '浦东新区陆家嘴环路 1000 号');
    await page.selectOption('#kind', 'snapshot');
    const camPort = (camServer.address() as AddressInfo).port;
    await page.fill('#location', `http://127.0.0.1:${camPort}/snapshot.jpg`);
    await Promise.all([
      page.waitForURL(/\/staff\/cameras\/[0-9a-f-]{36}$/),
      page.click('button[type=submit]'),
    ]);
    const cameraUrl = page.url();

    await page.click('#grab');
    // the frame's size is shown once the image has loaded
    await expect.poll(() => page.textContent('#frame-info'), { timeout: 20_000 }).toMatch(/^\d+×\d+$/);

    await page.fill('#zone-name', 'Gate no-stall zone');
    await page.selectOption('#zone-kind', 'no_stall');
    const canvas = page.locator('#overlay');
    const box = (await canvas.boundingBox())!;
    for (const [fx, fy] of [
      [0.1, 0.55],
      [0.45, 0.55],
      [0.45, 0.9],
      [0.1, 0.9],
    ] as const) {
      await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
    }
    await page.keyboard.press('Enter');
    await page.click('#save-zones');
    await page.waitForSelector('#zones-status:has-text("已保存为第")');
    await screenshot(page, 'camera-zone-drawn');

    await page.goto(`${baseUrl}/staff/cameras`);
    const row = page.locator('#camera-list tr', { hasText: 'Lujiazui market gate' });
    await expect(row.count()).resolves.toBe(1);
    const zones = await ctx.pool.query(`select name, kind from zones where deleted_at is null`);
    expect(zones.rows).toEqual([{ name: 'Gate no-stall zone', kind: 'no_stall' }]);
    expect(errors).toEqual([]);

    const other = await browser.newPage();
    await signIn(other, baseUrl, 'hp_staff', 'a long test password');
    const response = await other.goto(cameraUrl);
    expect(response?.status()).toBe(403);
    await expect(other.locator('#camera-list tr', { hasText: 'Lujiazui' }).count()).resolves.toBe(0);
    await other.goto(`${baseUrl}/staff/cameras`);
    expect(await other.locator('#camera-list tbody tr').count()).toBe(0);
  }, 90_000);
});
