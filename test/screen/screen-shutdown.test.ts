import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';
import { openStream, sessionCookie } from './screen-fixtures.js';

/* A server that stops ends the command screen's open streams instead of waiting on them for ever. */

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedStaff(ctx.pool, 'wall_staff', 'district_staff', 'pudong');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

it('ends open streams when the server closes', { timeout: 60_000 }, async () => {
  const baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  const cookie = await sessionCookie(ctx.app, 'wall_staff', 'a long test password');
  const stream = await openStream(baseUrl, '/screen/events', cookie);
  await stream.waitFor('snapshot');
  const closing = ctx.app.close();
  await stream.ended;
  await closing;
  expect(stream.events.map((e) => e.event)).toContain('snapshot');
});
