import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

const VIDEO = path.resolve('fixtures/video/car-detection.mp4');

let ctx: TestContext;
let staff: TestClient;
let other: TestClient;
let reviewer: TestClient;
let cityAdmin: TestClient;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'jingan', '静安区');
  const a = await seedStaff(ctx.pool, 'adm_staff', 'district_staff', 'pudong');
  const b = await seedStaff(ctx.pool, 'adm_other', 'district_staff', 'jingan');
  const c = await seedStaff(ctx.pool, 'adm_rev', 'evidence_reviewer', 'pudong');
  staff = await new TestClient(ctx.app).login(a.username, a.password);
  other = await new TestClient(ctx.app).login(b.username, b.password);
  reviewer = await new TestClient(ctx.app).login(c.username, c.password);
  const d = await seedStaff(ctx.pool, 'adm_city', 'admin', null);
  cityAdmin = await new TestClient(ctx.app).login(d.username, d.password);
});
afterAll(() => ctx.close());

/** The page's form token, as the browser would post it. */
async function tokenOf(client: TestClient, url: string): Promise<string> {
  const res = await client.request('GET', url);
  expect(res.statusCode).toBe(200);
  return /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
}

async function camera(id: string) {
  return (
    await ctx.pool.query<{
      name: string;
      source: Record<string, unknown>;
      sample_interval_s: number;
      enabled: boolean;
      published: boolean;
    }>('select name, source, sample_interval_s, enabled, published from cameras where id = $1', [id])
  ).rows[0]!;
}

async function actions(id: string): Promise<string[]> {
  return (
    await ctx.pool.query<{ action: string }>(
      'select action from audit_log where subject_id = $1 order by id',
      [id],
    )
  ).rows.map((r) => r.action);
}

let fileCameraId: string;

describe('camera administration pages', () => {
  it('the new-camera form is Chinese, loops a video file by default and says what looping does', async () => {
    const res = await staff.request('GET', '/staff/cameras/new');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('lang="zh-CN"');
    expect(res.body).toMatch(/id="loop" name="loop"\s+checked/);
    expect(res.body).toContain('视频文件播完后摄像头即停止采集');
  });

  it('refuses a bad form with the messages in Chinese beside the fields, and saves nothing', async () => {
    const _csrf = await tokenOf(staff, '/staff/cameras/new');
    const res = await staff.request('POST', '/staff/cameras/new', {
      _csrf,
      name: ' ',
      latitude: '91',
      kind: 'file',
      location: 'videos/a.mp4',
      interval: '0',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="name-error"');
    expect(res.body).toContain('请填写名称。');
    expect(res.body).toContain('纬度须为 -90 至 90 之间的数字。');
    expect(res.body).toContain('采样间隔须为 1 至 3600 之间的整数秒。');
    expect(res.body).toContain('请填写服务器上的绝对路径');
    const snapshot = await staff.request('POST', '/staff/cameras/new', {
      _csrf,
      name: 'x',
      kind: 'snapshot',
      location: 'ftp://192.168.5.20/a.jpg',
    });
    expect(snapshot.body).toContain('快照地址须以 http:// 或 https:// 开头。');
    // The access policy is the API's: a file outside the configured roots is refused with its own words.
    const outside = await staff.request('POST', '/staff/cameras/new', {
      _csrf,
      name: 'Outside',
      kind: 'file',
      location: '/etc/passwd',
      loop: 'on',
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('id="location-error"');
    expect(outside.body).toContain('该来源未通过检查');
    expect(outside.body).toContain('id="source-detail"');
    expect(outside.body).toContain('value="Outside"');
    expect((await ctx.pool.query('select 1 from cameras')).rowCount).toBe(0);
  });

  it('adds a video-file camera with loop on, edits it and switches it off and on, each change audited', async () => {
    const _csrf = await tokenOf(staff, '/staff/cameras/new');
    const res = await staff.request('POST', '/staff/cameras/new', {
      _csrf,
      name: '陆家嘴回放',
      address: '浦东新区陆家嘴环路 1000 号',
      latitude: '31.2397',
      longitude: '121.4998',
      kind: 'file',
      location: VIDEO,
      loop: 'on',
      replay: 'realtime',
      interval: '5',
      enabled: 'on',
    });
    expect(res.statusCode).toBe(303);
    fileCameraId = /\/staff\/cameras\/([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    let row = await camera(fileCameraId);
    expect(row.source).toMatchObject({ kind: 'file', path: VIDEO, loop: true, replay: 'realtime' });
    expect(row.enabled).toBe(true);

    const edit = await staff.request('GET', `/staff/cameras/${fileCameraId}/edit`);
    expect(edit.body).toContain(`value="${VIDEO}"`);
    expect(edit.body).toContain('id="test-source"');
    expect(edit.body).toContain('data-unreachable="来源没有返回画面');
    const token = /name="_csrf" value="([^"]+)"/.exec(edit.body)![1]!;
    const saved = await staff.request('POST', `/staff/cameras/${fileCameraId}/edit`, {
      _csrf: token,
      name: '陆家嘴回放',
      kind: 'file',
      location: VIDEO,
      loop: 'on',
      interval: '12',
      enabled: 'on',
    });
    expect(saved.statusCode).toBe(303);
    row = await camera(fileCameraId);
    expect(row.sample_interval_s).toBe(12);
    expect(row.source).toMatchObject({ loop: true });

    const off = await staff.request('POST', `/staff/cameras/${fileCameraId}/enabled`, {
      _csrf: token,
      enabled: 'false',
    });
    expect(off.statusCode).toBe(303);
    expect((await camera(fileCameraId)).enabled).toBe(false);
    const page = await staff.request('GET', `/staff/cameras/${fileCameraId}/edit`);
    expect(page.body).toContain('data-enabled="no"');
    expect(page.body).toContain('启用摄像头');
    await staff.request('POST', `/staff/cameras/${fileCameraId}/enabled`, { _csrf: token, enabled: 'true' });
    expect((await camera(fileCameraId)).enabled).toBe(true);
    expect(await actions(fileCameraId)).toEqual([
      'camera.create',
      'camera.update',
      'camera.update',
      'camera.update',
    ]);
  });

  it('keeps a camera URL with credentials when the form is saved with the redacted URL it showed', async () => {
    const _csrf = await tokenOf(staff, '/staff/cameras/new');
    const res = await staff.request('POST', '/staff/cameras/new', {
      _csrf,
      name: 'Gate',
      kind: 'snapshot',
      location: 'http://user:secret@192.168.5.20/snap.jpg',
      enabled: 'on',
    });
    expect(res.statusCode).toBe(303);
    const id = /([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    const edit = await staff.request('GET', `/staff/cameras/${id}/edit`);
    expect(edit.body).not.toContain('secret');
    const shown = /id="location" name="location"[^>]*value="([^"]+)"/.exec(edit.body)![1]!;
    await staff.request('POST', `/staff/cameras/${id}/edit`, {
      _csrf,
      name: 'Gate renamed',
      kind: 'snapshot',
      location: shown.replaceAll('&amp;', '&'),
      enabled: 'on',
    });
    const row = await camera(id);
    expect(row.name).toBe('Gate renamed');
    expect(row.source.url).toBe('http://user:secret@192.168.5.20/snap.jpg');
  });

  it('fills the device register and a test record in the pages until the camera is eligible', async () => {
    const url = `/staff/cameras/${fileCameraId}/register`;
    const first = await staff.request('GET', url);
    expect(first.body).toContain('data-eligible="no"');
    expect(first.body).toContain(`href="${url}#legalReviewDate"`);
    expect(first.body).toContain(`href="${url}#record-form"`);
    const detail = await staff.request('GET', `/staff/cameras/${fileCameraId}`);
    expect(detail.body).toContain(`href="${url}#published"`);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(first.body)![1]!;

    const badDate = await staff.request('POST', url, { _csrf, legalReviewDate: '2026-02-30' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('请填写有效日期（年-月-日）。');
    expect((await camera(fileCameraId)).published).toBe(false);

    const saved = await staff.request('POST', url, {
      _csrf,
      certificateId: 'CMC-2026-001',
      legalReviewDate: '2026-10-01',
      legalReviewer: '法制科 王',
      technicalReviewDate: '2026-10-02',
      technicalReviewer: '信息中心 李',
      published: 'on',
    });
    expect(saved.statusCode).toBe(303);

    const records = `/staff/cameras/${fileCameraId}/records`;
    const badRecord = await staff.request('POST', records, {
      _csrf,
      kind: 'test',
      performedAt: '2026-10-03T09:00',
      performedBy: '',
      result: 'pass',
    });
    expect(badRecord.statusCode).toBe(400);
    expect(badRecord.body).toContain('请填写执行人或单位');
    const added = await staff.request('POST', records, {
      _csrf,
      kind: 'test',
      performedAt: '2026-10-03T09:00',
      performedBy: '维保公司',
      result: 'pass',
      notes: '画面清晰',
    });
    expect(added.statusCode).toBe(303);
    const stored = await ctx.pool.query<{ performed_at: Date }>(
      'select performed_at from device_records where camera_id = $1',
      [fileCameraId],
    );
    expect(stored.rows[0]!.performed_at.toISOString()).toBe('2026-10-03T01:00:00.000Z');

    const after = await staff.request('GET', url);
    expect(after.body).toContain('data-eligible="yes"');
    expect(after.body).toContain('维保公司');
    expect(after.body).toContain('2026-10-03 09:00');
    expect((await actions(fileCameraId)).slice(-2)).toEqual(['camera.update', 'camera.device_record']);
    const devices = await ctx.app.inject({ method: 'GET', url: '/api/public/devices' });
    expect(devices.json().devices.map((d: { name: string }) => d.name)).toContain('陆家嘴回放');
  });

  it("another district's staff and other roles can neither see nor change the camera", async () => {
    const before = await actions(fileCameraId);
    for (const path of ['edit', 'register']) {
      const res = await other.request('GET', `/staff/cameras/${fileCameraId}/${path}`);
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('text/html');
    }
    const _csrf = await tokenOf(other, '/staff/cameras/new');
    const changed = await other.request('POST', `/staff/cameras/${fileCameraId}/register`, {
      _csrf,
      published: undefined,
    });
    expect(changed.statusCode).toBe(403);
    const off = await other.request('POST', `/staff/cameras/${fileCameraId}/enabled`, {
      _csrf,
      enabled: 'false',
    });
    expect(off.statusCode).toBe(403);
    expect((await camera(fileCameraId)).published).toBe(true);
    expect((await reviewer.request('GET', `/staff/cameras/${fileCameraId}/edit`)).statusCode).toBe(403);
    expect((await reviewer.request('GET', '/staff/cameras/new')).statusCode).toBe(403);
    expect(await actions(fileCameraId)).toEqual(before);
  });

  it('a city-wide admin chooses the district of a new camera', async () => {
    const form = await cityAdmin.request('GET', '/staff/cameras/new');
    expect(form.body).toContain('<option value="jingan"');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const fields = { _csrf, name: 'City', kind: 'snapshot', location: 'http://192.168.5.21/a.jpg' };
    const refused = await cityAdmin.request('POST', '/staff/cameras/new', fields);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('请选择所属区。');
    const saved = await cityAdmin.request('POST', '/staff/cameras/new', { ...fields, districtId: 'jingan' });
    expect(saved.statusCode).toBe(303);
    const id = /([0-9a-f-]{36})$/.exec(saved.headers.location as string)![1]!;
    const row = await ctx.pool.query('select district_id from cameras where id = $1', [id]);
    expect(row.rows[0].district_id).toBe('jingan');
  });

  it("the source test's script gets a code it can say in Chinese when the source gives no frame", async () => {
    const _csrf = await tokenOf(staff, '/staff/cameras/new');
    const res = await staff.request('POST', '/staff/cameras/new', {
      _csrf,
      name: 'Dead',
      kind: 'snapshot',
      location: 'http://127.0.0.1:1/snap.jpg',
      enabled: 'on',
    });
    const id = /([0-9a-f-]{36})$/.exec(res.headers.location as string)![1]!;
    const test = await staff.request('POST', `/api/cameras/${id}/frame`);
    expect(test.statusCode).toBe(502);
    expect(test.json().error).toBe('camera_unreachable');
  });
});
