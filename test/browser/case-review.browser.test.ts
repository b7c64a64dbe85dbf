import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let caseId: string;
const password = 'a long test password';

beforeAll(async () => {
  ctx = await createTestContext();
  const seed = await seedPudong(ctx);
  await seedStaff(ctx.pool, 'cr_staff', 'district_staff', 'pudong');
  await seedStaff(ctx.pool, 'cr_head', 'agency_head', 'pudong');
  await seedStaff(ctx.pool, 'cr_legal', 'legal_reviewer', 'pudong');
  const { id } = await seedCaseParty(ctx);
  caseId = await fileCase(ctx, seed, id);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('case-file review, in the browser', () => {
  it('district staff propose a withdrawal with its reason; an agency head approves it and the case is withdrawn', async () => {
    const staff = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const staffErrors = collectPageErrors(staff);
    await signIn(staff, baseUrl, 'cr_staff', password);
    await staff.goto(`${baseUrl}/staff/cases/${caseId}`);
    await staff.fill('#withdraw-reason', '经复核，违法行为人认定错误');
    await Promise.all([
      staff.waitForURL(`${baseUrl}/staff/cases/${caseId}`),
      staff.click('#withdraw-propose'),
    ]);
    expect(await staff.locator('#withdrawals li').getAttribute('data-status')).toBe('proposed');
    expect(await staff.locator('#withdraw-form').count()).toBe(0);
    expect(await staff.locator('#withdraw-approve').count()).toBe(0);
    expect(await staff.locator('#case-status').getAttribute('data-state')).toBe('filed');

    const head = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const headErrors = collectPageErrors(head);
    await signIn(head, baseUrl, 'cr_head', password);
    await head.goto(`${baseUrl}/staff/cases/${caseId}`);
    expect(await head.locator('#withdrawals li').textContent()).toContain('经复核，违法行为人认定错误');
    await head.fill('#withdraw-note', '同意撤案');
    await Promise.all([head.waitForURL(`${baseUrl}/staff/cases/${caseId}`), head.click('#withdraw-approve')]);
    expect(await head.locator('#case-status').getAttribute('data-state')).toBe('closed');
    expect(await head.locator('#withdrawals li').getAttribute('data-status')).toBe('approved');
    expect(await head.locator('#events li[data-event="withdraw"]').count()).toBe(1);
    await screenshot(head, 'case-withdrawn');

    // the review page lists the withdrawal with its reason once the checks have run
    await head.goto(`${baseUrl}/staff/case-review`);
    await Promise.all([head.waitForURL(`${baseUrl}/staff/case-review`), head.click('#run-checks')]);
    const row = head.locator('#findings tr[data-kind="withdrawal"]');
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('经复核，违法行为人认定错误');
    await screenshot(head, 'case-review');
    expect(staffErrors).toEqual([]);
    expect(headErrors).toEqual([]);
  });

  it('a legal reviewer draws a sample of closed case files and fills the scoring sheet of the file drawn for them', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'cr_legal', password);
    await page.goto(`${baseUrl}/staff/case-review`);
    expect(await page.locator('h1').textContent()).toBe('案卷评查');
    await page.fill('#draw-size', '1');
    await Promise.all([
      page.waitForURL(/\/staff\/case-review\/draws\/[0-9a-f-]{36}$/),
      page.click('#draw-submit'),
    ]);
    expect(await page.locator('#draw-verified').getAttribute('data-verified')).toBe('yes');
    expect(await page.locator('#draw-seed').textContent()).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.locator('#sheets tbody tr').count()).toBe(1);
    await screenshot(page, 'case-review-draw');

    // the only reviewer of the district who did not work on the withdrawn case is drawn
    await Promise.all([page.waitForURL(/\/staff\/case-review\/sheets\//), page.click('#sheets .open-sheet')]);
    for (const [item, score] of [
      ['facts', '24'],
      ['evidence', '23'],
      ['procedure', '18'],
      ['law', '19'],
      ['documents', '8'],
    ])
      await page.fill(`#score-${item}`, score!);
    await page.fill('#score-comment', '撤案理由充分，审批程序完整');
    await Promise.all([
      page.waitForURL(/\/staff\/case-review\/sheets\/[0-9a-f-]{36}$/),
      page.click('#score-submit'),
    ]);
    expect(await page.locator('#sheet-total').textContent()).toBe('92');
    expect(await page.locator('#sheet-grade').textContent()).toBe('优秀');
    await screenshot(page, 'case-review-sheet');

    await page.goto(`${baseUrl}/staff/case-review`);
    expect(
      await page.locator('#results-unit tr[data-key="pudong"] td[data-average]').getAttribute('data-average'),
    ).toBe('92');
    expect(errors).toEqual([]);
  });
});
