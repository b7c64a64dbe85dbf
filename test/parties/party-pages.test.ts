import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/parties/identity-codes.js';
import { shopFrontZone, zoneDraft } from '../../src/rules/scene.fixtures.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let reviewer: TestClient;
const code = (body: string) => body + creditCodeCheckChar(body)!;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'huangpu', '黄浦区');
  const a = await seedStaff(ctx.pool, 'pp_reviewer', 'evidence_reviewer', 'pudong');
  reviewer = await new TestClient(ctx.app).login(a.username, a.password);
});
afterAll(() => ctx.close());

describe('party register pages', () => {
  it('the form posts with the token the page gave', async () => {
    const page = await reviewer.request('GET', '/staff/parties/new', undefined, { accept: 'text/html' });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/staff/parties',
      payload: `_csrf=${encodeURIComponent(token)}&kind=unit&name=%E5%BC%A0&idNumber=${code('91310115MA1K40002').toLowerCase()}&address=x&phone=`,
      headers: {
        cookie: (reviewer as unknown as { cookieHeader(): string }).cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
    });
    expect(res.statusCode).toBe(303);
  });

  it('the form registers a shop and redirects to its page', async () => {
    const form = new URLSearchParams({
      kind: 'unit',
      name: '页面店',
      idNumber: code('91310115MA1K40001'),
      address: '浦东新区 1 号',
      phone: '',
    }).toString();
    const res = await reviewer.request('POST', '/staff/parties', form, {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
    });
    expect(res.statusCode).toBe(303);
    for (const url of [
      String(res.headers.location),
      '/staff/parties',
      '/staff/parties/new',
      '/staff/parties/import',
    ]) {
      const p = await reviewer.request('GET', url, undefined, { accept: 'text/html' });
      expect(p.statusCode).toBe(200);
    }
    const other = await seedStaff(ctx.pool, 'pp_other', 'district_staff', 'huangpu');
    const outsider = await new TestClient(ctx.app).login(other.username, other.password);
    const foreign = await outsider.request('GET', String(res.headers.location), undefined, {
      accept: 'text/html',
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.headers['content-type']).toMatch(/text\/html/);
  });

  it("district staff link a camera's shop-front zone to the shop from its page", async () => {
    const a = await seedStaff(ctx.pool, 'pp_staff', 'district_staff', 'pudong');
    const staff = await new TestClient(ctx.app).login(a.username, a.password);
    const make = async (n: string) =>
      (
        await staff.request('POST', '/api/parties', {
          kind: 'unit',
          name: `门店${n}`,
          idNumber: code(`91310115MA1K5000${n}`),
          address: `浦东新区 ${n} 号`,
        })
      ).json().id as string;
    const [first, second] = [await make('1'), await make('2')];
    const cameraId = (
      await staff.request('POST', '/api/cameras', {
        name: '门店街',
        source: { kind: 'snapshot', url: 'http://10.0.0.9/s.jpg' },
      })
    ).json().id;
    const zoneId = (
      await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
        zones: [zoneDraft(shopFrontZone(first, { name: '门前' }))],
      })
    ).json().zones[0].id;

    const before = await staff.request('GET', `/staff/parties/${second}`, undefined, { accept: 'text/html' });
    expect(before.body).toContain(`value="${cameraId}/${zoneId}"`);
    expect(before.body).toContain('门店1');
    const linked = await staff.request(
      'POST',
      `/staff/parties/${second}/shop-front`,
      `zone=${cameraId}%2F${zoneId}`,
      {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
    );
    expect(linked.statusCode).toBe(303);
    const after = await staff.request('GET', `/staff/parties/${second}`, undefined, { accept: 'text/html' });
    expect(after.body).toContain(`data-zone="${zoneId}"`);
    const zones = (await staff.request('GET', `/api/cameras/${cameraId}/zones`)).json().zones;
    expect(zones[0].frontLine.partyId).toBe(second);

    // a reviewer sees the shop's zones but is offered no link: changing a zone is district staff's work
    const page = await reviewer.request('GET', `/staff/parties/${second}`, undefined, {
      accept: 'text/html',
    });
    expect(page.body).toContain(`data-zone="${zoneId}"`);
    expect(page.body).not.toContain('id="link-shop-front"');
  });
});
