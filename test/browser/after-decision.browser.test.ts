import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { bringToPaymentDue, fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let caseId: string;
const today = shanghaiDateOf(new Date());

beforeAll(async () => {
  ctx = await createTestContext();
  const seed = await seedPudong(ctx);
  await seedStaff(ctx.pool, 'legal_browser', 'legal_reviewer', 'pudong');
  const { id } = await seedCaseParty(ctx);
  caseId = await fileCase(ctx, seed, id);
  await bringToPaymentDue(ctx, caseId, today);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('after the decision, in the browser', () => {
  it('a legal reviewer records a lawsuit and then the court’s judgment from the case page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'legal_browser', 'a long test password');
    await page.goto(`${baseUrl}/staff/cases/${caseId}`);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('payment_due');
    expect(await page.locator('#referral-window').textContent()).toMatch(/最迟于/);

    await page.selectOption('#rs-kind', 'litigation');
    await page.fill('#rs-body', '上海铁路运输法院');
    await page.fill('#rs-reference', '(2026)沪7101行初9号');
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/cases/${caseId}`),
      page.click('#review-started-submit'),
    ]);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('suspended');
    expect(await page.locator('#open-review').textContent()).toContain(`行政诉讼，自 ${today} 起`);
    await screenshot(page, 'case-after-decision');

    // A varied judgment without the new fine is refused with the reason, and nothing changes.
    await page.selectOption('#rc-outcome', 'varied');
    await page.fill('#rc-reference', '(2026)沪7101行初9号判决');
    await page.click('#review-concluded-submit');
    expect(await page.locator('#after-decision-error').textContent()).toMatch(/调整后的罚款数额/);
    await page.goto(`${baseUrl}/staff/cases/${caseId}`);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('suspended');

    await page.selectOption('#rc-outcome', 'varied');
    await page.fill('#rc-fine', '50');
    await page.fill('#rc-reference', '(2026)沪7101行初9号判决');
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/cases/${caseId}`),
      page.click('#review-concluded-submit'),
    ]);
    expect(await page.locator('#case-status').getAttribute('data-state')).toBe('payment_due');
    expect(await page.locator('#fine-in-force').textContent()).toContain('50');
    expect(await page.locator('#events [data-event="review_concluded"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
