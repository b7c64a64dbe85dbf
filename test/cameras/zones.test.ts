import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  frontLine,
  noStallZone,
  rectangle,
  shopFrontZone,
  zoneDraft,
} from '../../src/rules/scene.fixtures.js';
import type { Zone } from '../../src/zones/zone.schema.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let staff: TestClient;
let other: TestClient;
let cameraId: string;
let partyId: string;

const square = rectangle(0.1, 0.5, 0.4, 0.9);
const zone = (over: Partial<Zone> = {}) => zoneDraft(noStallZone({ points: square, ...over }));

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedDistrict(ctx.pool, 'huangpu');
  const a = await seedStaff(ctx.pool, 'zone_staff', 'district_staff', 'pudong');
  const b = await seedStaff(ctx.pool, 'zone_other', 'district_staff', 'huangpu');
  staff = await new TestClient(ctx.app).login(a.username, a.password);
  other = await new TestClient(ctx.app).login(b.username, b.password);
  cameraId = (
    await staff.request('POST', '/api/cameras', {
      name: 'Gate',
      source: { kind: 'snapshot', url: 'http://10.0.0.9/s.jpg' },
    })
  ).json().id;
  const { rows } = await ctx.pool.query(
    `insert into parties (district_id, kind, name, id_number) values ('pudong', 'unit', '张记水果店', '91310115MA1H000001') returning id`,
  );
  partyId = rows[0].id;
});
afterAll(() => ctx.close());

describe('zones', () => {
  it('saves valid zones, assigns ids and makes a new version', async () => {
    const res = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [
        zone(),
        zoneDraft(
          shopFrontZone(partyId, {
            name: 'Fruit shop front',
            points: rectangle(0.5, 0.4, 0.9, 0.8),
            frontLine: frontLine(0.5, 0.5, 0.9, partyId),
          }),
        ),
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.version).toBe(2);
    expect(body.zones).toHaveLength(2);
    expect(body.zones.every((z: { id: string }) => /^[0-9a-f-]{36}$/.test(z.id))).toBe(true);
    const snap = await ctx.pool.query(
      'select config from camera_versions where camera_id = $1 and version = 2',
      [cameraId],
    );
    expect(snap.rows[0].config.zones).toHaveLength(2);
  });

  it.each([
    ['fewer than 3 points', zone({ points: square.slice(0, 2) }), /3/],
    ['a point outside the frame', zone({ points: [...square.slice(0, 3), { x: 1.4, y: 0.9 }] }), /outside/],
    [
      'crossing edges',
      zone({
        points: [
          { x: 0.1, y: 0.1 },
          { x: 0.5, y: 0.5 },
          { x: 0.5, y: 0.1 },
          { x: 0.1, y: 0.5 },
        ],
      }),
      /cross/,
    ],
    [
      'an absurd vertex count',
      zone({
        points: Array.from({ length: 500 }, (_, i) => ({
          x: 0.5 + 0.4 * Math.cos(i / 80),
          y: 0.5 + 0.4 * Math.sin(i / 80),
        })),
      }),
      /64/,
    ],
  ])('rejects %s with a message naming the zone', async (_what, bad, pattern) => {
    const res = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, { zones: [bad] });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/Market gate/);
    expect(res.json().message).toMatch(pattern);
  });

  it('rejects a front line naming a party of another district', async () => {
    const res = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [
        zone({
          kind: 'shop_front',
          frontLine: frontLine(0.6, 0.1, 0.4, '00000000-0000-4000-8000-000000000000', {
            sidewalkSide: 'left',
            allowedDepth: 0,
          }),
        }),
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/register/);
  });

  it('turning warn-first off needs a recorded reason (Pudong art. 15)', async () => {
    const off = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [zone({ warnFirst: false })],
    });
    expect(off.statusCode).toBe(400);
    expect(off.json().message).toMatch(/Market gate.*warn-first is turned off without a reason/);
    const blank = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [zone({ warnFirst: false, warnFirstOffReason: '   ' })],
    });
    expect(blank.statusCode).toBe(400);
    const reasoned = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [zone({ warnFirst: false, warnFirstOffReason: '区政府公告：该路段占道设摊直接处罚' })],
    });
    expect(reasoned.statusCode).toBe(200);
    expect(reasoned.json().zones[0].warnFirstOffReason).toBe('区政府公告：该路段占道设摊直接处罚');
  });

  it('turning a kind default off needs a reason; a stored config off without one still loads', async () => {
    const off = await staff.request('PATCH', `/api/cameras/${cameraId}`, {
      rules: { defaults: { dumping_spot: { warnFirst: false } } },
    });
    expect(off.statusCode).toBe(400);
    expect(off.json().message).toMatch(/defaults\.dumping_spot\.warnFirstOffReason/);
    const reasoned = await staff.request('PATCH', `/api/cameras/${cameraId}`, {
      rules: {
        defaults: { dumping_spot: { warnFirst: false, warnFirstOffReason: '执法计划：建筑垃圾直接立案' } },
      },
    });
    expect(reasoned.statusCode).toBe(200);
    // A config written before reasons were asked for: saving other settings leaves it as it is.
    await ctx.pool.query(`update cameras set rules = $2 where id = $1`, [
      cameraId,
      JSON.stringify({ defaults: { no_stall: { warnFirst: false } } }),
    ]);
    expect((await staff.request('PATCH', `/api/cameras/${cameraId}`, { name: 'Gate 2' })).statusCode).toBe(
      200,
    );
    expect((await staff.request('GET', `/api/cameras/${cameraId}`)).statusCode).toBe(200);
  });

  it('a user of another district cannot read or change the zones', async () => {
    expect((await other.request('GET', `/api/cameras/${cameraId}/zones`)).statusCode).toBe(403);
    expect((await other.request('PUT', `/api/cameras/${cameraId}/zones`, { zones: [] })).statusCode).toBe(
      403,
    );
  });
});
