import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar, idNumberCheckChar } from '../../src/parties/identity-codes.js';
import { shopFrontZone, zoneDraft } from '../../src/rules/scene.fixtures.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let staff: TestClient;
let reviewer: TestClient;
let other: TestClient;
let agencyHead: TestClient;

const code = (body: string) => body + creditCodeCheckChar(body)!;
const person = (body: string) => body + idNumberCheckChar(body)!;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedDistrict(ctx.pool, 'huangpu');
  const login = async (name: string, role: Parameters<typeof seedStaff>[2], district: string) => {
    const a = await seedStaff(ctx.pool, name, role, district);
    return new TestClient(ctx.app).login(a.username, a.password);
  };
  staff = await login('pr_staff', 'district_staff', 'pudong');
  reviewer = await login('pr_reviewer', 'evidence_reviewer', 'pudong');
  other = await login('pr_other', 'district_staff', 'huangpu');
  agencyHead = await login('pr_head', 'agency_head', 'pudong');
});
afterAll(() => ctx.close());

const countParties = async (district: string) =>
  Number(
    (await ctx.pool.query('select count(*) from parties where district_id = $1', [district])).rows[0].count,
  );

describe('registering a party', () => {
  it('a reviewer registers a shop by its credit code and district staff a person by the ID number', async () => {
    const shop = await reviewer.request('POST', '/api/parties', {
      kind: 'unit',
      name: '张记小吃店',
      idNumber: code('91310115MA1K10001'),
      address: '浦东新区东方路 100 号',
    });
    expect(shop.statusCode).toBe(201);
    const one = await staff.request('POST', '/api/parties', {
      kind: 'person',
      name: '李某',
      idNumber: person('31011519850505001').toLowerCase(),
    });
    expect(one.statusCode).toBe(201);
    const { rows } = await ctx.pool.query('select id_number from parties where id = $1', [one.json().id]);
    expect(rows[0].id_number).toBe(person('31011519850505001'));
  });

  it('refuses a malformed credit code or ID number, naming the standard', async () => {
    const good = code('91310115MA1K10002');
    const bad = good.slice(0, 17) + (good[17] === 'Y' ? 'X' : 'Y');
    const unit = await staff.request('POST', '/api/parties', {
      kind: 'unit',
      name: '错号店',
      idNumber: bad,
      address: '浦东新区',
    });
    expect(unit.statusCode).toBe(400);
    expect(unit.json().message).toMatch(/GB 32100/);
    const id = await staff.request('POST', '/api/parties', {
      kind: 'person',
      name: '王某',
      idNumber: '310115199001010011',
    });
    expect(id.statusCode).toBe(400);
    expect(id.json().message).toMatch(/GB 11643/);
    expect(await countParties('pudong')).toBe(2);
  });

  it('refuses the same credit code or ID number twice in a district, another district may hold it', async () => {
    const again = await staff.request('POST', '/api/parties', {
      kind: 'unit',
      name: '张记小吃（新）',
      idNumber: code('91310115MA1K10001'),
      address: '浦东新区东方路 102 号',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().details.reason).toBe('duplicate_number');
    const samePerson = await staff.request('POST', '/api/parties', {
      kind: 'person',
      name: '李某某',
      idNumber: person('31011519850505001'),
    });
    expect(samePerson.statusCode).toBe(409);
    const elsewhere = await other.request('POST', '/api/parties', {
      kind: 'unit',
      name: '张记小吃店',
      idNumber: code('91310115MA1K10001'),
      address: '黄浦区南京东路 1 号',
    });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('warns of a shop with the same name and address and adds it only when confirmed', async () => {
    const body = {
      kind: 'unit',
      name: '张记 小吃店',
      idNumber: code('91310115MA1K10003'),
      address: '浦东新区东方路100号',
    };
    const warned = await staff.request('POST', '/api/parties', body);
    expect(warned.statusCode).toBe(409);
    expect(warned.json().details).toMatchObject({
      reason: 'same_name_address',
      parties: [{ name: '张记小吃店' }],
    });
    const confirmed = await staff.request('POST', '/api/parties', { ...body, confirmSamePlace: true });
    expect(confirmed.statusCode).toBe(201);
    const { rows } = await ctx.pool.query(
      `select data from audit_log where action = 'party.create' and subject_id = $1`,
      [confirmed.json().id],
    );
    expect(rows[0].data).toMatchObject({ confirmedSamePlace: true });
  });

  it('registers a stall without a code and a person without an ID number; a second stall at the same place is a warning', async () => {
    const stall = { kind: 'unit', name: '无照摊位（煎饼）', address: '浦东新区东方路 200 号路口' };
    const first = await reviewer.request('POST', '/api/parties', stall);
    expect(first.statusCode).toBe(201);
    const again = await reviewer.request('POST', '/api/parties', { ...stall, idNumber: null });
    expect(again.statusCode).toBe(409);
    expect(again.json().details.reason).toBe('same_name_address');
    const nobody = await staff.request('POST', '/api/parties', { kind: 'person', name: '流动摊贩甲' });
    expect(nobody.statusCode).toBe(201);
    const alsoNobody = await staff.request('POST', '/api/parties', { kind: 'person', name: '流动摊贩乙' });
    expect(alsoNobody.statusCode).toBe(201);
    const listed = (await staff.request('GET', '/api/parties?q=流动摊贩')).json().parties;
    expect(listed.map((p: { idNumber: string | null }) => p.idNumber)).toEqual([null, null]);
    const noAddress = await staff.request('POST', '/api/parties', { kind: 'unit', name: '无地址店' });
    expect(noAddress.statusCode).toBe(400);
  });

  it('keeps to the district: staff cannot add to another, the agency head cannot add at all', async () => {
    const foreign = await other.request('POST', '/api/parties', {
      districtId: 'pudong',
      kind: 'person',
      name: '赵某',
      idNumber: person('31011519700101002'),
    });
    expect(foreign.statusCode).toBe(403);
    const head = await agencyHead.request('POST', '/api/parties', {
      kind: 'person',
      name: '赵某',
      idNumber: person('31011519700101002'),
    });
    expect(head.statusCode).toBe(403);
    const listed = (await other.request('GET', '/api/parties?q=张记')).json().parties;
    expect(listed.map((p: { districtId: string }) => p.districtId)).toEqual(['huangpu']);
  });
});

describe("linking a camera's shop-front zone to its shop", () => {
  it('the zone names the shop after the link; a person or another district is refused', async () => {
    const shopId = (
      await staff.request('POST', '/api/parties', {
        kind: 'unit',
        name: '链接店',
        idNumber: code('91310115MA1K10009'),
        address: '浦东新区世纪大道 9 号',
      })
    ).json().id;
    const firstShop = (await staff.request('GET', '/api/parties?q=张记小吃店')).json().parties[0].id;
    const cameraId = (
      await staff.request('POST', '/api/cameras', {
        name: '世纪大道',
        source: { kind: 'snapshot', url: 'http://10.0.0.9/s.jpg' },
      })
    ).json().id;
    const put = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [zoneDraft(shopFrontZone(firstShop, { name: '9 号门前' }))],
    });
    expect(put.statusCode).toBe(200);
    const zoneId = put.json().zones[0].id;

    const linked = await staff.request('POST', `/api/parties/${shopId}/shop-front`, { cameraId, zoneId });
    expect(linked.statusCode).toBe(204);
    const zones = (await staff.request('GET', `/api/cameras/${cameraId}/zones`)).json().zones;
    expect(zones[0].frontLine.partyId).toBe(shopId);

    const personId = (await staff.request('GET', '/api/parties?q=李某')).json().parties[0].id;
    const toPerson = await staff.request('POST', `/api/parties/${personId}/shop-front`, { cameraId, zoneId });
    expect(toPerson.statusCode).toBe(400);
    const foreign = await other.request('POST', `/api/parties/${shopId}/shop-front`, { cameraId, zoneId });
    expect(foreign.statusCode).toBe(404);
    const byReviewer = await reviewer.request('POST', `/api/parties/${shopId}/shop-front`, {
      cameraId,
      zoneId,
    });
    expect(byReviewer.statusCode).toBe(403);
  });
});
