import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

/*
 * User management in Chromium: an admin creates an account from the pages and is shown its temporary password;
 * the new user signs in with it and must set a password of their own before reaching their work.
 */

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedStaff(ctx.pool, 'users_admin', 'admin', null);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('user management in the browser', () => {
  it('an admin creates a user, who signs in and must set a password', { timeout: 90_000 }, async () => {
    const adminPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const adminErrors = collectPageErrors(adminPage);
    await signIn(adminPage, baseUrl, 'users_admin', 'a long test password');
    await adminPage.click('nav.top .nav-more summary'); // the top bar keeps its later links under 更多
    await Promise.all([adminPage.waitForURL(/\/staff\/users$/), adminPage.click('nav.top >> text=用户管理')]);
    expect(await adminPage.getAttribute('html', 'lang')).toBe('zh-CN');

    await Promise.all([adminPage.waitForURL(/\/staff\/users\/new$/), adminPage.click('#new-user')]);
    await adminPage.fill('#username', 'zhang_fz');
    await adminPage.fill('#displayName', '张法制');
    await adminPage.selectOption('#role', 'legal_reviewer');
    await adminPage.selectOption('#districtId', 'pudong');
    await adminPage.click('#user-create-form button[type=submit]');
    await adminPage.locator('#created').waitFor({ state: 'visible' });
    const temporaryPassword = (await adminPage.textContent('#temporary-password'))!.trim();
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    await screenshot(adminPage, 'staff-user-created');

    // the new user, in a browser of their own
    const userContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const userPage = await userContext.newPage();
    const userErrors = collectPageErrors(userPage);
    await userPage.goto(`${baseUrl}/login`);
    await userPage.fill('#username', 'zhang_fz');
    await userPage.fill('#password', temporaryPassword);
    await userPage.click('#login-form button[type=submit]');
    await userPage.locator('#new-password-form').waitFor({ state: 'visible' });
    expect(await userPage.textContent('#password-rules')).toContain('至少 12 个字符');

    await userPage.fill('#new-password', 'too short');
    await userPage.fill('#new-password-again', 'too short');
    await userPage.click('#new-password-form button[type=submit]');
    await expect.poll(() => userPage.textContent('#new-password-error')).toContain('至少 12 个字符');
    expect(new URL(userPage.url()).pathname).toBe('/login');
    await screenshot(userPage, 'staff-new-password');

    await userPage.fill('#new-password', 'zhang own long password');
    await userPage.fill('#new-password-again', 'zhang own long password');
    await Promise.all([
      userPage.waitForURL((url) => !url.pathname.startsWith('/login')),
      userPage.click('#new-password-form button[type=submit]'),
    ]);
    expect(new URL(userPage.url()).pathname).toBe('/review');
    await userContext.close();

    // the admin sees the account, no longer waiting for a new password
    await adminPage.goto(`${baseUrl}/staff/users`);
    const row = adminPage.locator('tr[data-username="zhang_fz"]');
    await expect.poll(() => row.textContent()).toContain('法制审核员');
    expect(await row.textContent()).not.toContain('待设新密码');
    await adminPage.setViewportSize({ width: 390, height: 844 });
    const overflow = Number(
      await adminPage.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(adminPage, 'staff-users');

    // the account's page: a new name saved, then a reset that hands out a new temporary password
    await adminPage.setViewportSize({ width: 1280, height: 900 });
    await Promise.all([adminPage.waitForURL(/\/staff\/users\/[0-9a-f-]{36}$/), row.locator('a').click()]);
    await adminPage.fill('#displayName', '张法制（浦东）');
    await adminPage.click('#user-edit-form button[type=submit]');
    await adminPage.locator('#form-ok').waitFor({ state: 'visible' });
    adminPage.once('dialog', (dialog) => void dialog.accept());
    await adminPage.click('#reset-password');
    await adminPage.locator('#reset-result').waitFor({ state: 'visible' });
    const second = (await adminPage.textContent('#reset-result code'))!.trim();
    expect(second).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(second).not.toBe(temporaryPassword);
    const stored = await ctx.pool.query(
      `select display_name, must_change_password from staff_users where username = 'zhang_fz'`,
    );
    expect(stored.rows[0]).toEqual({ display_name: '张法制（浦东）', must_change_password: true });
    expect(adminErrors).toEqual([]);
    expect(userErrors).toEqual([]);
  });
});
