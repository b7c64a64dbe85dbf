import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';

/*
 * The queue board in Chromium, writable: the board's own scripts run under its content policy, list the queues,
 * and an admin's pause goes through with the CSRF token the page handed to them.
 */

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext({ QUEUE_BOARD: 'writable' });
  await seedStaff(ctx.pool, 'board_admin', 'admin', null);
  await ctx.queues.enqueue('deliver', { deliveryId: 'd-1' }, { jobId: 'board-browser-1' });
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('queue board in the browser', () => {
  it('an admin signs in, sees every queue, and pauses one', { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await page.goto(`${baseUrl}/admin/queues`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, baseUrl, 'board_admin', 'a long test password');
    await page.goto(`${baseUrl}/admin/queues/queue/deliver`);
    await expect
      .poll(() => page.locator('text=frame-retention').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => page.locator('text=case-sweep').count()).toBeGreaterThan(0);
    await screenshot(page, 'queue-board');
    const pauseResponse = page.waitForResponse((r) => r.url().endsWith('/api/queues/deliver/pause'));
    await page.locator('button[aria-haspopup="menu"]').click();
    await page.getByRole('menuitem', { name: /pause/i }).click();
    // the board asks before it acts
    await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
    expect((await pauseResponse).status()).toBe(200);
    expect(await ctx.queues.queue('deliver').isPaused()).toBe(true);
    // the only thing the content policy holds back is the board's web font from a third-party host
    expect(
      errors.filter((e) => !/^Loading the stylesheet 'https:\/\/fonts\.googleapis\.com\//.test(e)),
    ).toEqual([]);
  });
});
