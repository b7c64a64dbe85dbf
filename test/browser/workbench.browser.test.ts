import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, imagesLoaded, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { seedCamera, seedParty, seedViolationForReview } from '../support/seed-violations.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';

/**
 * The legal stage of the workbench on a laptop screen (1366x768): no key gives the task back or files a case
 * on its own, the decision controls are in view, every image can be zoomed and two compared, and the party
 * picker lists the district's register with each party's kind and moves the suggestion when one is chosen.
 */
let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
const VIEW = { width: 1366, height: 768 };

beforeAll(async () => {
  ctx = await createTestContext();
  // a district with the case-number code the city gives Pudong (PD)
  await ctx.pool.query(`insert into districts (id, name, case_prefix) values ('pudong', '浦东新区', 'PD')`);
  await seedStaff(ctx.pool, 'legal_wb', 'legal_reviewer', 'pudong');
  const cameraId = await seedCamera(ctx.pool, 'pudong', '世纪大道东');
  await seedParty(ctx.pool, 'pudong', '张记水果店', 'unit');
  await seedParty(ctx.pool, 'pudong', '李四', 'person');
  for (let i = 0; i < 2; i++)
    await seedViolationForReview(ctx.pool, ctx.blobs, { districtId: 'pudong', cameraId, stage: 'legal' });
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx.close();
});

async function casesFiled(): Promise<number> {
  return (await ctx.pool.query('select count(*)::int as n from cases')).rows[0].n;
}

async function heldTasks(): Promise<number> {
  return (await ctx.pool.query(`select count(*)::int as n from review_tasks where status = 'claimed'`))
    .rows[0].n;
}

async function inViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= VIEW.height;
}

describe('the legal review workbench at 1366x768', () => {
  it('keeps the task on Esc, confirms before filing, zooms and compares any image, and picks a party from the register', async () => {
    const page = await browser.newPage({ viewport: VIEW });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'legal_wb', 'a long test password');
    await Promise.all([page.waitForURL(/\/review\/tasks\//), page.keyboard.press('n')]);
    const taskUrl = page.url();
    await imagesLoaded(page, 'img.zoomable');

    // The rule is named in words, not by its code (the violation records `stall`).
    expect(await page.textContent('[data-rule]')).toBe('无序设摊规则');

    // The decision controls are on screen without scrolling.
    for (const id of ['#approve', '#more', '#reject', '#reason', '#release'])
      expect(await inViewport(page, id), id).toBe(true);

    // The party picker lists the district's parties before anything is typed, each with its kind.
    const options = page.locator('#party-select option:not([value=""])');
    await expect.poll(() => options.count(), { timeout: 10_000 }).toBe(2);
    const labels = await options.allTextContents();
    expect(labels.find((l) => l.startsWith('张记水果店'))).toContain('（单位）');
    expect(labels.find((l) => l.startsWith('李四'))).toContain('（个人）');

    // Choosing a party asks the server for that party's suggestion and shows it.
    const before = await page.textContent('#suggested-penalty');
    expect(await page.locator('#suggested-penalty .suggested-amount').count()).toBe(2);
    await page.selectOption('#party-select', { label: labels.find((l) => l.startsWith('李四'))! });
    await expect.poll(() => page.locator('#suggested-penalty .suggested-amount').count()).toBe(1);
    expect(await page.textContent('#suggested-penalty')).not.toBe(before);

    // Z on the second image opens the second image; Esc closes the viewer and nothing else.
    const second = page.locator('img.zoomable').nth(1);
    await second.focus();
    await page.keyboard.press('z');
    await expect.poll(() => page.isVisible('#zoom-dialog')).toBe(true);
    // the grid shows the stored copy; the viewer opens the untouched original
    expect(await second.getAttribute('src')).toMatch(/\?size=view$/);
    expect(await page.getAttribute('#zoom-image', 'src')).toBe(await second.getAttribute('data-original'));
    await screenshot(page, 'workbench-zoom');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible('#zoom-dialog')).toBe(false);
    await page.waitForTimeout(300);
    expect(page.url()).toBe(taskUrl);
    expect(await heldTasks()).toBe(1);
    // Esc with nothing open keeps the task too.
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    expect(page.url()).toBe(taskUrl);
    expect(await heldTasks()).toBe(1);

    // Compare: two different images side by side.
    await page.click('#compare-open');
    await expect.poll(() => page.isVisible('#compare-dialog')).toBe(true);
    const left = await page.getAttribute('#compare-left-image', 'src');
    const right = await page.getAttribute('#compare-right-image', 'src');
    expect(left).not.toBe(right);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible('#compare-dialog')).toBe(false);

    // Giving the task back asks first.
    await page.click('#release');
    expect(await page.isVisible('#release-confirm')).toBe(true);
    await page.click('#release-no');
    expect(await heldTasks()).toBe(1);

    // A opens the confirmation with the case to be filed; A again files nothing; Esc closes it.
    await page.keyboard.press('a');
    await expect.poll(() => page.isVisible('#approve-preview'), { timeout: 10_000 }).toBe(true);
    expect(await page.textContent('#preview-party')).toContain('李四');
    expect(await page.textContent('#preview-amount')).toMatch(/元/);
    expect(await inViewport(page, '#confirm-approve')).toBe(true);
    await screenshot(page, 'workbench-confirm');
    await page.keyboard.press('a');
    await page.waitForTimeout(500);
    expect(await casesFiled()).toBe(0);
    expect(page.url()).toBe(taskUrl);
    await page.keyboard.press('Escape');
    expect(await page.isVisible('#approve-preview')).toBe(false);
    expect(await casesFiled()).toBe(0);

    // Confirming files the case; the next task opens and names the case filed, with a link to it.
    await page.keyboard.press('a');
    await expect.poll(() => page.isVisible('#approve-preview'), { timeout: 10_000 }).toBe(true);
    await Promise.all([page.waitForURL(/filed=/), page.click('#confirm-approve')]);
    expect(await casesFiled()).toBe(1);
    const filed = (await ctx.pool.query('select id, case_number from cases')).rows[0];
    expect(await page.textContent('#filed-case')).toContain(filed.case_number);
    expect(await page.getAttribute('#filed-case-link', 'href')).toBe(`/staff/cases/${filed.id}`);
    expect(page.url()).not.toBe(taskUrl);
    expect(errors).toEqual([]);
  }, 120_000);
});
