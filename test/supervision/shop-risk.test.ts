import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { ComplaintService } from '../../src/complaints/complaint.service.js';
import { InspectionService } from '../../src/supervision/inspection.service.js';
import { RiskLevelService } from '../../src/supervision/risk-level.service.js';
import { seedCamera, seedParty } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let patrol: TestClient;
let staff: TestClient;
let xuhui: TestClient;
let leader: TestClient;
let staffPrincipal: StaffPrincipal;
let patrolPrincipal: StaffPrincipal;
let shopA: string;
let shopB: string;
let shopC: string;
let shopX: string;
let cameraId: string;
let photo: Buffer;

const count = async (sql: string, params: unknown[] = []) =>
  Number((await ctx.pool.query<{ n: string }>(sql, params)).rows[0]!.n);
const levelOf = async (id: string) =>
  (await ctx.pool.query<{ level: string }>('select level from shop_risk where party_id = $1', [id])).rows[0]
    ?.level;

/** A multipart body as a browser sends the inspection form. */
function multipart(
  fields: Record<string, string>,
  files: { name: string; bytes: Buffer; type?: string }[] = [],
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----shopform' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'image/png'}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function csrfOf(client: TestClient, url: string): Promise<string> {
  const page = await client.request('GET', url);
  expect(page.statusCode).toBe(200);
  return /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
}

async function postInspection(
  client: TestClient,
  shopId: string,
  fields: Record<string, string>,
  files: { name: string; bytes: Buffer; type?: string }[] = [],
) {
  const token = await csrfOf(client, `/staff/inspections/${shopA}/new`);
  const { payload, headers } = multipart({ _csrf: token, ...fields }, files);
  return client.request('POST', `/staff/inspections/${shopId}`, payload, headers);
}

const principal = (id: string, username: string, role: StaffPrincipal['role']): StaffPrincipal => ({
  id,
  username,
  displayName: username,
  role,
  districtId: 'pudong',
});

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'xuhui', '徐汇区');
  shopA = await seedParty(ctx.pool, 'pudong', '张记小吃店');
  shopB = await seedParty(ctx.pool, 'pudong', '李记水果店');
  shopC = await seedParty(ctx.pool, 'pudong', '王记杂货店');
  shopX = await seedParty(ctx.pool, 'xuhui', '徐汇面馆');
  await ctx.pool.query(`update parties set address = '浦东新区张杨路100号' where id = $1`, [shopC]);
  // a camera whose shop-front zone names shop B, online, with no violation
  cameraId = await seedCamera(ctx.pool, 'pudong', '张杨路口');
  await ctx.pool.query(
    `insert into zones (camera_id, name, kind, definition)
     values ($1, '李记门前', 'shop_front', jsonb_build_object('frontLine', jsonb_build_object('partyId', $2::text)))`,
    [cameraId, shopB],
  );
  await ctx.pool.query(
    `insert into camera_health (camera_id, last_frame_at) values ($1, now() + interval '1 hour')`,
    [cameraId],
  );
  const p = await seedStaff(ctx.pool, 'sr_patrol', 'patrol', 'pudong');
  const s = await seedStaff(ctx.pool, 'sr_staff', 'district_staff', 'pudong');
  await seedStaff(ctx.pool, 'sr_xuhui', 'district_staff', 'xuhui');
  await seedStaff(ctx.pool, 'sr_leader', 'leader', 'pudong');
  patrolPrincipal = principal(p.id, p.username, 'patrol');
  staffPrincipal = principal(s.id, s.username, 'district_staff');
  patrol = await new TestClient(ctx.app).login('sr_patrol', 'a long test password');
  staff = await new TestClient(ctx.app).login('sr_staff', 'a long test password');
  xuhui = await new TestClient(ctx.app).login('sr_xuhui', 'a long test password');
  leader = await new TestClient(ctx.app).login('sr_leader', 'a long test password');
  photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#c00' } })
    .png()
    .toBuffer();
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('levels and the due list', () => {
  it('gives every shop the initial level and history, and lists the overdue ones with the non-site check', async () => {
    const first = await patrol.request('GET', '/staff/inspections');
    expect(first.statusCode).toBe(200);
    expect(await levelOf(shopA)).toBe('medium');
    expect(await count(`select count(*) as n from shop_risk_history where source = 'initial'`)).toBe(3); // the patrol's district only
    await ctx.pool.query(`update shop_risk set next_due_on = current_date - 3 where party_id = any($1)`, [
      [shopA, shopB],
    ]);
    const res = await patrol.request('GET', '/staff/inspections');
    expect(res.body).toContain('巡查检查清单');
    expect(res.body).toMatch(
      new RegExp(`data-shop-id="${shopA}"\\s+data-state="overdue"\\s+data-camera-checked="no"`),
    );
    expect(res.body).toMatch(
      new RegExp(`data-shop-id="${shopB}"\\s+data-state="overdue"\\s+data-camera-checked="yes"`),
    );
    expect(res.body).toContain('非现场检查：摄像头“张杨路口”在线');
    // the shop without a camera comes first
    expect(res.body.indexOf(shopA)).toBeLessThan(res.body.indexOf(shopB));
    expect(res.body).not.toContain(shopX);
  });

  it('records an inspection with a photo: hashed, stored, audited, and the shop is no longer due', async () => {
    const res = await postInspection(patrol, shopA, { outcome: 'compliant', notes: '门前整洁' }, [
      { name: 'front.png', bytes: photo },
    ]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff/inspections?recorded=1');
    const sha = createHash('sha256').update(photo).digest('hex');
    const row = (
      await ctx.pool.query<{ storage_key: string; sha256: string }>(
        `select ph.storage_key, ph.sha256 from shop_inspection_photos ph join shop_inspections i on i.id = ph.inspection_id
          where i.party_id = $1`,
        [shopA],
      )
    ).rows[0]!;
    expect(row.sha256).toBe(sha);
    expect(
      createHash('sha256')
        .update(await ctx.blobs.get(row.storage_key))
        .digest('hex'),
    ).toBe(sha);
    expect(await count(`select count(*) as n from audit_log where action = 'shop.inspection_recorded'`)).toBe(
      1,
    );
    const list = await patrol.request('GET', '/staff/inspections?recorded=1');
    expect(list.body).toContain('检查结果已记录');
    expect(list.body).not.toContain(`data-shop-id="${shopA}"`);
    const page = await patrol.request('GET', `/staff/shops/${shopA}`);
    expect(page.body).toContain('front.png');
    const photoId = /\/staff\/inspections\/photos\/([0-9a-f-]{36})/.exec(page.body)![1]!;
    const download = await patrol.request('GET', `/staff/inspections/photos/${photoId}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['x-content-sha256']).toBe(sha);
    expect((await xuhui.request('GET', `/staff/inspections/photos/${photoId}`)).statusCode).toBe(404);
  });

  it('refuses bad input with a 4xx and stores nothing', async () => {
    const before = await count('select count(*) as n from shop_inspections');
    const auditBefore = await count('select count(*) as n from audit_log');
    const unknown = await postInspection(patrol, '00000000-0000-4000-8000-000000000000', {
      outcome: 'compliant',
    });
    expect(unknown.statusCode).toBe(404);
    expect((await postInspection(patrol, shopX, { outcome: 'compliant', notes: '' })).statusCode).toBe(404);
    expect((await patrol.request('GET', `/staff/inspections/${shopX}/new`)).statusCode).toBe(404);
    expect((await xuhui.request('GET', `/staff/shops/${shopA}`)).statusCode).toBe(404);
    expect((await postInspection(patrol, shopA, { outcome: 'maybe', notes: '' })).statusCode).toBe(400);
    expect((await postInspection(patrol, shopA, { outcome: 'problem', notes: '  ' })).statusCode).toBe(400);
    const notImage = await postInspection(patrol, shopA, { outcome: 'compliant', notes: '' }, [
      { name: 'x.png', bytes: Buffer.from('not an image at all') },
    ]);
    expect(notImage.statusCode).toBe(400);
    const nul = await postInspection(patrol, shopA, { outcome: 'problem', notes: 'a\u0000b' });
    expect(nul.statusCode).toBe(400);
    const broken = await patrol.request('POST', `/staff/inspections/${shopA}`, Buffer.from('--x\r\nnope'), {
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    expect((await patrol.request('GET', '/staff/shops/not-a-uuid')).statusCode).toBe(400);
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.png`, bytes: photo }));
    expect((await postInspection(patrol, shopA, { outcome: 'compliant', notes: '' }, five)).statusCode).toBe(
      413,
    );
    const noToken = multipart({ outcome: 'compliant', notes: '' });
    const forged = await ctx.app.inject({
      method: 'POST',
      url: `/staff/inspections/${shopA}`,
      payload: noToken.payload,
      headers: noToken.headers,
    });
    expect(forged.statusCode).toBeGreaterThanOrEqual(400);
    expect(forged.statusCode).toBeLessThan(500);
    expect(await count('select count(*) as n from shop_inspections')).toBe(before);
    expect(await count('select count(*) as n from audit_log')).toBe(auditBefore);
  });
});

describe('rules that raise and lower', () => {
  it('a case filed against a shop raises it two steps, once', async () => {
    const v = await ctx.pool.query<{ id: string }>(
      `insert into violations (district_id, camera_id, camera_version, rule, violation_type, status, party_id,
                               first_seen_at, confirmed_at, dedupe_key)
       values ('pudong', $1, 1, 'shop_front', 'shop_front_occupation', 'approved', $2, now(), now(), 'sr-1') returning id`,
      [cameraId, shopB],
    );
    await ctx.pool.query(
      `insert into cases (district_id, year, seq, case_number, violation_id, party_id, violation_type, catalogue_version,
                          status, proposed_fine_fen, benchmark, deadlines, filed_at)
       values ('pudong', 2026, 1, 'SR-2026-1', $1, $2, 'shop_front_occupation', '2026.2', 'filed', 0, '{}', '{}', now())`,
      [v.rows[0]!.id, shopB],
    );
    const page = await staff.request('GET', '/staff/shops');
    expect(page.statusCode).toBe(200);
    expect(await levelOf(shopB)).toBe('high');
    await staff.request('GET', '/staff/shops');
    expect(
      await count(`select count(*) as n from shop_risk_history where party_id = $1 and source = 'rule'`, [
        shopB,
      ]),
    ).toBe(1);
    const detail = await staff.request('GET', `/staff/shops/${shopB}`);
    expect(detail.body).toContain('立案（违法行为已确认）');
    // the violation came before the raise: in the new cycle the camera has seen none
    expect(detail.body).toContain('data-non-site="yes"');
  });

  it('a substantiated complaint about a shop raises it one step', async () => {
    const complaints = new ComplaintService(ctx.pool);
    const id = await complaints.fileByStaff(staffPrincipal, {
      place: { text: '浦东新区张杨路100号门口' },
      content: '占道经营',
    });
    await complaints.decide(staffPrincipal, id, { outcome: 'substantiated', note: '属实' });
    await patrol.request('GET', '/staff/inspections');
    expect(await levelOf(shopC)).toBe('high');
  });

  it('a problem found raises; clean cycles lower, one step at a time', async () => {
    let clock = new Date('2026-03-02T02:00:00Z');
    const levels = new RiskLevelService(ctx.pool, { now: () => clock });
    const inspections = new InspectionService(ctx.pool, ctx.blobs, levels);
    const shop = await seedParty(ctx.pool, 'pudong', '赵记早餐');
    await levels.bringUpToDate('pudong');
    expect(await levelOf(shop)).toBe('medium');
    await inspections.record(patrolPrincipal, shop, { outcome: 'problem', notes: '占道', photos: [] });
    expect(await levelOf(shop)).toBe('high');
    // high: two working days a cycle; two clean cycles (Mon 2 -> Wed 4 -> Fri 6) lower it
    clock = new Date('2026-03-04T02:00:00Z');
    await inspections.record(patrolPrincipal, shop, { outcome: 'compliant', notes: '', photos: [] });
    expect(await levelOf(shop)).toBe('high');
    clock = new Date('2026-03-06T02:00:00Z');
    await inspections.record(patrolPrincipal, shop, { outcome: 'compliant', notes: '', photos: [] });
    expect(await levelOf(shop)).toBe('medium');
    const due = (
      await ctx.pool.query<{ d: string }>(
        `select to_char(next_due_on, 'YYYY-MM-DD') as d from shop_risk where party_id = $1`,
        [shop],
      )
    ).rows[0]!.d;
    expect(due).toBe('2026-03-13');
    const daily = await ctx.pool.query<{ on_date: string; high: number; medium: number }>(
      `select to_char(on_date, 'YYYY-MM-DD') as on_date, high, medium from shop_level_daily
        where district_id = 'pudong' and on_date between '2026-03-02' and '2026-03-06' order by on_date`,
    );
    expect(daily.rows.map((r) => r.on_date)).toEqual(['2026-03-02', '2026-03-06']);
    expect(daily.rows[1]!.high).toBe(daily.rows[0]!.high - 1);
  });
});

describe('the district page and levels set by hand', () => {
  it('shows the shops by level in Chinese, with the chart and the overdue list', async () => {
    const res = await leader.request('GET', '/staff/shops');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('商户分级分类监管');
    expect(res.body).toContain('<svg');
    expect(res.body).toContain('id="low-share-chart"');
    expect(res.body).toMatch(/data-level="high" data-n="\d+"/);
    expect(res.body).toContain('逾期未检');
    const filtered = await leader.request('GET', '/staff/shops?level=high&q=%E6%9D%8E%E8%AE%B0');
    expect(filtered.body).toContain(shopB);
    expect(filtered.body).not.toContain(`data-shop-id="${shopA}"`);
    expect((await leader.request('GET', '/staff/shops?level=purple')).statusCode).toBe(400);
    expect((await patrol.request('GET', '/staff/shops')).statusCode).toBe(403);
    // an admin sees every district: the other district's shop gets its level too
    await seedStaff(ctx.pool, 'sr_admin', 'admin', null);
    const admin = await new TestClient(ctx.app).login('sr_admin', 'a long test password');
    const all = await admin.request('GET', '/staff/shops?q=%E5%BE%90%E6%B1%87');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain(shopX);
    expect((await admin.request('GET', '/staff/inspections')).statusCode).toBe(200);
    expect((await admin.request('GET', `/staff/shops/${shopX}`)).statusCode).toBe(200);
  });

  it('district staff set a level with a reason, audited; others may not; bad input stores nothing', async () => {
    const token = await csrfOf(staff, `/staff/shops/${shopA}`);
    const set = await staff.request('POST', `/staff/shops/${shopA}/level`, {
      _csrf: token,
      level: 'low',
      reason: '连续三月无违法',
    });
    expect(set.statusCode).toBe(303);
    expect(await levelOf(shopA)).toBe('low');
    const audit = await ctx.pool.query<{ data: { reason: string } }>(
      `select data from audit_log where action = 'shop.risk_level_set' and subject_id = $1`,
      [shopA],
    );
    expect(audit.rows[0]!.data.reason).toBe('连续三月无违法');
    const page = await staff.request('GET', `/staff/shops/${shopA}`);
    expect(page.body).toContain('人工调整：sr_staff');
    const before = await count('select count(*) as n from shop_risk_history');
    expect(
      (
        await staff.request('POST', `/staff/shops/${shopA}/level`, {
          _csrf: token,
          level: 'high',
          reason: ' ',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await staff.request('POST', `/staff/shops/${shopA}/level`, {
          _csrf: token,
          level: 'red',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await xuhui.request('POST', `/staff/shops/${shopA}/level`, {
          _csrf: token,
          level: 'high',
          reason: 'x',
        })
      ).statusCode,
    ).toBeGreaterThanOrEqual(403);
    const ptoken = await csrfOf(patrol, `/staff/inspections/${shopA}/new`);
    expect(
      (
        await patrol.request('POST', `/staff/shops/${shopA}/level`, {
          _csrf: ptoken,
          level: 'high',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect(await count('select count(*) as n from shop_risk_history')).toBe(before);
    expect(await levelOf(shopA)).toBe('low');
  });
});
