import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScreenService } from '../../src/screen/screen.service.js';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import {
  insertAlert,
  insertCamera,
  insertCase,
  insertFrame,
  insertPayment,
  insertReviewTask,
  insertViolation,
  openStream,
  sessionCookie,
  setHealth,
} from './screen-fixtures.js';

/*
 * The command screen's figures from seeded rows with known answers (at a fixed "now": 12:05 in Beijing on
 * 2026-03-05), who sees which district, and the live stream: its headers, first snapshot, cap and session end.
 */

const NOW = new Date('2026-03-05T04:05:00Z'); // 12:05 Beijing
const at = (iso: string) => new Date(iso);
const PASSWORD = 'a long test password';
const SETTINGS = {
  snapshotSeconds: 5,
  heartbeatSeconds: 15,
  streamsPerUser: 2,
};

let ctx: TestContext;
let baseUrl: string;
const cams: Record<string, string> = {};

const staff = (role: StaffPrincipal['role'], districtId: string | null): StaffPrincipal => ({
  id: '00000000-0000-0000-0000-000000000001',
  username: 'x',
  displayName: 'x',
  role,
  districtId,
});

beforeAll(async () => {
  ctx = await createTestContext({ SCREEN_SNAPSHOT_SECONDS: '1', SCREEN_STREAMS_PER_USER: '2' });
  const { pool } = ctx;
  await seedDistrict(pool, 'pudong', '浦东新区');
  await seedDistrict(pool, 'xuhui', '徐汇区');
  await seedStaff(pool, 'screen_admin', 'admin', null);
  await seedStaff(pool, 'screen_staff', 'district_staff', 'pudong');
  await seedStaff(pool, 'screen_leader', 'leader', 'pudong');
  await seedStaff(pool, 'screen_head', 'agency_head', 'xuhui');
  await seedStaff(pool, 'screen_reviewer', 'evidence_reviewer', 'pudong');

  cams.a = await insertCamera(pool, 'pudong', '陆家嘴环路', { latitude: 31.24, longitude: 121.5 });
  cams.b = await insertCamera(pool, 'pudong', '世纪大道', { latitude: 31.23, longitude: 121.52 });
  cams.c = await insertCamera(pool, 'pudong', '张杨路');
  cams.d = await insertCamera(pool, 'xuhui', '漕溪北路', { latitude: 31.19, longitude: 121.43 });
  await setHealth(pool, cams.a, { lastFrameAt: at('2026-03-05T04:04:58Z'), sha: 'a'.repeat(64) });
  await setHealth(pool, cams.b, {
    lastFrameAt: at('2026-03-05T03:00:00Z'),
    lastErrorAt: at('2026-03-05T04:04:30Z'),
  });

  // violations: pudong 3 today (one after "now" is not counted), 2 yesterday before 12:05 (one after is not)
  for (const iso of [
    '2026-03-04T17:00:00Z',
    '2026-03-05T01:00:00Z',
    '2026-03-05T04:04:00Z',
    '2026-03-05T04:30:00Z',
  ])
    await insertViolation(pool, 'pudong', cams.a, at(iso));
  for (const iso of [
    '2026-03-03T20:00:00Z',
    '2026-03-04T04:00:00Z',
    '2026-03-04T10:00:00Z',
    '2026-03-02T10:00:00Z',
  ])
    await insertViolation(pool, 'pudong', cams.a, at(iso));
  await insertViolation(pool, 'xuhui', cams.d, at('2026-03-05T02:00:00Z'));

  // review tasks and cases hang on violations from three days ago (outside both windows)
  const old = () => insertViolation(pool, 'pudong', cams.a, at('2026-03-01T02:00:00Z'));
  for (const decided of ['2026-03-05T02:00:00Z', '2026-03-04T16:30:00Z', '2026-03-04T01:00:00Z'])
    await insertReviewTask(pool, await old(), 'pudong', cams.a, {
      status: 'done',
      createdAt: at('2026-03-01T03:00:00Z'),
      decidedAt: at(decided),
    });
  await insertReviewTask(pool, await old(), 'pudong', cams.a, {
    status: 'open',
    createdAt: at('2026-03-05T01:30:00Z'),
  });
  await insertReviewTask(pool, await old(), 'pudong', cams.a, {
    status: 'open',
    createdAt: at('2026-03-05T03:00:00Z'),
  });
  await insertReviewTask(pool, await old(), 'pudong', cams.a, {
    stage: 'legal',
    status: 'claimed',
    createdAt: at('2026-03-05T03:30:00Z'),
  });
  const caseToday = await insertCase(pool, 'pudong', await old(), at('2026-03-05T02:10:00Z'));
  const caseYesterday = await insertCase(pool, 'pudong', await old(), at('2026-03-04T03:00:00Z'));
  const caseLater = await insertCase(pool, 'pudong', await old(), at('2026-03-04T09:00:00Z'));
  await insertPayment(pool, caseToday, 20_000, at('2026-03-05T03:00:00Z'));
  await insertPayment(pool, caseYesterday, 5_050, at('2026-03-05T03:10:00Z'));
  await insertPayment(pool, caseLater, 10_000, at('2026-03-04T02:00:00Z'));
  await insertPayment(pool, caseLater, 10_000, null); // pending: not counted

  // frames: pudong 3 today (one after "now" is not counted), 2 yesterday before 12:05 (one after is not)
  for (const [cam, iso] of [
    [cams.a, '2026-03-05T01:00:00Z'],
    [cams.a, '2026-03-05T04:00:00Z'],
    [cams.b, '2026-03-05T04:04:00Z'],
    [cams.b, '2026-03-05T04:30:00Z'],
    [cams.a, '2026-03-04T00:00:00Z'],
    [cams.a, '2026-03-04T04:00:00Z'],
    [cams.a, '2026-03-04T05:00:00Z'],
    [cams.d, '2026-03-05T02:00:00Z'],
  ] as const)
    await insertFrame(pool, cam!, at(iso));

  await insertAlert(pool, {
    subject: `camera:${cams.c}`,
    districtId: 'pudong',
    cameraId: cams.c,
    severity: 'critical',
  });
  await insertAlert(pool, {
    subject: `camera:${cams.a}`,
    districtId: 'pudong',
    cameraId: cams.a,
    resolved: true,
  });
  await insertAlert(pool, { subject: `camera:${cams.d}`, districtId: 'xuhui', cameraId: cams.d });
  await insertAlert(pool, { kind: 'queue_stalled', subject: 'queue:detect', districtId: null });

  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the screen figures', () => {
  it("counts today against yesterday at the same time, in the reader's district", async () => {
    const screen = new ScreenService(ctx.pool, SETTINGS, () => NOW);
    const who = staff('district_staff', 'pudong');
    const s = await screen.snapshot(who, await screen.scope(who, undefined));
    const fig = Object.fromEntries(s.figures.map((f) => [f.id, f]));
    expect(s.districtName).toBe('浦东新区');
    expect(fig.frames).toMatchObject({
      label: '今日抓拍帧数',
      value: '3',
      yesterday: '昨日同时段 2',
      delta: '+1 (+50%)',
      trend: 'up',
    });
    expect(fig.violations).toMatchObject({
      value: '3',
      yesterday: '昨日同时段 2',
      delta: '+1 (+50%)',
      trend: 'up',
    });
    expect(fig.reviews).toMatchObject({ value: '2', yesterday: '昨日同时段 1' });
    expect(fig.cases).toMatchObject({ value: '1', yesterday: '昨日同时段 1', trend: 'same' });
    expect(fig.payments).toMatchObject({
      value: '250.50元',
      sub: '2 笔',
      yesterday: '昨日同时段 100元 / 1 笔',
      delta: '+150.50元 (+151%)',
    });
    expect(s.backlog).toEqual({
      value: '3',
      stages: '证据审核 2 · 法制审核 1',
      oldest: '最久已等待 2小时35分钟',
      level: 'warn',
    });
    // problems first: the failing camera, then the one never heard from, then the online one
    expect(s.cameras.tiles.map((t) => [t.name, t.status, t.statusText])).toEqual([
      ['世纪大道', 'failing', '故障'],
      ['张杨路', 'offline', '离线'],
      ['陆家嘴环路', 'online', '在线'],
    ]);
    expect(s.cameras.tiles[2]!.frame).toBe('a'.repeat(16));
    expect(s.cameras.counts).toBe('在线 1 · 滞后 0 · 离线 1 · 故障 1');
    expect(s.map.points.map((p) => p.id).sort()).toEqual([cams.a, cams.b].sort());
    expect(s.map.unplaced).toBe('1 路未标注坐标');
    expect(s.map.scale?.text).toMatch(/^\d+ (公里|米)$/);
    expect(s.alerts.total).toBe(1);
    expect(s.alerts.items[0]).toMatchObject({ kind: '摄像头离线', subject: '张杨路', severityText: '严重' });
  });

  it('shows an admin the whole city, and one district when asked', async () => {
    const screen = new ScreenService(ctx.pool, SETTINGS, () => NOW);
    const admin = staff('admin', null);
    const city = await screen.snapshot(admin, await screen.scope(admin, undefined));
    expect(city.districtName).toBe('全市');
    expect(city.figures.find((f) => f.id === 'violations')!.value).toBe('4');
    expect(city.figures.find((f) => f.id === 'frames')!.value).toBe('4');
    expect(city.alerts.total).toBe(3);
    expect(city.cameras.tiles).toHaveLength(4);
    const xuhui = await screen.snapshot(admin, await screen.scope(admin, 'xuhui'));
    expect(xuhui.districtName).toBe('徐汇区');
    expect(xuhui.figures.find((f) => f.id === 'violations')!.value).toBe('1');
    expect(xuhui.alerts.items.map((a) => a.subject)).toEqual(['漕溪北路']);
    await expect(screen.scope(admin, 'nowhere')).rejects.toMatchObject({ statusCode: 404 });
    await expect(screen.scope(staff('leader', 'pudong'), 'xuhui')).rejects.toMatchObject({ statusCode: 403 });
  });

  it("still counts the day's frames after retention has deleted their rows", async () => {
    const screen = new ScreenService(ctx.pool, SETTINGS, () => NOW);
    const who = staff('leader', 'pudong');
    await ctx.pool.query(`delete from frames where camera_id = any($1::uuid[])`, [[cams.a, cams.b]]);
    const s = await screen.snapshot(who, await screen.scope(who, undefined));
    expect(s.figures[0]).toMatchObject({
      id: 'frames',
      label: '今日抓拍帧数',
      value: '3',
      yesterday: '昨日同时段 2',
    });
  });
});

describe('the screen page', () => {
  it('opens for the roles that read figures, in their own district only', { timeout: 60_000 }, async () => {
    const leader = await new TestClient(ctx.app).login('screen_leader', PASSWORD);
    const page = await leader.request('GET', '/screen', undefined, { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('可视化指挥大屏');
    expect(page.body).toContain('浦东新区');
    expect(page.body).toContain('/static/js/screen.js');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await leader.request('GET', '/screen?district=pudong')).statusCode).toBe(200);
    const other = await leader.request('GET', '/screen?district=xuhui', undefined, { accept: 'text/html' });
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('只能查看本区的指挥大屏');

    const head = await new TestClient(ctx.app).login('screen_head', PASSWORD);
    expect((await head.request('GET', '/screen')).body).toContain('徐汇区');
    const districtStaff = await new TestClient(ctx.app).login('screen_staff', PASSWORD);
    expect((await districtStaff.request('GET', '/screen')).statusCode).toBe(200);

    const reviewer = await new TestClient(ctx.app).login('screen_reviewer', PASSWORD);
    expect((await reviewer.request('GET', '/screen')).statusCode).toBe(403);
    expect((await reviewer.request('GET', '/screen/events')).statusCode).toBe(403);

    const signedOut = await ctx.app.inject({ method: 'GET', url: '/screen' });
    expect(signedOut.statusCode).toBe(302);
    expect(signedOut.headers.location).toBe('/login?next=%2Fscreen');
  });

  it(
    'lets an admin pick a district, and refuses unknown or malformed ones',
    { timeout: 60_000 },
    async () => {
      const admin = await new TestClient(ctx.app).login('screen_admin', PASSWORD);
      const city = await admin.request('GET', '/screen');
      expect(city.statusCode).toBe(200);
      expect(city.body).toContain('<select id="district" name="district">');
      expect((await admin.request('GET', '/screen?district=')).statusCode).toBe(200);
      const xuhui = await admin.request('GET', '/screen?district=xuhui');
      expect(xuhui.body).toContain('/screen/events?district=xuhui');
      expect((await admin.request('GET', '/screen?district=nowhere')).statusCode).toBe(404);
      expect((await admin.request('GET', '/screen?district=%3Cscript%3E')).statusCode).toBe(400);
      expect((await admin.request('GET', '/screen?district=pudong&x=1')).statusCode).toBe(400);
      expect((await admin.request('GET', '/screen/events?district=nowhere')).statusCode).toBe(404);
    },
  );
});

describe('the live stream', () => {
  it('is an event stream that sends a snapshot at once, then more', { timeout: 60_000 }, async () => {
    const cookie = await sessionCookie(ctx.app, 'screen_staff', PASSWORD);
    const stream = await openStream(baseUrl, '/screen/events', cookie);
    try {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.response.headers['cache-control']).toBe('no-store');
      const first = (await stream.waitFor('snapshot')) as { districtId: string; figures: unknown[] };
      expect(first.districtId).toBe('pudong');
      expect(first.figures).toHaveLength(5);
      // SCREEN_SNAPSHOT_SECONDS=1: the next one follows
      const index = stream.events.length;
      await stream.waitFor('snapshot', index);
    } finally {
      stream.close();
    }
  });

  it('holds at most SCREEN_STREAMS_PER_USER streams for one user', { timeout: 60_000 }, async () => {
    const cookie = await sessionCookie(ctx.app, 'screen_admin', PASSWORD);
    const one = await openStream(baseUrl, '/screen/events', cookie);
    const two = await openStream(baseUrl, '/screen/events?district=pudong', cookie);
    await one.waitFor('snapshot');
    await two.waitFor('snapshot');
    const three = await openStream(baseUrl, '/screen/events', cookie);
    expect(three.response.statusCode).toBe(429);
    three.close();
    one.close();
    // the slot comes back once the server sees the client go
    await expect
      .poll(
        async () => {
          const s = await openStream(baseUrl, '/screen/events', cookie);
          s.close();
          return s.response.statusCode;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBe(200);
    two.close();
  });

  it(
    'ends with session-expired when the session lapses, and says so to a signed-out reader',
    { timeout: 60_000 },
    async () => {
      const cookie = await sessionCookie(ctx.app, 'screen_leader', PASSWORD);
      const stream = await openStream(baseUrl, '/screen/events', cookie);
      await stream.waitFor('snapshot');
      await ctx.pool.query(
        `update staff_sessions set expires_at = now() - interval '1 second'
        where user_id = (select id from staff_users where username = 'screen_leader')`,
      );
      await stream.waitFor('session-expired');
      await stream.ended;

      const anonymous = await openStream(baseUrl, '/screen/events', '');
      expect(anonymous.response.statusCode).toBe(200);
      expect(anonymous.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      await anonymous.waitFor('session-expired');
      await anonymous.ended;
    },
  );
});
