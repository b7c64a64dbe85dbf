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

  it('a user of another district cannot read or change the zones', async () => {
    expect((await other.request('GET', `/api/cameras/${cameraId}/zones`)).statusCode).toBe(403);
    expect((await other.request('PUT', `/api/cameras/${cameraId}/zones`, { zones: [] })).statusCode).toBe(
      403,
    );
  });
});
