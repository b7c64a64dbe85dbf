import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, signIn } from '../support/browser.js';
import { seedCamera } from '../support/seed-violations.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';
import {
  alertEnv,
  alertHarness,
  bringCameraBack,
  setContact,
  startWebhookPeer,
  takeCameraDown,
  type AlertHarness,
  type WebhookPeer,
} from '../alerts/alert-fixtures.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let peer: WebhookPeer;
let h: AlertHarness;

beforeAll(async () => {
  peer = await startWebhookPeer();
  ctx = await createTestContext(alertEnv(peer.url));
  h = alertHarness(ctx);
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  const staff = await seedStaff(ctx.pool, 'alb_staff', 'district_staff', 'pudong');
  await setContact(ctx.pool, staff.id, '13800000003', null);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
  await peer?.close();
});

describe('alerts in the browser', () => {
  it('a camera taken offline raises an alert shown on /staff/alerts and the camera page, resolved when it is back', async () => {
    const cameraId = await seedCamera(ctx.pool, 'pudong', '陆家嘴路口');
    await takeCameraDown(ctx.pool, cameraId, 5);
    await h.evaluation().sweep();

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'alb_staff', 'a long test password');

    await page.goto(`${baseUrl}/staff/alerts`);
    const row = page.locator(`#alerts tr[data-camera="${cameraId}"][data-kind="camera_offline"]`);
    await expect.poll(() => row.getAttribute('data-state')).toBe('open');
    expect(await row.textContent()).toContain('摄像头离线');
    expect(await row.textContent()).toContain('陆家嘴路口');

    // the camera page has it too
    await page.goto(`${baseUrl}/staff/cameras/${cameraId}`);
    const onCamera = page.locator('#camera-alerts li[data-kind="camera_offline"]');
    expect(await onCamera.count()).toBe(1);

    // its page: the figures and history, acknowledged with the button
    await Promise.all([page.waitForURL(/\/staff\/alerts\/[0-9a-f-]{36}$/), onCamera.locator('a').click()]);
    expect(await page.locator('#alert-history tr[data-event="opened"]').count()).toBe(1);
    expect(await page.locator('#alert-history tr[data-event="notified"]').count()).toBe(2);
    await Promise.all([page.waitForURL(/\/staff\/alerts\/[0-9a-f-]{36}$/), page.click('#alert-acknowledge')]);
    expect(await page.locator('#alert').getAttribute('data-state')).toBe('acknowledged');
    const alertUrl = page.url();

    // the camera comes back: the next evaluation resolves the alert
    await bringCameraBack(ctx.pool, cameraId);
    await h.evaluation().sweep();
    await page.goto(alertUrl);
    expect(await page.locator('#alert').getAttribute('data-state')).toBe('resolved');
    expect(await page.locator('#alert-history tr[data-event="resolved"]').count()).toBe(1);
    expect(await page.locator('#alert-resolve').count()).toBe(0);

    await page.goto(`${baseUrl}/staff/alerts?state=resolved`);
    expect(await row.getAttribute('data-state')).toBe('resolved');
    await page.goto(`${baseUrl}/staff/alerts?state=unresolved`);
    expect(await row.count()).toBe(0);
    await page.goto(`${baseUrl}/staff/cameras/${cameraId}`);
    expect(await page.locator('#camera-alerts li').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
