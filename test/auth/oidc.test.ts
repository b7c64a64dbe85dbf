import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oidcUsername } from '../../src/auth/oidc-sign-in.service.js';
import { freePort } from '../support/portal-client.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import { BrowserJar, formAction, startOidcProvider, type TestProvider } from './oidc-provider.js';

/*
 * Staff sign-in through OpenID Connect, end to end against a real provider (oidc-provider) on 127.0.0.1: the app
 * listens on a real port, a cookie-keeping client plays the browser through the provider's sign-in and consent
 * forms and back. Roles come from a groups claim through OIDC_ROLE_MAP, the district from a district claim.
 */

let ctx: TestContext;
let provider: TestProvider;
let appUrl: string;

beforeAll(async () => {
  const [appPort, providerPort] = [await freePort(), await freePort()];
  appUrl = `http://127.0.0.1:${appPort}`;
  provider = await startOidcProvider({ port: providerPort, redirectUri: `${appUrl}/auth/oidc/callback` });
  ctx = await createTestContext({
    PUBLIC_BASE_URL: appUrl,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_SCOPES: 'openid profile enforcement',
    OIDC_ALLOW_HTTP: 'true',
    OIDC_ROLE_CLAIM: 'groups',
    OIDC_ROLE_MAP: 'cgj-admin=admin, cgj-legal=legal_reviewer, cgj-staff=district_staff',
    OIDC_DISTRICT_CLAIM: 'district',
  });
  await ctx.app.listen({ host: '127.0.0.1', port: appPort });
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'huangpu', '黄浦区');
  provider.accounts.set('wang', {
    groups: ['all-staff', 'cgj-legal'],
    district: 'pudong',
    preferred_username: '王法制',
  });
  provider.accounts.set('li', { groups: ['cgj-admin'], preferred_username: '李管理' });
  provider.accounts.set('zhao', { groups: ['all-staff'], district: 'pudong' });
  provider.accounts.set('qian', { groups: ['cgj-staff'] });
  provider.accounts.set('sun', { groups: ['cgj-staff'], district: 'atlantis' });
  provider.accounts.set('zhou', { groups: ['cgj-staff', 'cgj-legal'], district: 'pudong' });
});

afterAll(async () => {
  await ctx?.close();
  await provider?.close();
});

/** The whole round trip: the app's sign-in link, the provider's sign-in and consent forms, back to the app. */
async function signInAs(account: string, next = '/staff/cases') {
  const browser = new BrowserJar();
  let page = await browser.follow(`${appUrl}/auth/oidc/login?next=${encodeURIComponent(next)}`);
  for (let step = 0; page.url.startsWith(provider.issuer); step++) {
    if (step > 4) throw new Error(`stuck at the provider: ${page.url}`);
    expect(page.res.status).toBe(200);
    const form: Record<string, string> = /name="login"/.test(page.body)
      ? { prompt: 'login', login: account, password: 'any password the test provider accepts' }
      : { prompt: 'consent' };
    page = await browser.follow(formAction(page), { method: 'POST', form });
  }
  expect(page.url.startsWith(`${appUrl}/auth/oidc/callback?`)).toBe(true);
  return { browser, page };
}

async function me(browser: BrowserJar) {
  const res = await browser.request(`${appUrl}/auth/me`);
  return { status: res.status, body: (await res.json()) as { user?: Record<string, unknown> } };
}

async function auditOf(action: string) {
  const { rows } = await ctx.pool.query<{ data: Record<string, unknown>; actor_id: string | null }>(
    `select data, actor_id from audit_log where action = $1 order by id`,
    [action],
  );
  return rows;
}

describe('staff sign-in through the identity provider', () => {
  it('signs a legal reviewer in with the role and district from the claims, and makes the account', async () => {
    const { browser, page } = await signInAs('wang');
    expect(page.res.status).toBe(200);
    expect(page.body).toContain('http-equiv="refresh" content="0;url=/staff/cases"');
    expect(browser.cookie(appUrl, 'sid')).toBeTruthy();
    // the flow cookie is spent
    expect(browser.cookie(appUrl, 'oidc_flow')).toBeUndefined();

    const who = await me(browser);
    expect(who.status).toBe(200);
    expect(who.body.user).toMatchObject({
      username: oidcUsername(provider.issuer, 'wang'),
      displayName: '王法制',
      role: 'legal_reviewer',
      districtId: 'pudong',
    });
    const { rows } = await ctx.pool.query(
      'select password_hash, oidc_issuer, oidc_subject, role, district_id from staff_users where oidc_subject = $1',
      ['wang'],
    );
    expect(rows).toEqual([
      {
        password_hash: null,
        oidc_issuer: provider.issuer,
        oidc_subject: 'wang',
        role: 'legal_reviewer',
        district_id: 'pudong',
      },
    ]);
    const logins = await auditOf('staff.login');
    expect(logins.at(-1)!.data).toMatchObject({
      via: 'oidc',
      issuer: provider.issuer,
      role: 'legal_reviewer',
    });
    // the district scope holds: a legal reviewer of Pudong is refused the queue board and other roles' pages
    expect((await browser.request(`${appUrl}/admin/queues/api/queues`)).status).toBe(403);
  });

  it('follows the claims on the next sign-in, in the same account, and records the change', async () => {
    const first = await ctx.pool.query('select id from staff_users where oidc_subject = $1', ['wang']);
    provider.accounts.set('wang', {
      groups: ['cgj-staff'],
      district: 'huangpu',
      preferred_username: '王法制',
    });
    const { browser } = await signInAs('wang');
    const who = await me(browser);
    expect(who.body.user).toMatchObject({
      id: first.rows[0].id,
      role: 'district_staff',
      districtId: 'huangpu',
    });
    expect((await auditOf('staff.login')).at(-1)!.data).toMatchObject({
      role: 'district_staff',
      previousRole: 'legal_reviewer',
      previousDistrict: 'pudong',
    });
  });

  it('signs an admin in without a district, and the admin may open the queue board', async () => {
    const { browser } = await signInAs('li');
    expect((await me(browser)).body.user).toMatchObject({
      role: 'admin',
      districtId: null,
      displayName: '李管理',
    });
    expect((await browser.request(`${appUrl}/admin/queues/api/queues`)).status).toBe(200);
  });

  it('refuses claims without a mapped role, without a district, with an unknown district or two roles', async () => {
    const cases: [string, string, RegExp][] = [
      ['zhao', 'no_role', /未授予本系统角色/],
      ['qian', 'no_district', /未指定所属区/],
      ['sun', 'unknown_district', /atlantis/],
      ['zhou', 'ambiguous_role', /多个不同角色/],
    ];
    for (const [account, reason, words] of cases) {
      const { browser, page } = await signInAs(account);
      expect(page.res.status, account).toBe(403);
      expect(page.body).toMatch(words);
      expect(browser.cookie(appUrl, 'sid')).toBeUndefined();
      expect((await me(browser)).status).toBe(401);
      const { rowCount } = await ctx.pool.query('select 1 from staff_users where oidc_subject = $1', [
        account,
      ]);
      expect(rowCount, account).toBe(0);
      const failures = await auditOf('staff.login_failed');
      expect(failures.at(-1)!.data).toMatchObject({ via: 'oidc', subject: account, reason });
    }
  });

  it('refuses an account the bureau disabled, whatever the provider says', async () => {
    await ctx.pool.query('update staff_users set active = false where oidc_subject = $1', ['li']);
    const { browser, page } = await signInAs('li');
    expect(page.res.status).toBe(403);
    expect(page.body).toContain('已被停用');
    expect(browser.cookie(appUrl, 'sid')).toBeUndefined();
    await ctx.pool.query('update staff_users set active = true where oidc_subject = $1', ['li']);
  });

  it('refuses a callback that this browser did not start, or whose state was altered', async () => {
    const stranger = new BrowserJar();
    const noFlow = await stranger.follow(`${appUrl}/auth/oidc/callback?code=abc&state=xyz`);
    expect(noFlow.res.status).toBe(400);

    // a real flow, then a callback with another state: openid-client refuses it before any code is redeemed
    const browser = new BrowserJar();
    const toProvider = await browser.request(`${appUrl}/auth/oidc/login`);
    expect(toProvider.status).toBe(302);
    expect(new URL(toProvider.headers.get('location')!).origin).toBe(provider.issuer);
    const altered = await browser.follow(
      `${appUrl}/auth/oidc/callback?code=forged&state=not-the-state&iss=${encodeURIComponent(provider.issuer)}`,
    );
    expect(altered.res.status).toBe(400);
    expect(browser.cookie(appUrl, 'sid')).toBeUndefined();

    // the provider's own refusal is passed on
    const refused = new BrowserJar();
    await refused.request(`${appUrl}/auth/oidc/login`);
    const denied = await refused.follow(`${appUrl}/auth/oidc/callback?error=access_denied`);
    expect(denied.res.status).toBe(401);
    expect(denied.body).toContain('access_denied');
  });

  it('never sends the browser off the site after sign-in', async () => {
    const { page } = await signInAs('wang', '//evil.example/phish');
    expect(page.body).toContain('content="0;url=/staff"');
  });

  it('keeps local accounts working beside it, and an identity-provider account has no password', async () => {
    const local = await seedStaff(ctx.pool, 'local-admin', 'admin', null);
    await new TestClient(ctx.app).login(local.username, local.password);
    const sso = await new TestClient(ctx.app).request('POST', '/auth/login', {
      username: oidcUsername(provider.issuer, 'wang'),
      password: 'any password at all',
    });
    expect(sso.statusCode).toBe(401);
  });

  it('offers the identity provider on the sign-in page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/login?next=/review' });
    expect(res.body).toContain('href="/auth/oidc/login?next=%2Freview"');
  });
});
