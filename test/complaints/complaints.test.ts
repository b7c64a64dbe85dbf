import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplaintService } from '../../src/complaints/complaint.service.js';
import { DEV_HOTLINE_SECRET } from '../../src/config/hotline.js';
import { workingCalendar } from '../../src/law/catalogue-store.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { signedHeaders } from '../../src/notices/hmac-signature.js';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { seedCamera, seedParty } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let cameraId: string;
let zoneId: string;
let shopId: string;
let staff: TestClient;
let head: TestClient;
let admin: TestClient;
let xuhui: TestClient;
let staffPrincipal: StaffPrincipal;

const hotline = (payload: unknown, headers?: Record<string, string>) => {
  const body = JSON.stringify(payload);
  return ctx.app.inject({
    method: 'POST',
    url: '/api/hotline/complaints',
    headers: { 'content-type': 'application/json', ...(headers ?? signedHeaders(DEV_HOTLINE_SECRET, body)) },
    payload: body,
  });
};
let seq = 0;
const number = () => `SH12345-${Date.now()}-${++seq}`;
const count = async (table: string) =>
  Number((await ctx.pool.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'xuhui', '徐汇区');
  cameraId = await seedCamera(ctx.pool, 'pudong', '世纪大道东方路口');
  await ctx.pool.query(
    `update cameras set latitude = 31.2304, longitude = 121.5270, address = '浦东新区世纪大道与东方路交叉口' where id = $1`,
    [cameraId],
  );
  zoneId = (
    await ctx.pool.query<{ id: string }>(
      `insert into zones (camera_id, name, kind, definition) values ($1, '店铺门前', 'shop_front', '{}') returning id`,
      [cameraId],
    )
  ).rows[0]!.id;
  shopId = await seedParty(ctx.pool, 'pudong', '张记水果店');
  await ctx.pool.query(`update parties set address = '浦东新区张杨路100号' where id = $1`, [shopId]);
  const s = await seedStaff(ctx.pool, 'cp_staff', 'district_staff', 'pudong');
  staffPrincipal = {
    id: s.id,
    username: s.username,
    displayName: s.username,
    role: 'district_staff',
    districtId: 'pudong',
  };
  await seedStaff(ctx.pool, 'cp_head', 'agency_head', 'pudong');
  await seedStaff(ctx.pool, 'cp_admin', 'admin', null);
  await seedStaff(ctx.pool, 'cp_xuhui', 'district_staff', 'xuhui');
  staff = await new TestClient(ctx.app).login('cp_staff', 'a long test password');
  head = await new TestClient(ctx.app).login('cp_head', 'a long test password');
  admin = await new TestClient(ctx.app).login('cp_admin', 'a long test password');
  xuhui = await new TestClient(ctx.app).login('cp_xuhui', 'a long test password');
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

describe('hotline intake', () => {
  it('takes a signed complaint, matches its place and sets the five- and three-working-day deadlines', async () => {
    const res = await hotline({
      complaintNumber: number(),
      districtId: 'pudong',
      place: { text: '世纪大道东方路口店铺门前', latitude: 31.2306, longitude: 121.5271 },
      content: '商户跨门营业，占用人行道',
      reporter: { name: '王小明', phone: '13912345678' },
    });
    expect(res.statusCode).toBe(201);
    const { complaint } = res.json();
    const calendar = await workingCalendar();
    const today = shanghaiDateOf(new Date());
    expect(complaint.receivedOn).toBe(today);
    expect(complaint.deadlines.replyDueOn).toBe(calendar.addWorkingDays(today, 5));
    expect(complaint.deadlines.transferDueOn).toBe(calendar.addWorkingDays(today, 3));
    expect(complaint.deadlines.basis).toContain('第二十六条');
    expect(complaint.match.method).toBe('coordinates');
    expect(complaint.match.camera.id).toBe(cameraId);
    expect(complaint.match.zone.id).toBe(zoneId);
    // the hotline's answer never echoes the reporter
    expect(res.body).not.toContain('王小明');
    expect(res.body).not.toContain('13912345678');
  });

  it('matches a shop and a camera by the address text', async () => {
    const res = await hotline({
      complaintNumber: number(),
      districtId: 'pudong',
      place: { text: '浦东新区 张杨路１００号 门口' },
      content: '店外堆放杂物',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().complaint.match.shop).toEqual({ id: shopId, name: '张记水果店' });
    const byCameraAddress = await hotline({
      complaintNumber: number(),
      districtId: 'pudong',
      place: { text: '浦东新区世纪大道与东方路交叉口' },
      content: '夜间占道设摊',
    });
    expect(byCameraAddress.json().complaint.match).toMatchObject({
      method: 'address',
      camera: { id: cameraId },
    });
  });

  it('refuses a bad signature, a missing one and a stale timestamp with 401, storing nothing', async () => {
    const before = await count('complaints');
    const payload = {
      complaintNumber: number(),
      districtId: 'pudong',
      place: { text: '某处' },
      content: '内容',
    };
    const body = JSON.stringify(payload);
    const forged = signedHeaders('not-the-hotline-secret-000000', body);
    expect((await hotline(payload, forged)).statusCode).toBe(401);
    expect((await hotline(payload, {})).statusCode).toBe(401);
    const stale = signedHeaders(DEV_HOTLINE_SECRET, body, Date.now() - 3_600_000);
    expect((await hotline(payload, stale)).statusCode).toBe(401);
    // signed over another body
    const other = signedHeaders(DEV_HOTLINE_SECRET, body.replace('内容', '别的'));
    expect((await hotline(payload, other)).statusCode).toBe(401);
    expect(await count('complaints')).toBe(before);
  });

  it('answers a replayed complaint number 200 with the same complaint, changing nothing', async () => {
    const n = number();
    const first = await hotline({
      complaintNumber: n,
      districtId: 'pudong',
      place: { text: '陆家嘴环路1号' },
      content: '噪声',
    });
    expect(first.statusCode).toBe(201);
    const before = await count('complaints');
    const again = await hotline({
      complaintNumber: n,
      districtId: 'pudong',
      place: { text: '别的地方' },
      content: '改过的内容',
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().complaint).toEqual(first.json().complaint);
    expect(await count('complaints')).toBe(before);
    const audits = await ctx.pool.query(
      `select 1 from audit_log where action = 'complaint.received' and subject_id = $1`,
      [first.json().complaint.id],
    );
    expect(audits.rowCount).toBe(1);
  });

  it('refuses an unknown district with 400', async () => {
    const res = await hotline({
      complaintNumber: number(),
      districtId: 'nowhere',
      place: { text: '某路' },
      content: 'x',
    });
    expect(res.statusCode).toBe(400);
  });
});

const at = (iso: string) => new ComplaintService(ctx.pool, { now: () => new Date(iso) });

describe('deadlines from the calendar', () => {
  it('counts five working days across the weekend and the New Year holiday, three for a transfer', async () => {
    // Wednesday 30 December 2026: 31 Dec works, 1 Jan 2027 is 元旦, 2-3 Jan the weekend
    const id = await at('2026-12-30T02:00:00Z').fileByStaff(staffPrincipal, {
      place: { text: '浦东新区某小区门口' },
      content: '跨年夜占道经营',
    });
    const detail = await at('2026-12-30T03:00:00Z').detail(staffPrincipal, id);
    expect(detail.receivedOn).toBe('2026-12-30');
    expect(detail.deadlines.replyDueOn).toBe('2027-01-07');
    expect(detail.deadlines.transferDueOn).toBe('2027-01-05');
    expect(detail.flags).toEqual([]);
    // Wednesday 6 January: the transfer day has passed, one working day left for the reply
    const later = await at('2027-01-06T02:00:00Z').detail(staffPrincipal, id);
    expect(later.flags).toEqual([
      { key: 'transfer', level: 'overdue', dueOn: '2027-01-05', workingDaysLeft: -1 },
      { key: 'reply', level: 'due_soon', dueOn: '2027-01-07', workingDaysLeft: 1 },
    ]);
    const overdue = await at('2027-01-08T02:00:00Z').detail(staffPrincipal, id);
    expect(overdue.flags.map((f) => `${f.key}:${f.level}`)).toEqual(['transfer:overdue', 'reply:overdue']);
  });

  it('counts from a Friday over the weekend', async () => {
    const id = await at('2026-12-04T02:00:00Z').fileByStaff(staffPrincipal, {
      place: { text: '浦东新区另一处路口' },
      content: '乱堆物料',
    });
    const d = await at('2026-12-04T02:00:00Z').detail(staffPrincipal, id);
    expect(d.deadlines).toMatchObject({ replyDueOn: '2026-12-11', transferDueOn: '2026-12-09' });
  });

  it('a transfer is due within three working days: the reply is queued with that day and the department', async () => {
    const n = number();
    const { complaint } = (
      await hotline({
        complaintNumber: n,
        districtId: 'pudong',
        place: { text: '东方路200号' },
        content: '违法建筑',
      })
    ).json();
    const missing = await staff.request('POST', `/api/complaints/${complaint.id}/outcome`, {
      outcome: 'transferred',
      note: '属规划资源部门职责',
    });
    expect(missing.statusCode).toBe(400);
    const res = await staff.request('POST', `/api/complaints/${complaint.id}/outcome`, {
      outcome: 'transferred',
      note: '违法建筑不属本单位职责，已向举报人说明并移送',
      department: '浦东新区规划和自然资源局',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().complaint).toMatchObject({
      status: 'transferred',
      outcome: { department: '浦东新区规划和自然资源局', inTime: true },
      reply: { recipient: 'hotline', dueOn: complaint.deadlines.transferDueOn, sent: false },
    });
    const reply = await ctx.pool.query<{ payload: Record<string, unknown> }>(
      'select payload from complaint_replies where complaint_id = $1',
      [complaint.id],
    );
    expect(reply.rows[0]!.payload).toMatchObject({
      complaintNumber: n,
      outcome: 'transferred',
      department: '浦东新区规划和自然资源局',
    });
    const twice = await staff.request('POST', `/api/complaints/${complaint.id}/outcome`, {
      outcome: 'substantiated',
      note: '再次',
    });
    expect(twice.statusCode).toBe(409);
    expect(
      await ctx.pool.query('select 1 from complaint_replies where complaint_id = $1', [complaint.id]),
    ).toMatchObject({
      rowCount: 1,
    });
  });
  it('the hotline fetches the outcomes (signed) and acknowledges them once', async () => {
    const post = (url: string, payload: unknown, signed = true) => {
      const body = JSON.stringify(payload);
      return ctx.app.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/json',
          ...(signed ? signedHeaders(DEV_HOTLINE_SECRET, body) : {}),
        },
        payload: body,
      });
    };
    const n = number();
    const { complaint } = (
      await hotline({
        complaintNumber: n,
        districtId: 'pudong',
        place: { text: '浦东南路9号' },
        content: '噪声扰民',
      })
    ).json();
    await staff.request('POST', `/api/complaints/${complaint.id}/outcome`, {
      outcome: 'substantiated',
      note: '经核查属实，已责令改正',
    });
    expect((await post('/api/hotline/replies/fetch', {}, false)).statusCode).toBe(401);
    const fetched = (await post('/api/hotline/replies/fetch', {})).json().replies;
    const mine = fetched.find((r: { complaintNumber: string }) => r.complaintNumber === n);
    expect(mine).toMatchObject({
      dueOn: complaint.deadlines.replyDueOn,
      payload: { outcome: 'substantiated' },
    });
    expect((await post('/api/hotline/replies/ack', { ids: [mine.id] })).json()).toEqual({ acknowledged: 1 });
    expect((await post('/api/hotline/replies/ack', { ids: [mine.id] })).json()).toEqual({ acknowledged: 0 });
    const again = (await post('/api/hotline/replies/fetch', {})).json().replies;
    expect(again.some((r: { id: string }) => r.id === mine.id)).toBe(false);
    const detail = (await staff.request('GET', `/api/complaints/${complaint.id}`)).json().complaint;
    expect(detail.reply).toMatchObject({ recipient: 'hotline', sent: true });
  });
});

describe('grouping, masking, audit and scope', () => {
  it('groups repeated complaints about the same place, by text and by coordinates', async () => {
    const a = (
      await hotline({
        complaintNumber: number(),
        districtId: 'pudong',
        place: { text: '浦东新区 源深路 88 号' },
        content: '一',
      })
    ).json().complaint;
    const b = (
      await hotline({
        complaintNumber: number(),
        districtId: 'pudong',
        place: { text: '浦东新区源深路88号。' },
        content: '二',
      })
    ).json().complaint;
    const c = (
      await hotline({
        complaintNumber: number(),
        districtId: 'pudong',
        place: { text: '浦东新区源深路99号' },
        content: '三',
      })
    ).json().complaint;
    expect(b.group.id).toBe(a.group.id);
    expect(b.group.size).toBe(2);
    expect(c.group.id).not.toBe(a.group.id);
    const p = (
      await hotline({
        complaintNumber: number(),
        districtId: 'pudong',
        place: { text: '甲', latitude: 31.3, longitude: 121.6 },
        content: '四',
      })
    ).json().complaint;
    const q = (
      await hotline({
        complaintNumber: number(),
        districtId: 'pudong',
        place: { text: '乙', latitude: 31.3002, longitude: 121.6001 },
        content: '五',
      })
    ).json().complaint;
    expect(q.group.id).toBe(p.group.id);
    const list = await staff.request('GET', `/api/complaints?groupId=${a.group.id}`);
    expect(
      list
        .json()
        .complaints.map((x: { id: string }) => x.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
  });

  it('masks the reporter unless asked by a role that may see it, and audits every view', async () => {
    const { complaint } = (
      await hotline({
        complaintNumber: number(),
        districtId: 'pudong',
        place: { text: '张家浜路5号' },
        content: '油烟',
        reporter: { name: '李四光', phone: '13800001111' },
      })
    ).json();
    const masked = (await staff.request('GET', `/api/complaints/${complaint.id}`)).json().complaint;
    expect(masked.reporter).toEqual({ name: '李**', phone: '138****1111', shown: false, mayShow: true });
    const shown = (await staff.request('GET', `/api/complaints/${complaint.id}?showReporter=true`)).json()
      .complaint;
    expect(shown.reporter).toMatchObject({ name: '李四光', phone: '13800001111', shown: true });
    const byHead = (await head.request('GET', `/api/complaints/${complaint.id}?showReporter=true`)).json()
      .complaint;
    expect(byHead.reporter.shown).toBe(true);
    const byAdmin = (await admin.request('GET', `/api/complaints/${complaint.id}?showReporter=true`)).json()
      .complaint;
    expect(byAdmin.reporter).toEqual({ name: '李**', phone: '138****1111', shown: false, mayShow: false });
    const page = await staff.request('GET', `/staff/complaints/${complaint.id}`);
    expect(page.body).not.toContain('李四光');
    expect(page.body).toContain('138****1111');
    const audit = await ctx.pool.query<{ action: string; data: { reporterShown: boolean } }>(
      `select action, data from audit_log where subject_kind = 'complaint' and subject_id = $1 and action <> 'complaint.received' order by id`,
      [complaint.id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'complaint.viewed',
      'complaint.reporter_shown',
      'complaint.reporter_shown',
      'complaint.viewed',
      'complaint.viewed',
    ]);
    // the audit log never holds the reporter
    const all = await ctx.pool.query(`select data::text as d from audit_log where subject_id = $1`, [
      complaint.id,
    ]);
    expect(all.rows.some((r: { d: string }) => r.d.includes('李四光') || r.d.includes('13800001111'))).toBe(
      false,
    );
  });

  it('staff file a complaint through the JSON API in their own district; an admin names one; reviewers may not', async () => {
    const res = await staff.request('POST', '/api/complaints', {
      place: { text: '浦东新区崮山路7号' },
      content: '门前堆物',
      reporter: { name: '钱七', phone: '13600003333' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().complaint).toMatchObject({
      source: 'staff',
      districtId: 'pudong',
      hotlineNumber: null,
      reporter: { name: '钱*', shown: false },
    });
    expect(
      (await admin.request('POST', '/api/complaints', { place: { text: '某路' }, content: 'x' })).statusCode,
    ).toBe(400);
    const byAdmin = await admin.request('POST', '/api/complaints', {
      districtId: 'xuhui',
      place: { text: '某路' },
      content: 'x',
    });
    expect(byAdmin.json().complaint.districtId).toBe('xuhui');
    await seedStaff(ctx.pool, 'cp_legal', 'legal_reviewer', 'pudong');
    const legal = await new TestClient(ctx.app).login('cp_legal', 'a long test password');
    expect(
      (await legal.request('POST', '/api/complaints', { place: { text: '某路' }, content: 'x' })).statusCode,
    ).toBe(403);
    expect((await legal.request('GET', '/api/complaints')).statusCode).toBe(403);
  });

  it('keeps each district to its own complaints', async () => {
    const { complaint } = (
      await hotline({
        complaintNumber: number(),
        districtId: 'pudong',
        place: { text: '浦电路1号' },
        content: '占道',
      })
    ).json();
    expect((await xuhui.request('GET', `/api/complaints/${complaint.id}`)).statusCode).toBe(404);
    const outcome = await xuhui.request('POST', `/api/complaints/${complaint.id}/outcome`, {
      outcome: 'not_substantiated',
      note: 'x',
    });
    expect(outcome.statusCode).toBe(404);
    const list = (await xuhui.request('GET', '/api/complaints')).json().complaints;
    expect(list.every((c: { districtId: string }) => c.districtId === 'xuhui')).toBe(true);
    expect((await admin.request('GET', `/api/complaints/${complaint.id}`)).statusCode).toBe(200);
    expect(
      (
        await admin.request('POST', `/api/complaints/${complaint.id}/outcome`, {
          outcome: 'substantiated',
          note: 'x',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lists open complaints with their flags and shows them on the staff page', async () => {
    // received on Friday 20 November 2026: both periods are long past today
    await at('2026-11-20T02:00:00Z').fileByStaff(staffPrincipal, {
      place: { text: '浦东大道1号' },
      content: '旧诉件',
    });
    const list = (await head.request('GET', '/api/complaints?status=open')).json().complaints;
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((c: { status: string }) => c.status === 'open')).toBe(true);
    const page = await staff.request('GET', '/staff/complaints');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('诉件与举报');
    expect(page.body).toContain('data-flag="transfer"');
  });
});
