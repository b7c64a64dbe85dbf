import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
import { collectPageErrors, launchBrowser, signIn } from '../support/browser.js';
import { seedCamera, seedViolationForReview } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/**
 * A session that expires while a member of staff is working does not lose the work: the next API call opens a
 * sign-in dialog in the page, and once signed in the same call is sent again.
 */
let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let camServer: http.Server;
let frames: TestFrames;
const PASSWORD = 'a long test password';

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedStaff(ctx.pool, 'pd_staff', 'district_staff', 'pudong');
  await seedStaff(ctx.pool, 'ev_reviewer', 'evidence_reviewer', 'pudong');
  frames = await extractTestFrames(1);
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
  camServer?.close();
  await frames?.cleanup();
  await ctx?.close();
});

/** The session ends on the server while the page stays open, as it does when its time runs out. */
async function expireSessions(): Promise<void> {
  await ctx.pool.query('delete from staff_sessions');
}

async function signInInDialog(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.waitForSelector('dialog#reauth[open]');
  await page.fill('#reauth-username', username);
  await page.fill('#reauth-password', password);
  await page.click('#reauth-submit');
}

describe('an expired session in the browser', () => {
  it('a zone drawn before the session expired is saved after signing in again in the dialog', async () => {
    const staff = await new TestClient(ctx.app).login('pd_staff', PASSWORD);
    const port = (camServer.address() as AddressInfo).port;
    const created = await staff.request('POST', '/api/cameras', {
      name: 'Expiry gate',
      source: { kind: 'snapshot', url: `http://127.0.0.1:${port}/snap.jpg` },
    });
    expect(created.statusCode).toBe(201);
    const cameraId = created.json().id as string;

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'pd_staff', PASSWORD);
    await page.goto(`${baseUrl}/staff/cameras/${cameraId}`);
    await page.click('#grab');
    await expect.poll(() => page.textContent('#frame-info'), { timeout: 20_000 }).toMatch(/^\d+×\d+$/);

    await page.fill('#zone-name', 'Drawn before expiry');
    await page.selectOption('#zone-kind', 'no_stall');
    const box = (await page.locator('#overlay').boundingBox())!;
    for (const [fx, fy] of [
      [0.1, 0.5],
      [0.5, 0.5],
      [0.5, 0.9],
      [0.1, 0.9],
    ] as const) {
      await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
    }
    await page.keyboard.press('Enter');

    await expireSessions();
    await page.click('#save-zones');
    // a wrong password keeps the dialog open with a message; the right one completes the save
    await signInInDialog(page, 'pd_staff', 'not the password');
    await expect.poll(() => page.textContent('#reauth-error')).toMatch(/用户名或密码错误/);
    await signInInDialog(page, 'pd_staff');
    await page.waitForSelector('#zones-status:has-text("已保存为第")');
    expect(await page.locator('dialog#reauth').count()).toBe(0);
    expect(page.url()).toBe(`${baseUrl}/staff/cameras/${cameraId}`);
    const zones = await ctx.pool.query(`select name from zones where camera_id = $1 and deleted_at is null`, [
      cameraId,
    ]);
    expect(zones.rows).toEqual([{ name: 'Drawn before expiry' }]);
    expect(errors).toEqual([]);
  }, 90_000);

  it('a typed rejection is sent after signing in again, and closing the dialog keeps the page as it was', async () => {
    const cameraId = await seedCamera(ctx.pool, 'pudong', 'Expiry review camera');
    const { taskId, violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'ev_reviewer', PASSWORD);
    await page.goto(`${baseUrl}/review`);
    await Promise.all([page.waitForURL(`${baseUrl}/review/tasks/${taskId}`), page.click('#start')]);

    await page.fill('#reason-text', 'vendor left before the second frame');
    await expireSessions();
    await page.click('#reject');
    await page.waitForSelector('dialog#reauth[open]');
    // closing the dialog: the request is refused as before, nothing typed is lost
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog#reauth').count()).toBe(0);
    expect(page.url()).toBe(`${baseUrl}/review/tasks/${taskId}`);
    await expect.poll(() => page.textContent('#decision-error')).not.toBe('');
    expect(await page.inputValue('#reason-text')).toBe('vendor left before the second frame');

    await page.click('#reject');
    await signInInDialog(page, 'ev_reviewer');
    await page.waitForURL((url) => url.href !== `${baseUrl}/review/tasks/${taskId}`);
    const decided = await ctx.pool.query(`select status from review_tasks where id = $1`, [taskId]);
    expect(decided.rows[0].status).toBe('done');
    const violation = await ctx.pool.query(`select status from violations where id = $1`, [violationId]);
    expect(violation.rows[0].status).toBe('rejected');
    expect(errors).toEqual([]);
  }, 90_000);
});
