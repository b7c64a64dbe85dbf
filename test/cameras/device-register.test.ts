import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  const a = await seedStaff(ctx.pool, 'reg_staff', 'district_staff', 'pudong');
  staff = await new TestClient(ctx.app).login(a.username, a.password);
  cameraId = (
    await staff.request('POST', '/api/cameras', {
      name: 'Register',
      source: { kind: 'snapshot', url: 'http://192.168.5.20/snap.jpg' },
    })
  ).json().id;
});
afterAll(() => ctx.close());

describe('device register', () => {
  it('a camera becomes evidence-eligible only when reviews, a passing check and publication are all recorded', async () => {
    const reasons = async () =>
      (await staff.request('GET', `/api/cameras/${cameraId}`)).json().evidence.reasons as string[];
    expect(await reasons()).toHaveLength(4);
    await staff.request('PATCH', `/api/cameras/${cameraId}`, {
      legalReviewDate: '2026-10-01',
      legalReviewer: '法制科 王',
      technicalReviewDate: '2026-10-02',
      technicalReviewer: '信息中心 李',
      certificateId: 'CMC-2026-001',
    });
    expect(await reasons()).toEqual([
      'no passing maintenance or test record',
      'device location is not published',
    ]);
    const rec = await staff.request('POST', `/api/cameras/${cameraId}/device-records`, {
      kind: 'test',
      performedAt: '2026-10-03T09:00:00+08:00',
      performedBy: '维保公司',
      result: 'pass',
    });
    expect(rec.statusCode).toBe(201);
    await staff.request('PATCH', `/api/cameras/${cameraId}`, { published: true });
    const view = (await staff.request('GET', `/api/cameras/${cameraId}`)).json();
    expect(view.evidence).toEqual({ eligible: true, reasons: [] });
    await staff.request('POST', `/api/cameras/${cameraId}/device-records`, {
      kind: 'maintenance',
      performedAt: '2026-11-01T09:00:00+08:00',
      performedBy: '维保公司',
      result: 'fail',
      notes: 'lens cracked',
    });
    expect(await reasons()).toEqual(['the latest maintenance or test record failed']);
    const list = (await staff.request('GET', `/api/cameras/${cameraId}/device-records`)).json().records;
    expect(list.map((r: { kind: string }) => r.kind)).toEqual(['maintenance', 'test']);
  });

  it('the public list shows published devices without their URLs', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/public/devices' });
    expect(res.statusCode).toBe(200);
    expect(res.json().devices.map((d: { name: string }) => d.name)).toEqual(['Register']);
    expect(res.body).not.toContain('192.168.5.20');
    const page = await ctx.app.inject({ method: 'GET', url: '/devices' });
    expect(page.body).toContain('Register');
    expect(page.body).not.toContain('snap.jpg');
  });

  it('refuses camera URLs the ingest workers would refuse, naming why', async () => {
    for (const url of [
      'file:///etc/passwd',
      'http://169.254.169.254/latest/meta-data/',
      'ftp://10.0.0.1/x.jpg',
      'rtsp://10.0.0.1/stream',
    ]) {
      const res = await staff.request('POST', '/api/cameras', {
        name: 'bad',
        source: { kind: 'snapshot', url },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().message).toMatch(/^source: /);
    }
  });

  it('validates rules overrides as a whole', async () => {
    const bad = await staff.request('PATCH', `/api/cameras/${cameraId}`, {
      rules: { tracker: { smoothing: 7 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/smoothing/);
    const ok = await staff.request('PATCH', `/api/cameras/${cameraId}`, {
      detectionFilter: { minScore: 0.4, minArea: 0.0005 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().detectionFilter).toEqual({ minScore: 0.4, minArea: 0.0005 });
  });
});
