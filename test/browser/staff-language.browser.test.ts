import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedStaff(ctx.pool, 'pd_lang', 'district_staff', 'pudong');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx.close();
});

describe('the staff pages’ language', () => {
  it('is Chinese by default; the English switch is remembered on the account at the next sign-in', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'pd_lang', 'a long test password');
    await page.goto(`${baseUrl}/staff/cases`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#nav-cases')).toBe('案件');
    expect((await page.textContent('#logout'))?.trim()).toBe('退出登录');
    expect(await page.textContent('#who')).toContain('区级执法人员');
    expect(await page.textContent('#who')).toContain('浦东新区');
    expect(await page.textContent('#who')).not.toContain('district_staff');
    expect(await page.textContent('h1')).toBe('案件');

    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#nav-cases')).toBe('Cases');
    expect(await page.textContent('#who')).toContain('District staff');
    expect(await page.textContent('h1')).toBe('Cases');
    const stored = await ctx.pool.query(`select lang from staff_users where username = 'pd_lang'`);
    expect(stored.rows).toEqual([{ lang: 'en' }]);

    await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.click('#logout')]);
    await signIn(page, baseUrl, 'pd_lang', 'a long test password');
    await page.goto(`${baseUrl}/staff/cases`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect((await page.textContent('#logout'))?.trim()).toBe('Sign out');

    await Promise.all([page.waitForEvent('load'), page.click('#lang-switch')]);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#nav-cases')).toBe('案件');
    expect(errors).toEqual([]);
  }, 60_000);
});
