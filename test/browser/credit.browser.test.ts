import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditRepairService } from '../../src/credit/credit-repair.service.js';
import { CreditService } from '../../src/credit/credit.service.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { bringToPaymentDue, fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let caseNumber: string;
let itemId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  const seed = await seedPudong(ctx);
  const { id } = await seedCaseParty(ctx, { kind: 'person', idNumber: '310115199001011234' });
  const caseId = await fileCase(ctx, seed, id, 'illegal_dumping');
  await bringToPaymentDue(ctx, caseId, shanghaiDateOf(new Date()));
  const credit = new CreditService(ctx.pool);
  expect(await credit.publishDue()).toBe(1);
  const item = (await ctx.pool.query('select id, case_number from credit_items where case_id = $1', [caseId]))
    .rows[0];
  caseNumber = item.case_number;
  itemId = item.id;
  const clerk = await seedStaff(ctx.pool, 'credit_clerk', 'district_staff', 'pudong');
  await new CreditRepairService(ctx.pool, credit).applyByStaff(
    {
      id: clerk.id,
      username: clerk.username,
      displayName: 'clerk',
      role: 'district_staff',
      districtId: 'pudong',
    },
    { itemId, reason: '当事人已清运垃圾并缴纳罚款', requestKey: 'browser-repair-0001' },
  );
  await seedStaff(ctx.pool, 'credit_head', 'agency_head', 'pudong');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('credit publication and repair, in the browser', () => {
  it('shows a published item masked, and a granted repair takes it off the public page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);

    await page.goto(`${baseUrl}/public/credit`);
    expect(await page.locator('h1').textContent()).toBe('行政处罚决定信息公示');
    const row = page.locator(`#credit-public tr[data-item="${itemId}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.locator('.party').textContent()).toBe('张**');
    expect(await row.locator('.code').textContent()).toBe('310115********1234');
    expect(await page.content()).not.toContain('310115199001011234');
    await screenshot(page, 'credit-public');

    await signIn(page, baseUrl, 'credit_head', 'a long test password');
    await page.goto(`${baseUrl}/staff/credit`);
    const repair = page.locator('#credit-repairs tr[data-status="pending"]');
    expect(await repair.count()).toBe(1);
    expect(await repair.textContent()).toContain(caseNumber);
    await repair.locator('input[name="note"]').fill('已履行义务，准予修复');
    await Promise.all([page.waitForURL(/\/staff\/credit$/), repair.locator('button.grant').click()]);
    expect(await page.locator('#credit-repairs tr[data-status="granted"]').count()).toBe(1);
    expect(await page.locator(`#credit-items tr[data-item="${itemId}"]`).getAttribute('data-status')).toBe(
      'repaired',
    );
    await screenshot(page, 'credit-staff');

    await page.goto(`${baseUrl}/public/credit`);
    expect(await page.locator(`#credit-public tr[data-item="${itemId}"]`).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
