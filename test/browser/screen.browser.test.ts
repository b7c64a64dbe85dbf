import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameStore } from '../../src/storage/frame-store.js';
import { collectPageErrors, imagesLoaded, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';
import {
  insertAlert,
  insertCamera,
  insertCase,
  insertViolation,
  setHealth,
} from '../screen/screen-fixtures.js';

/*
 * The command screen in Chromium at 1920x1080: it opens in Chinese on a dark page that fits the wall without
 * scrolling, goes live on its event stream, and a violation, a case and an alert written to the database appear
 * on it without a reload; when the session lapses it says so.
 */

// The page's globals, for the functions run in Chromium (the tests are compiled without the DOM library).
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  getElementById(id: string): PageElement | null;
  documentElement: { scrollWidth: number; scrollHeight: number };
};
declare const window: unknown;
declare function getComputedStyle(element: unknown): { backgroundColor: string };

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
const cams: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestContext({ SCREEN_SNAPSHOT_SECONDS: '1', SCREEN_HEARTBEAT_SECONDS: '2' });
  const { pool } = ctx;
  await seedDistrict(pool, 'pudong', '浦东新区');
  await seedStaff(pool, 'wall_leader', 'leader', 'pudong');
  cams.a = await insertCamera(pool, 'pudong', '东方路', { latitude: 31.24, longitude: 121.5 });
  cams.b = await insertCamera(pool, 'pudong', '世纪大道', { latitude: 31.23, longitude: 121.52 });
  cams.c = await insertCamera(pool, 'pudong', '张杨路', { latitude: 31.225, longitude: 121.53 });
  // a full wall: more cameras than tiles (the rest are counted), these without coordinates
  for (let i = 1; i <= 27; i += 1) {
    const id = await insertCamera(pool, 'pudong', `路口 ${String(i).padStart(2, '0')}`);
    await pool.query('update cameras set sample_interval_s = 3600 where id = $1', [id]);
    await setHealth(pool, id, { lastFrameAt: new Date() });
  }
  const jpeg = await sharp({
    create: { width: 64, height: 36, channels: 3, background: { r: 30, g: 120, b: 200 } },
  })
    .jpeg()
    .toBuffer();
  const stored = await new FrameStore(ctx.blobs).put(jpeg);
  // a frame taken now: online for a while (five sample intervals of an hour)
  await pool.query('update cameras set sample_interval_s = 3600 where id = $1', [cams.a]);
  await setHealth(pool, cams.a, { lastFrameAt: new Date(), sha: stored.sha256 });
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('the command screen in the browser', () => {
  it('opens the stream again, with a delay, when it drops', { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'wall_leader', 'a long test password');
    // the first two attempts fail at the network; the third goes through
    let attempts = 0;
    await page.route('**/screen/events*', async (route) => {
      attempts += 1;
      if (attempts <= 2) await route.abort('connectionreset');
      else await route.continue();
    });
    await page.goto(`${baseUrl}/screen`);
    await page.waitForFunction(
      () => document.getElementById('live-state')?.getAttribute('data-state') === 'down',
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.textContent('#live-state')).toMatch(/^连接中断，\d+ 秒后重连$/);
    await page.waitForFunction(
      () => document.getElementById('live-state')?.getAttribute('data-state') === 'live',
      undefined,
      { timeout: 30_000 },
    );
    expect(attempts).toBe(3);
    await page.close();
    expect(errors.filter((e) => !/ERR_CONNECTION_RESET|EventSource/.test(e))).toEqual([]);
  });

  it('updates live, fits 1920x1080, and tells when the session is gone', { timeout: 150_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'wall_leader', 'a long test password');
    await page.goto(`${baseUrl}/screen`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toContain('可视化指挥大屏');
    expect(await page.textContent('#district-name')).toBe('浦东新区');
    expect(await page.textContent('#fig-violations .kpi-label')).toBe('今日违法');
    // dark theme: the page's background is near black
    const bg = await page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
    const [r, g, bl] = (bg.match(/\d+/g) ?? []).map(Number);
    expect(r! + g! + bl!).toBeLessThan(120);

    await page.waitForFunction(
      () => document.getElementById('live-state')?.getAttribute('data-state') === 'live',
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.textContent('#live-state')).toBe('实时更新中');
    await imagesLoaded(page, '.tile img');
    expect(await page.$$eval('#map-points circle', (c) => c.length)).toBe(3);
    expect(await page.$$eval('.tile', (t) => t.length)).toBe(24);
    expect(await page.textContent('#tiles-more')).toBe('另有 6 路未显示（异常优先显示）');
    expect(await page.textContent('#map-unplaced')).toBe('27 路未标注坐标');

    // nothing scrolls on the wall
    const size = await page.evaluate(() => ({
      w: document.documentElement.scrollWidth,
      h: document.documentElement.scrollHeight,
    }));
    expect(size.w).toBeLessThanOrEqual(1920);
    expect(size.h).toBeLessThanOrEqual(1080);
    await screenshot(page, 'command-screen');

    // the page is not reloaded: a mark left on its window survives the updates
    await page.evaluate(() => {
      (window as { screenMark: string }).screenMark = 'kept';
    });
    expect(await page.textContent('#fig-violations [data-field="value"]')).toBe('0');
    expect(await page.textContent('#alert-count')).toBe('0');
    const violationId = await insertViolation(ctx.pool, 'pudong', cams.b!, new Date());
    await page.waitForFunction(
      () => document.querySelector('#fig-violations [data-field="value"]')?.textContent === '1',
      undefined,
      { timeout: 30_000 },
    );
    await insertCase(ctx.pool, 'pudong', violationId, new Date());
    await insertAlert(ctx.pool, {
      subject: `camera:${cams.c}`,
      districtId: 'pudong',
      cameraId: cams.c!,
      severity: 'critical',
    });
    await page.waitForFunction(
      () =>
        document.querySelector('#fig-cases [data-field="value"]')?.textContent === '1' &&
        document.getElementById('alert-count')?.textContent === '1' &&
        (document.getElementById('alerts')?.textContent ?? '').includes('张杨路'),
      undefined,
      { timeout: 30_000 },
    );
    expect(await page.textContent('#alerts .alert-kind')).toBe('摄像头离线');
    await screenshot(page, 'command-screen-alert');
    // a camera starts failing: its tile says so
    await ctx.pool.query(
      `update camera_health set last_error_at = now(), last_error = 'timeout' where camera_id = $1`,
      [cams.a],
    );
    await page.waitForFunction(
      (id) => document.querySelector(`.tile[data-camera="${id}"]`)?.getAttribute('data-status') === 'failing',
      cams.a,
      { timeout: 30_000 },
    );
    expect(await page.evaluate(() => (window as { screenMark?: string }).screenMark)).toBe('kept');
    // still fits with an alert listed
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(1080);

    // the session lapses: the stream ends and the page asks to sign in again
    await ctx.pool.query(`update staff_sessions set expires_at = now() - interval '1 second'`);
    await page.waitForSelector('#signin-banner:not([hidden])', { timeout: 30_000 });
    expect(await page.textContent('#signin-banner')).toContain('登录已过期');
    expect(await page.getAttribute('#live-state', 'data-state')).toBe('signed-out');
    expect(errors).toEqual([]);
  });
});
