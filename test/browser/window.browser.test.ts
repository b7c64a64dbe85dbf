import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseService } from '../../src/cases/case.service.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { bringToPaymentDue, fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let stating: string;
let paying: string;
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);

beforeAll(async () => {
  ctx = await createTestContext();
  const seed = await seedPudong(ctx);
  await seedStaff(ctx.pool, 'window_browser', 'district_staff', 'pudong');
  stating = await fileCase(ctx, seed, (await seedCaseParty(ctx)).id);
  const cases = new CaseService(ctx.pool);
  await cases.apply(stating, { type: 'send_advance_notice', on: today }, system);
  await cases.apply(stating, { type: 'advance_notice_received', on: today }, system);
  paying = await fileCase(ctx, seed, (await seedCaseParty(ctx)).id);
  await bringToPaymentDue(ctx, paying, today);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('the window, in the browser', () => {
  it('district staff record a statement taken at the window and a payment at the bank counter from the case page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'window_browser', 'a long test password');

    await page.goto(`${baseUrl}/staff/cases/${stating}`);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('statement_window');
    await page.fill('#ws-body', '当事人到窗口陈述：当日系临时停靠卸货，已即时驶离。');
    await page.setInputFiles('#ws-files', { name: '送货单.jpg', mimeType: 'image/jpeg', buffer: JPEG });
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/cases/${stating}`),
      page.click('#window-statement-submit'),
    ]);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('statement_review');
    expect(await page.locator('#statements [data-channel="window"]').count()).toBe(1);
    expect(await page.locator('#statements').textContent()).toContain('送货单.jpg');
    await screenshot(page, 'case-window-statement');

    await page.goto(`${baseUrl}/staff/cases/${paying}`);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('payment_due');
    const due = Number(await page.locator('#window-due').getAttribute('data-fen'));
    expect(due).toBeGreaterThan(0);
    // Another amount is refused with the amount due, and nothing changes.
    await page.selectOption('#bp-channel', 'counter');
    await page.fill('#bp-receipt', 'ICBC20261206001');
    await page.fill('#bp-amount', String((due - 100) / 100));
    await page.click('#bank-payment-submit');
    expect(await page.locator('#bank-payment-error').textContent()).toContain(`${due} fen due`);
    await page.goto(`${baseUrl}/staff/cases/${paying}`);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('payment_due');

    await page.selectOption('#bp-channel', 'counter');
    await page.fill('#bp-receipt', 'ICBC20261206001');
    await page.fill('#bp-amount', (due / 100).toFixed(2));
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/cases/${paying}`),
      page.click('#bank-payment-submit'),
    ]);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('closed');
    expect(await page.locator('#payments [data-payment="paid"]').count()).toBe(1);
    expect(await page.locator('#bank-payment-form').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
