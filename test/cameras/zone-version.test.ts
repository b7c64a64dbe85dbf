import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noStallZone, rectangle, zoneDraft } from '../../src/rules/scene.fixtures.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let staff: TestClient;
let cameraId: string;

const zone = (name: string) => zoneDraft(noStallZone({ name, points: rectangle(0.1, 0.5, 0.4, 0.9) }));

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  const a = await seedStaff(ctx.pool, 'zv_staff', 'district_staff', 'pudong');
  staff = await new TestClient(ctx.app).login(a.username, a.password);
  cameraId = (
    await staff.request('POST', '/api/cameras', {
      name: 'Gate',
      source: { kind: 'snapshot', url: 'http://10.0.0.9/s.jpg' },
    })
  ).json().id;
});
afterAll(() => ctx.close());

describe('replacing zones edited from a known version', () => {
  it('saves when the camera is still at that version, refuses with 409 when it moved on', async () => {
    const start = (await staff.request('GET', `/api/cameras/${cameraId}/zones`)).json().version as number;
    const first = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [zone('A')],
      expectedVersion: start,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().version).toBe(start + 1);

    // a second editor still holding the old version is refused, and nothing of theirs is stored
    const stale = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [zone('B')],
      expectedVersion: start,
    });
    expect(stale.statusCode).toBe(409);
    const now = (await staff.request('GET', `/api/cameras/${cameraId}/zones`)).json();
    expect(now.version).toBe(start + 1);
    expect(now.zones.map((z: { name: string }) => z.name)).toEqual(['A']);

    // without a version the replacement is unconditional, as before
    const plain = await staff.request('PUT', `/api/cameras/${cameraId}/zones`, { zones: [zone('C')] });
    expect(plain.statusCode).toBe(200);
  });
});
