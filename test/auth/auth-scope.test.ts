import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let staffA: TestClient;
let staffB: TestClient;
let reviewerA: TestClient;
let cameraB: string;

const camera = (name: string) => ({ name, source: { kind: 'snapshot', url: 'http://10.1.2.3/snap.jpg' } });

beforeAll(async () => {
  ctx = await createTestContext({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
  await seedDistrict(ctx.pool, 'pudong');
  await seedDistrict(ctx.pool, 'huangpu');
  const a = await seedStaff(ctx.pool, 'staff_a', 'district_staff', 'pudong');
  const b = await seedStaff(ctx.pool, 'staff_b', 'district_staff', 'huangpu');
  const r = await seedStaff(ctx.pool, 'reviewer_a', 'legal_reviewer', 'pudong');
  await seedStaff(ctx.pool, 'victim', 'district_staff', 'pudong');
  staffA = await new TestClient(ctx.app).login(a.username, a.password);
  staffB = await new TestClient(ctx.app).login(b.username, b.password);
  reviewerA = await new TestClient(ctx.app).login(r.username, r.password);
  const res = await staffB.request('POST', '/api/cameras', camera('Huangpu market'));
  expect(res.statusCode).toBe(201);
  cameraB = res.json().id;
});
afterAll(() => ctx.close());

describe('staff sessions', () => {
  it('refuses anonymous requests', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/cameras' });
    expect(res.statusCode).toBe(401);
  });

  it('sets an http-only, same-site session cookie', async () => {
    const c = new TestClient(ctx.app);
    const res = await c.request('POST', '/auth/login', {
      username: 'staff_a',
      password: 'a long test password',
    });
    const cookie = [res.headers['set-cookie']].flat().find((l) => l?.startsWith('sid='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('refuses a state-changing request without the CSRF token', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'staff_a', password: 'x' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('rate-limits repeated wrong passwords', async () => {
    const c = new TestClient(ctx.app);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (await c.request('POST', '/auth/login', { username: 'victim', password: `guess-${i}` })).statusCode,
      );
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
  });

  it('says why in Chinese when sign-in is throttled, with the wait', async () => {
    const res = await new TestClient(ctx.app).request('POST', '/auth/login', {
      username: 'victim',
      password: 'guess-again',
    });
    expect(res.statusCode).toBe(429);
    expect(res.json().message).toMatch(/^登录尝试过于频繁，请在 \d+ 秒后再试/);
  });

  it('logout ends the session', async () => {
    const c = await new TestClient(ctx.app).login('staff_a', 'a long test password');
    expect((await c.request('GET', '/auth/me')).statusCode).toBe(200);
    expect((await c.request('POST', '/auth/logout')).statusCode).toBe(204);
    expect((await c.request('GET', '/auth/me')).statusCode).toBe(401);
  });
});

describe('district and role scoping', () => {
  it('a district-A user gets 403 on a district-B camera', async () => {
    const res = await staffA.request('GET', `/api/cameras/${cameraB}`);
    expect(res.statusCode).toBe(403);
    const patch = await staffA.request('PATCH', `/api/cameras/${cameraB}`, { name: 'hijacked' });
    expect(patch.statusCode).toBe(403);
  });

  it('lists only the caller district', async () => {
    await staffA.request('POST', '/api/cameras', camera('Pudong gate'));
    const listA = (await staffA.request('GET', '/api/cameras')).json().cameras as {
      name: string;
      districtId: string;
    }[];
    expect(listA.map((c) => c.name)).toEqual(['Pudong gate']);
    const listB = (await staffB.request('GET', '/api/cameras')).json().cameras as { name: string }[];
    expect(listB.map((c) => c.name)).toEqual(['Huangpu market']);
  });

  it('cannot create a camera in another district', async () => {
    const res = await staffA.request('POST', '/api/cameras', { ...camera('sneaky'), districtId: 'huangpu' });
    expect(res.statusCode).toBe(403);
  });

  it('a reviewer can read but not change camera config', async () => {
    const list = (await reviewerA.request('GET', '/api/cameras')).json().cameras as { id: string }[];
    expect(list.length).toBe(1);
    const res = await reviewerA.request('PATCH', `/api/cameras/${list[0]!.id}`, { name: 'renamed' });
    expect(res.statusCode).toBe(403);
    const create = await reviewerA.request('POST', '/api/cameras', camera('nope'));
    expect(create.statusCode).toBe(403);
  });

  it('a change makes a new config version and an audit row', async () => {
    const res = await staffB.request('PATCH', `/api/cameras/${cameraB}`, {
      sampleIntervalS: 10,
      published: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().version).toBe(2);
    const versions = await ctx.pool.query(
      'select version from camera_versions where camera_id = $1 order by version',
      [cameraB],
    );
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2]);
    const audit = await ctx.pool.query(`select action from audit_log where subject_id = $1 order by id`, [
      cameraB,
    ]);
    expect(audit.rows.map((r) => r.action)).toEqual(['camera.create', 'camera.update']);
  });

  it('explains why a camera may not produce evidence', async () => {
    const view = (await staffB.request('GET', `/api/cameras/${cameraB}`)).json();
    expect(view.evidence.eligible).toBe(false);
    expect(view.evidence.reasons).toContain('legal review of the device is not recorded');
  });

  it('rejects a malformed body with a clear message', async () => {
    const res = await staffA.request('POST', '/api/cameras', {
      name: 'x',
      source: { kind: 'carrier-pigeon' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_input');
  });
});
