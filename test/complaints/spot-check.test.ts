import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { ComplaintService } from '../../src/complaints/complaint.service.js';
import { SpotCheckStage } from '../../src/complaints/spot-check-stage.service.js';
import { createDetector, type Detector } from '../../src/detect/detector.service.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { sha256Hex } from '../../src/storage/frame-store.js';
import { rectangle } from '../../src/rules/scene.fixtures.js';
import { closedPort, startServer } from '../support/ingest-fixtures.js';
import { configureCamera, silent } from '../support/rules-fixtures.js';
import { seedCamera } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let detector: Detector;
let server: Awaited<ReturnType<typeof startServer>>;
let jpeg: Buffer;
let cameraId: string;
let deadCameraId: string;
let staff: TestClient;
let xuhui: TestClient;
let staffPrincipal: StaffPrincipal;
let complaints: ComplaintService;
let frameRequests = 0;
const ROAD = '5b9a3c1e-0d2f-4e6a-8b7c-1d2e3f4a5b6c';
const GATE = '6c0b4d2f-1e3a-4f7b-9c8d-2e3f4a5b6c7d';

const count = async (sql: string, params: unknown[] = []) =>
  Number((await ctx.pool.query<{ n: string }>(sql, params)).rows[0]!.n);

async function fileComplaint(matchedCameraId: string | null): Promise<string> {
  const id = await complaints.fileByStaff(staffPrincipal, {
    place: { text: '某路某号门前' },
    content: '有人在门前摆摊',
  });
  await ctx.pool.query('update complaints set matched_camera_id = $2 where id = $1', [id, matchedCameraId]);
  return id;
}

beforeAll(async () => {
  jpeg = await readFile(path.join(REPO_ROOT, 'fixtures/frames/vtest-f200.jpg'));
  server = await startServer({
    '/snap.jpg': (_request, response) => {
      frameRequests += 1;
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    },
  });
  ctx = await createTestContext();
  complaints = new ComplaintService(ctx.pool);
  detector = await createDetector({ threads: 1 });
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'xuhui', '徐汇区');
  cameraId = await seedCamera(ctx.pool, 'pudong', '世纪大道东方路口');
  await ctx.pool.query('update cameras set source = $2 where id = $1', [
    cameraId,
    JSON.stringify({ kind: 'snapshot', url: server.url('/snap.jpg') }),
  ]);
  // the van and the car of the frame stand in a zone that watches vehicles (the default no-stall zone watches goods)
  await configureCamera(ctx.pool, cameraId, [
    {
      id: ROAD,
      name: '整段道路',
      kind: 'no_stall',
      points: rectangle(0.01, 0.01, 0.99, 0.99),
      enabled: true,
      roles: ['vehicle'],
    },
    {
      id: GATE,
      name: '校门口',
      kind: 'no_stall',
      points: rectangle(0.01, 0.01, 0.99, 0.99),
      enabled: true,
    },
  ]);
  deadCameraId = await seedCamera(ctx.pool, 'pudong', '东方路无信号');
  await ctx.pool.query('update cameras set source = $2 where id = $1', [
    deadCameraId,
    JSON.stringify({
      kind: 'snapshot',
      url: `http://127.0.0.1:${await closedPort()}/snap.jpg`,
      timeoutMs: 2000,
    }),
  ]);
  const s = await seedStaff(ctx.pool, 'sc_staff', 'district_staff', 'pudong');
  staffPrincipal = {
    id: s.id,
    username: s.username,
    displayName: s.username,
    role: 'district_staff',
    districtId: 'pudong',
  };
  await seedStaff(ctx.pool, 'sc_xuhui', 'district_staff', 'xuhui');
  staff = await new TestClient(ctx.app).login('sc_staff', 'a long test password');
  xuhui = await new TestClient(ctx.app).login('sc_xuhui', 'a long test password');
}, 120_000);

afterAll(async () => {
  await detector?.close();
  await server?.close();
  await ctx?.close();
});

describe('spot check of a complaint', () => {
  it('takes a frame from the matched camera, stores it under its SHA-256 with a row, an audit row and a job', async () => {
    const complaintId = await fileComplaint(cameraId);
    const framesBefore = await count('select count(*) as n from frames');
    const res = await staff.request('POST', `/staff/complaints/${complaintId}/spot-checks`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/staff/complaints/${complaintId}#spot-checks`);

    const { rows } = await ctx.pool.query<{
      id: string;
      image_key: string;
      sha256: string;
      status: string;
      camera_id: string;
    }>('select id, image_key, sha256, status, camera_id from complaint_spot_checks where complaint_id = $1', [
      complaintId,
    ]);
    expect(rows).toHaveLength(1);
    const check = rows[0]!;
    expect(check).toMatchObject({ status: 'pending', camera_id: cameraId, sha256: sha256Hex(jpeg) });
    expect(check.image_key).toBe(`spot-checks/${complaintId}/${sha256Hex(jpeg)}.jpg`);
    expect((await ctx.blobs.get(check.image_key)).equals(jpeg)).toBe(true);
    // kept out of the pipeline: no frame row, the camera's own sequence untouched
    expect(await count('select count(*) as n from frames')).toBe(framesBefore);
    expect(
      await count(
        `select count(*) as n from audit_log where action = 'complaint.spot_check_requested' and subject_id = $1`,
        [complaintId],
      ),
    ).toBe(1);
    const job = await ctx.queues.queue('spot-check').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(job.map((j) => j.data)).toContainEqual({ spotCheckId: check.id });

    // the page shows it pending, with a note to reload
    const page = await staff.request('GET', `/staff/complaints/${complaintId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('调取最近摄像头画面并核查');
    expect(page.body).toContain('请稍后刷新本页');

    // the detect worker's handler judges the stored frame with the real detector
    const stage = new SpotCheckStage({ pool: ctx.pool, blobs: ctx.blobs, detector, logger: silent });
    expect(await stage.handle({ spotCheckId: check.id }, { number: 1, of: 3 })).toBe('done');
    expect(await stage.handle({ spotCheckId: check.id }, { number: 1, of: 3 })).toBe('already');
    const done = await ctx.pool.query<{
      status: string;
      result: {
        zones: { zoneId: string; flagged: boolean; objects: { role: string }[] }[];
        counts: Record<string, number>;
      };
    }>('select status, result from complaint_spot_checks where id = $1', [check.id]);
    expect(done.rows[0]!.status).toBe('done');
    const result = done.rows[0]!.result;
    const road = result.zones.find((z) => z.zoneId === ROAD)!;
    expect(road.flagged).toBe(true);
    expect(road.objects.every((o) => o.role === 'vehicle')).toBe(true);
    expect(result.zones.find((z) => z.zoneId === GATE)).toMatchObject({ flagged: false, objects: [] });
    expect(result.counts.person).toBeGreaterThanOrEqual(5);
    // a snapshot, not a violation
    expect(await count('select count(*) as n from violations')).toBe(0);

    const after = await staff.request('GET', `/staff/complaints/${complaintId}`);
    expect(after.body).toContain('已核查');
    expect(after.body).toContain('整段道路');
    expect(after.body).toMatch(/发现 \d+ 个规则关注的物体/);

    const image = await staff.request(
      'GET',
      `/staff/complaints/${complaintId}/spot-checks/${check.id}/image`,
    );
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.rawPayload.equals(jpeg)).toBe(true);
    expect(
      await count(`select count(*) as n from audit_log where action = 'complaint.spot_check_image_viewed'`),
    ).toBeGreaterThanOrEqual(1);

    // staff of another district see neither the complaint's frame nor can take one
    const other = await xuhui.request(
      'GET',
      `/staff/complaints/${complaintId}/spot-checks/${check.id}/image`,
    );
    expect(other.statusCode).toBe(404);
  }, 120_000);

  it('marks a check failed with its error once the detector has failed every try', async () => {
    const complaintId = await fileComplaint(cameraId);
    expect((await staff.request('POST', `/staff/complaints/${complaintId}/spot-checks`, {})).statusCode).toBe(
      303,
    );
    const { rows } = await ctx.pool.query<{ id: string }>(
      'select id from complaint_spot_checks where complaint_id = $1',
      [complaintId],
    );
    const broken = {
      detect: () => Promise.reject(new Error('inference session lost')),
    } as unknown as Detector;
    const stage = new SpotCheckStage({ pool: ctx.pool, blobs: ctx.blobs, detector: broken, logger: silent });
    await expect(stage.handle({ spotCheckId: rows[0]!.id }, { number: 1, of: 3 })).rejects.toThrow(
      /session lost/,
    );
    const still = await ctx.pool.query('select status from complaint_spot_checks where id = $1', [
      rows[0]!.id,
    ]);
    expect(still.rows[0]).toMatchObject({ status: 'pending' });
    expect(await stage.handle({ spotCheckId: rows[0]!.id }, { number: 3, of: 3 })).toBe('failed');
    const failed = await ctx.pool.query('select status, error from complaint_spot_checks where id = $1', [
      rows[0]!.id,
    ]);
    expect(failed.rows[0]).toMatchObject({ status: 'failed', error: 'inference session lost' });
    const page = await staff.request('GET', `/staff/complaints/${complaintId}`);
    expect(page.body).toContain('识别失败：inference session lost');
  }, 60_000);

  it('refuses without a matched camera (409), in another district (404), and stores nothing when the camera is unreachable', async () => {
    const before = await count('select count(*) as n from complaint_spot_checks');
    const requestsBefore = frameRequests;

    const noCamera = await fileComplaint(null);
    const refused = await staff.request('POST', `/staff/complaints/${noCamera}/spot-checks`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('该诉件没有匹配的摄像头');
    const page = await staff.request('GET', `/staff/complaints/${noCamera}`);
    expect(page.body).toContain('id="spot-check-no-camera"');
    expect(page.body).not.toContain('id="spot-check-form"');

    const withCamera = await fileComplaint(cameraId);
    const foreign = await xuhui.request('POST', `/staff/complaints/${withCamera}/spot-checks`, {});
    expect(foreign.statusCode).toBe(404);
    expect(frameRequests).toBe(requestsBefore);

    const dead = await fileComplaint(deadCameraId);
    const unreachable = await staff.request('POST', `/staff/complaints/${dead}/spot-checks`, {});
    expect(unreachable.statusCode).toBe(424);
    expect(unreachable.body).toContain('未能从摄像头取得画面，未保存任何内容');

    expect(await count('select count(*) as n from complaint_spot_checks')).toBe(before);
    expect(
      await count(
        `select count(*) as n from audit_log where action = 'complaint.spot_check_requested' and subject_id = any($1)`,
        [[noCamera, withCamera, dead]],
      ),
    ).toBe(0);
  }, 60_000);
});
