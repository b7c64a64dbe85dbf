import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

/** A browser-like client that keeps every cookie and sends only what it is told to (no automatic CSRF token). */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly app: FastifyInstance) {}

  async send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ) {
    const res = await this.app.inject({
      method,
      url,
      payload: body as never,
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...headers },
    });
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return res;
  }

  async login(username: string, password: string): Promise<this> {
    const token = (await this.send('GET', '/auth/csrf')).json().token as string;
    const res = await this.send('POST', '/auth/login', { 'x-csrf-token': token }, { username, password });
    expect(res.statusCode).toBe(200);
    return this;
  }
}

async function seedPeople(ctx: TestContext) {
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  return {
    admin: await seedStaff(ctx.pool, 'board-admin', 'admin', null),
    staff: await seedStaff(ctx.pool, 'board-staff', 'district_staff', 'pudong'),
    legal: await seedStaff(ctx.pool, 'board-legal', 'legal_reviewer', 'pudong'),
  };
}

describe('the queue board, read-only by default', () => {
  let ctx: TestContext;
  let people: Awaited<ReturnType<typeof seedPeople>>;

  beforeAll(async () => {
    ctx = await createTestContext();
    people = await seedPeople(ctx);
    await ctx.queues.enqueue('deliver', { deliveryId: 'x' }, { jobId: 'board-1' });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('sends anyone signed out to the sign-in page, and answers its API with 401', async () => {
    const anonymous = new Browser(ctx.app);
    const page = await anonymous.send('GET', '/admin/queues');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/login?next=%2Fadmin%2Fqueues');
    expect((await anonymous.send('GET', '/admin/queues/api/queues')).statusCode).toBe(401);
    expect((await anonymous.send('GET', '/admin/queues/static/js/main.f10757109b.js')).statusCode).toBe(401);
  });

  it('refuses every role but admin', async () => {
    for (const who of [people.staff, people.legal]) {
      const browser = await new Browser(ctx.app).login(who.username, who.password);
      expect((await browser.send('GET', '/admin/queues')).statusCode).toBe(403);
      const api = await browser.send('GET', '/admin/queues/api/queues');
      expect(api.statusCode).toBe(403);
      expect(api.body).not.toContain('board-1');
    }
  });

  it('shows an admin every queue and its jobs, with a strict content policy', async () => {
    const admin = await new Browser(ctx.app).login(people.admin.username, people.admin.password);
    const page = await admin.send('GET', '/admin/queues');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(admin.cookies.has('XSRF-TOKEN')).toBe(false);
    const api = await admin.send('GET', '/admin/queues/api/queues?activeQueue=deliver&status=waiting');
    expect(api.statusCode).toBe(200);
    const body = api.json() as {
      queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    };
    expect(body.queues.map((q) => q.name).sort()).toEqual(
      [
        'alert-sweep',
        'case-sweep',
        'deliver',
        'detect',
        'evidence',
        'frame-retention',
        'recheck',
        'rules',
        'case-review',
        'credit-sweep',
        'complaint-reply',
        'stats-report',
        'stats-summary',
        'spot-check',
      ].sort(),
    );
    const deliver = body.queues.find((q) => q.name === 'deliver')!;
    expect(deliver.counts.waiting).toBe(1);
    expect(deliver.readOnlyMode).toBe(true);
  });

  it("refuses every action, even an admin's with a valid CSRF token, and the queue stays as it was", async () => {
    const admin = await new Browser(ctx.app).login(people.admin.username, people.admin.password);
    const token = (await admin.send('GET', '/auth/csrf')).json().token as string;
    for (const url of ['/admin/queues/api/queues/deliver/pause', '/admin/queues/api/queues/deliver/empty']) {
      const res = await admin.send('PUT', url, { 'x-csrf-token': token });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe('read_only');
    }
    const queue = ctx.queues.queue('deliver');
    expect(await queue.isPaused()).toBe(false);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(1);
  });
});

describe('the queue board made writable', () => {
  let ctx: TestContext;
  let people: Awaited<ReturnType<typeof seedPeople>>;

  beforeAll(async () => {
    ctx = await createTestContext({ QUEUE_BOARD: 'writable' });
    people = await seedPeople(ctx);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it("takes an admin's action only with the CSRF token its page handed out", async () => {
    const admin = await new Browser(ctx.app).login(people.admin.username, people.admin.password);
    const queue = ctx.queues.queue('deliver');

    expect((await admin.send('PUT', '/admin/queues/api/queues/deliver/pause')).statusCode).toBe(403);
    const forged = await admin.send('PUT', '/admin/queues/api/queues/deliver/pause', {
      'x-xsrf-token': 'forged',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error).toBe('csrf');
    expect(await queue.isPaused()).toBe(false);

    expect((await admin.send('GET', '/admin/queues')).statusCode).toBe(200);
    const xsrf = admin.cookies.get('XSRF-TOKEN');
    expect(xsrf).toBeTruthy();
    const paused = await admin.send('PUT', '/admin/queues/api/queues/deliver/pause', {
      'x-xsrf-token': decodeURIComponent(xsrf!),
    });
    expect(paused.statusCode).toBe(200);
    expect(await queue.isPaused()).toBe(true);
  });

  it('still refuses other roles, token or not', async () => {
    const staff = await new Browser(ctx.app).login(people.staff.username, people.staff.password);
    const token = (await staff.send('GET', '/auth/csrf')).json().token as string;
    const res = await staff.send('PUT', '/admin/queues/api/queues/deliver/resume', { 'x-csrf-token': token });
    expect(res.statusCode).toBe(403);
    expect(await ctx.queues.queue('deliver').isPaused()).toBe(true);
  });
});
