import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/*
 * User management by admins through /api/staff/users and its pages: accounts made with a temporary password that
 * must be replaced at first sign-in, role and district changes, disabling (which ends sessions), password resets,
 * the per-account lock-out seen and lifted, the audit rows, and the district scope of an admin.
 */

let ctx: TestContext;
let cityAdmin: TestClient;
let cityAdminId: string;
let pudongAdmin: TestClient;
let staffClient: TestClient;

beforeAll(async () => {
  ctx = await createTestContext({ LOGIN_LOCKOUT_FAILURES: '3', LOGIN_RATE_LIMIT_PER_MINUTE: '50' });
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'huangpu', '黄浦区');
  const a = await seedStaff(ctx.pool, 'city_admin', 'admin', null);
  cityAdminId = a.id;
  const p = await seedStaff(ctx.pool, 'pudong_admin', 'admin', 'pudong');
  const s = await seedStaff(ctx.pool, 'plain_staff', 'district_staff', 'pudong');
  cityAdmin = await new TestClient(ctx.app).login(a.username, a.password);
  pudongAdmin = await new TestClient(ctx.app).login(p.username, p.password);
  staffClient = await new TestClient(ctx.app).login(s.username, s.password);
});
afterAll(() => ctx.close());

async function createUser(
  by: TestClient,
  body: Record<string, unknown>,
): Promise<{ id: string; temporaryPassword: string }> {
  const res = await by.request('POST', '/api/staff/users', body);
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().user.id as string, temporaryPassword: res.json().temporaryPassword as string };
}

async function login(username: string, password: string) {
  return new TestClient(ctx.app).request('POST', '/auth/login', { username, password });
}

async function auditActions(subjectId: string): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ action: string }>(
    `select action from audit_log where subject_id = $1 and action not in ('staff.login', 'staff.login_failed')
      order by id`,
    [subjectId],
  );
  return rows.map((r) => r.action);
}

async function sessionsOf(userId: string): Promise<number> {
  const { rows } = await ctx.pool.query('select 1 from staff_sessions where user_id = $1', [userId]);
  return rows.length;
}

describe('creating staff', () => {
  it('makes an account whose temporary password must be replaced at the first sign-in', async () => {
    const { id, temporaryPassword } = await createUser(cityAdmin, {
      username: 'new_reviewer',
      displayName: '王审核',
      role: 'legal_reviewer',
      districtId: 'pudong',
    });
    expect(temporaryPassword).toHaveLength(16);
    const stored = await ctx.pool.query(
      'select password_hash, must_change_password from staff_users where id = $1',
      [id],
    );
    expect(stored.rows[0].password_hash).not.toContain(temporaryPassword);
    expect(stored.rows[0].must_change_password).toBe(true);

    const first = await login('new_reviewer', temporaryPassword);
    expect(first.statusCode).toBe(403);
    expect(first.json().error).toBe('password_change_required');
    expect(first.headers['set-cookie'] ?? []).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^sid=/)]),
    );
    expect(await sessionsOf(id)).toBe(0);

    const user = new TestClient(ctx.app);
    const short = await user.request('POST', '/auth/password', {
      username: 'new_reviewer',
      currentPassword: temporaryPassword,
      newPassword: 'short',
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toContain('至少 12 个字符');
    const same = await user.request('POST', '/auth/password', {
      username: 'new_reviewer',
      currentPassword: temporaryPassword,
      newPassword: temporaryPassword,
    });
    expect(same.statusCode).toBe(400);
    const wrong = await user.request('POST', '/auth/password', {
      username: 'new_reviewer',
      currentPassword: 'not the temporary one',
      newPassword: 'my own long password',
    });
    expect(wrong.statusCode).toBe(401);

    const changed = await user.request('POST', '/auth/password', {
      username: 'new_reviewer',
      currentPassword: temporaryPassword,
      newPassword: 'my own long password',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await user.request('GET', '/auth/me')).json().user.role).toBe('legal_reviewer');
    expect((await login('new_reviewer', temporaryPassword)).statusCode).toBe(401);
    expect((await login('new_reviewer', 'my own long password')).statusCode).toBe(200);
    expect(await auditActions(id)).toEqual(['staff.create', 'staff.password_changed']);
  });

  it('refuses a taken username, an unknown role or district, and a district-less non-admin', async () => {
    const base = { username: 'dup_user', displayName: '张三', role: 'district_staff', districtId: 'pudong' };
    await createUser(cityAdmin, base);
    expect((await cityAdmin.request('POST', '/api/staff/users', base)).statusCode).toBe(409);
    const bad = [
      { ...base, username: 'r1', role: 'superuser' },
      { ...base, username: 'unknown_district', districtId: 'atlantis' },
      { ...base, username: 'no_district', districtId: null },
      { ...base, username: 'long_name', displayName: '名'.repeat(101) },
      { ...base, username: 'ctrl_name', displayName: 'a\u0007b' },
      { ...base, username: 'bad name!' },
    ];
    for (const body of bad) {
      const res = await cityAdmin.request('POST', '/api/staff/users', body);
      expect(res.statusCode, body.username).toBe(400);
    }
    const { rows } = await ctx.pool.query(
      `select username from staff_users where username = any($1::text[])`,
      [bad.map((b) => b.username)],
    );
    expect(rows).toEqual([]);
  });

  it('is for admins only', async () => {
    const res = await staffClient.request('POST', '/api/staff/users', {
      username: 'by_staff',
      displayName: 'x',
      role: 'admin',
      districtId: null,
    });
    expect(res.statusCode).toBe(403);
    expect((await staffClient.request('GET', '/api/staff/users')).statusCode).toBe(403);
    const page = await staffClient.request('GET', '/staff/users');
    expect(page.statusCode).toBe(403);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});

describe('changing an account', () => {
  it('changes role, district and name, audited with what changed', async () => {
    const { id } = await createUser(cityAdmin, {
      username: 'mover',
      displayName: '李四',
      role: 'district_staff',
      districtId: 'pudong',
    });
    const res = await cityAdmin.request('PATCH', `/api/staff/users/${id}`, {
      role: 'evidence_reviewer',
      districtId: 'huangpu',
      displayName: '李四（黄浦）',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      role: 'evidence_reviewer',
      districtId: 'huangpu',
      districtName: '黄浦区',
    });
    const audit = await ctx.pool.query(
      `select action, actor_id, data from audit_log where subject_id = $1 and action = 'staff.update'`,
      [id],
    );
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor_id).toBe(cityAdminId);
    expect(audit.rows[0].data.changes.role).toEqual({ from: 'district_staff', to: 'evidence_reviewer' });
    expect(audit.rows[0].data.changes.districtId).toEqual({ from: 'pudong', to: 'huangpu' });
  });

  it('disabling ends the sessions at once; enabling lets the user back in', async () => {
    const { id } = await createUser(cityAdmin, {
      username: 'leaver',
      displayName: '赵六',
      role: 'district_staff',
      districtId: 'pudong',
    });
    const user = new TestClient(ctx.app);
    const { temporaryPassword } = (
      await cityAdmin.request('POST', `/api/staff/users/${id}/reset-password`)
    ).json();
    await user.request('POST', '/auth/password', {
      username: 'leaver',
      currentPassword: temporaryPassword,
      newPassword: 'leaver long password',
    });
    expect((await user.request('GET', '/auth/me')).statusCode).toBe(200);
    expect(await sessionsOf(id)).toBe(1);

    const off = await cityAdmin.request('PATCH', `/api/staff/users/${id}`, { active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect(await sessionsOf(id)).toBe(0);
    expect((await user.request('GET', '/auth/me')).statusCode).toBe(401);
    expect((await login('leaver', 'leaver long password')).statusCode).toBe(401);

    expect((await cityAdmin.request('PATCH', `/api/staff/users/${id}`, { active: true })).statusCode).toBe(
      200,
    );
    expect((await login('leaver', 'leaver long password')).statusCode).toBe(200);
    const disable = await ctx.pool.query(
      `select data from audit_log where subject_id = $1 and action = 'staff.disable'`,
      [id],
    );
    expect(disable.rows[0].data.sessionsEnded).toBe(1);
    expect(await auditActions(id)).toEqual([
      'staff.create',
      'staff.password_reset',
      'staff.password_changed',
      'staff.disable',
      'staff.enable',
    ]);
  });

  it('never leaves the city without an active admin', async () => {
    const self = await cityAdmin.request('PATCH', `/api/staff/users/${cityAdminId}`, { active: false });
    expect(self.statusCode).toBe(409);
    const demote = await cityAdmin.request('PATCH', `/api/staff/users/${cityAdminId}`, {
      role: 'legal_reviewer',
      districtId: 'pudong',
    });
    expect(demote.statusCode).toBe(409);
    const moved = await cityAdmin.request('PATCH', `/api/staff/users/${cityAdminId}`, {
      districtId: 'pudong',
    });
    expect(moved.statusCode).toBe(409);
    const row = await ctx.pool.query('select role, district_id, active from staff_users where id = $1', [
      cityAdminId,
    ]);
    expect(row.rows[0]).toEqual({ role: 'admin', district_id: null, active: true });

    // with a second city admin, the first may step down
    const { id: second } = await createUser(cityAdmin, {
      username: 'second_admin',
      displayName: '第二管理员',
      role: 'admin',
      districtId: null,
    });
    const ok = await cityAdmin.request('PATCH', `/api/staff/users/${second}`, { active: false });
    expect(ok.statusCode).toBe(200);
    expect(
      (await cityAdmin.request('PATCH', `/api/staff/users/${cityAdminId}`, { active: false })).statusCode,
    ).toBe(409);
  });

  it('refuses unknown fields, roles and districts, and changes nothing', async () => {
    const { id } = await createUser(cityAdmin, {
      username: 'steady',
      displayName: '钱七',
      role: 'district_staff',
      districtId: 'pudong',
    });
    for (const body of [
      { role: 'root' },
      { districtId: 'atlantis' },
      { displayName: '' },
      { displayName: 'x'.repeat(101) },
      { password_hash: 'x' },
      {},
      { role: 'legal_reviewer', districtId: null },
    ]) {
      const res = await cityAdmin.request('PATCH', `/api/staff/users/${id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const row = await ctx.pool.query(
      'select display_name, role, district_id from staff_users where id = $1',
      [id],
    );
    expect(row.rows[0]).toEqual({ display_name: '钱七', role: 'district_staff', district_id: 'pudong' });
    expect(await auditActions(id)).toEqual(['staff.create']);
  });
});

describe('password reset and lock-out', () => {
  it('a reset ends the sessions and forces a new password at the next sign-in', async () => {
    const { id, temporaryPassword } = await createUser(cityAdmin, {
      username: 'forgetful',
      displayName: '孙八',
      role: 'district_staff',
      districtId: 'pudong',
    });
    const user = new TestClient(ctx.app);
    await user.request('POST', '/auth/password', {
      username: 'forgetful',
      currentPassword: temporaryPassword,
      newPassword: 'first own password',
    });
    expect((await user.request('GET', '/auth/me')).statusCode).toBe(200);

    const reset = await cityAdmin.request('POST', `/api/staff/users/${id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    const fresh = reset.json().temporaryPassword as string;
    expect((await user.request('GET', '/auth/me')).statusCode).toBe(401);
    expect((await login('forgetful', 'first own password')).statusCode).toBe(401);
    const next = await login('forgetful', fresh);
    expect(next.statusCode).toBe(403);
    expect(next.json().error).toBe('password_change_required');
    const done = await user.request('POST', '/auth/password', {
      username: 'forgetful',
      currentPassword: fresh,
      newPassword: 'second own password',
    });
    expect(done.statusCode).toBe(200);
    expect((await user.request('GET', '/auth/me')).statusCode).toBe(200);
  });

  it('does not reset an account of the identity provider', async () => {
    const { rows } = await ctx.pool.query<{ id: string }>(
      `insert into staff_users (username, display_name, password_hash, role, district_id, oidc_issuer, oidc_subject)
       values ('oidc_user', 'OIDC 用户', null, 'district_staff', 'pudong', 'https://idp.example', 'sub-1')
       returning id`,
    );
    const id = rows[0]!.id;
    const res = await cityAdmin.request('POST', `/api/staff/users/${id}/reset-password`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('统一身份认证');
    expect((await cityAdmin.request('PATCH', `/api/staff/users/${id}`, { role: 'admin' })).statusCode).toBe(
      409,
    );
    expect((await cityAdmin.request('PATCH', `/api/staff/users/${id}`, { active: false })).statusCode).toBe(
      200,
    );
    const page = await cityAdmin.request('GET', `/staff/users/${id}`);
    expect(page.body).toContain('id="reset-not-applicable"');
    expect(page.body).not.toContain('id="reset-password"');
  });

  it('locks an account after wrong passwords, shows it, and an admin lifts it', async () => {
    const s = await seedStaff(ctx.pool, 'guessed', 'district_staff', 'pudong');
    const codes: number[] = [];
    let lockedMessage = '';
    for (let i = 0; i < 4; i++) {
      const res = await login('guessed', `wrong guess ${i}`);
      codes.push(res.statusCode);
      if (res.statusCode === 429) lockedMessage = res.json().message as string;
    }
    expect(codes).toEqual([401, 401, 429, 429]);
    expect(lockedMessage).toMatch(/账号因多次密码错误已被锁定，请在 \d+ 分钟后再试/);
    // the right password does not get in while locked
    expect((await login('guessed', s.password)).statusCode).toBe(429);

    const seen = (await cityAdmin.request('GET', `/api/staff/users/${s.id}`)).json();
    expect(seen.lockedUntil).not.toBeNull();
    const page = await cityAdmin.request('GET', `/staff/users/${s.id}`);
    expect(page.body).toContain('id="lift-lockout"');
    const list = await cityAdmin.request('GET', '/staff/users');
    expect(list.body).toMatch(/data-username="guessed"[\s\S]*?data-locked="true"/);

    const lifted = await cityAdmin.request('POST', `/api/staff/users/${s.id}/unlock`);
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json().lockedUntil).toBeNull();
    expect((await login('guessed', s.password)).statusCode).toBe(200);
    const audit = await ctx.pool.query(
      `select action, actor_id from audit_log where subject_id = $1 and action in ('staff.locked_out', 'staff.lockout_lifted')
        order by id`,
      [s.id],
    );
    expect(audit.rows).toEqual([
      { action: 'staff.locked_out', actor_id: null },
      { action: 'staff.lockout_lifted', actor_id: cityAdminId },
    ]);
  });
});

describe('district scope', () => {
  it('an admin of a district manages only that district', async () => {
    const huangpu = await createUser(cityAdmin, {
      username: 'hp_staff',
      displayName: '黄浦员工',
      role: 'district_staff',
      districtId: 'huangpu',
    });
    const list = (await pudongAdmin.request('GET', '/api/staff/users')).json().users as {
      districtId: string;
    }[];
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((u) => u.districtId))).toEqual(new Set(['pudong']));
    expect((await pudongAdmin.request('GET', `/api/staff/users/${huangpu.id}`)).statusCode).toBe(403);
    expect(
      (await pudongAdmin.request('PATCH', `/api/staff/users/${huangpu.id}`, { active: false })).statusCode,
    ).toBe(403);
    expect(
      (await pudongAdmin.request('POST', `/api/staff/users/${huangpu.id}/reset-password`)).statusCode,
    ).toBe(403);
    expect((await pudongAdmin.request('POST', `/api/staff/users/${huangpu.id}/unlock`)).statusCode).toBe(403);
    for (const districtId of ['huangpu', null]) {
      const res = await pudongAdmin.request('POST', '/api/staff/users', {
        username: `pd_${districtId ?? 'city'}`,
        displayName: 'x',
        role: 'admin',
        districtId,
      });
      expect(res.statusCode).toBe(403);
    }
    const { id } = await createUser(pudongAdmin, {
      username: 'pd_new',
      displayName: '浦东新人',
      role: 'district_staff',
      districtId: 'pudong',
    });
    expect(
      (await pudongAdmin.request('PATCH', `/api/staff/users/${id}`, { districtId: 'huangpu' })).statusCode,
    ).toBe(403);
    const districts = await pudongAdmin.request('GET', '/staff/users/new');
    expect(districts.body).toContain('value="pudong"');
    expect(districts.body).not.toContain('value="huangpu"');
  });
});

describe('pages', () => {
  it('lists accounts in Chinese with a link for admins in the top bar', async () => {
    const res = await cityAdmin.request('GET', '/staff/users');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="zh-CN"');
    expect(res.body).toContain('用户管理');
    expect(res.body).toContain('href="/staff/users"');
    expect(res.body).toContain('法制审核员');
    const form = await cityAdmin.request('GET', '/staff/users/new');
    expect(form.body).toContain('id="user-create-form"');
    const missing = await cityAdmin.request('GET', '/staff/users/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
  });

  it('sends a signed-out visitor to the sign-in page', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/staff/users' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fstaff%2Fusers');
  });
});

// Last: one of the two city admins ends up disabled.
describe('two admins at once', () => {
  it('cannot disable each other into having no city admin left', async () => {
    const { id, temporaryPassword } = await createUser(cityAdmin, {
      username: 'rival_admin',
      displayName: '对手管理员',
      role: 'admin',
      districtId: null,
    });
    const rival = new TestClient(ctx.app);
    const signedIn = await rival.request('POST', '/auth/password', {
      username: 'rival_admin',
      currentPassword: temporaryPassword,
      newPassword: 'rival long password',
    });
    expect(signedIn.statusCode).toBe(200);
    const codes = (
      await Promise.all([
        cityAdmin.request('PATCH', `/api/staff/users/${id}`, { active: false }),
        rival.request('PATCH', `/api/staff/users/${cityAdminId}`, { active: false }),
      ])
    )
      .map((r) => r.statusCode)
      .sort();
    expect(codes).toEqual([200, 409]);
    const { rows } = await ctx.pool.query(
      `select count(*)::int as n from staff_users where role = 'admin' and district_id is null and active`,
    );
    expect(rows[0].n).toBe(1);
  });
});
