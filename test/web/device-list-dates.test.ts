import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/** The public device list gives the day a device was published as Beijing's day, not the UTC day. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedStaff(ctx.pool, 'pd_staff', 'district_staff', 'pudong');
});
afterAll(() => ctx?.close());

describe('public device list dates', () => {
  it('a device published at 06:18 Beijing on the 2nd (22:18 UTC on the 1st) shows the 2nd', async () => {
    const staff = await new TestClient(ctx.app).login('pd_staff', 'a long test password');
    const created = await staff.request('POST', '/api/cameras', {
      name: 'Boundary gate',
      source: { kind: 'snapshot', url: 'http://192.168.5.20/snap.jpg' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    expect((await staff.request('PATCH', `/api/cameras/${id}`, { published: true })).statusCode).toBe(200);
    await ctx.pool.query('update cameras set published_at = $2 where id = $1', [id, '2026-03-01T22:18:00Z']);

    const page = await ctx.app.inject({ method: 'GET', url: '/devices' });
    expect(page.statusCode).toBe(200);
    const row = /<tr>\s*<td>pudong<\/td>\s*<td>Boundary gate<\/td>[\s\S]*?<\/tr>/.exec(page.body)?.[0] ?? '';
    expect(row).toContain('2026-03-02');
    expect(row).not.toContain('2026-03-01');
  });
});
