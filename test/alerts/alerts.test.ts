import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCamera } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import {
  alertEnv,
  alertHarness,
  bringCameraBack,
  setContact,
  startWebhookPeer,
  takeCameraDown,
  type AlertHarness,
  type WebhookPeer,
} from './alert-fixtures.js';

let ctx: TestContext;
let peer: WebhookPeer;
let h: AlertHarness;
let pdStaffId: string;

beforeAll(async () => {
  peer = await startWebhookPeer();
  ctx = await createTestContext(alertEnv(peer.url));
  h = alertHarness(ctx);
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedDistrict(ctx.pool, 'huangpu', '黄浦区');
  pdStaffId = (await seedStaff(ctx.pool, 'al_pd_staff', 'district_staff', 'pudong')).id;
  await setContact(ctx.pool, pdStaffId, '13800000001', 'pd.staff@example.gov.cn');
  // a leader with only an e-mail, and a member of staff of another district: not told of Pudong's alerts
  const leader = await seedStaff(ctx.pool, 'al_pd_leader', 'leader', 'pudong');
  await setContact(ctx.pool, leader.id, null, 'pd.leader@example.gov.cn');
  const hp = await seedStaff(ctx.pool, 'al_hp_staff', 'district_staff', 'huangpu');
  await setContact(ctx.pool, hp.id, '13800000002', 'hp.staff@example.gov.cn');
  await seedStaff(ctx.pool, 'al_admin', 'admin', null);
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  await peer?.close();
});

const alertsOf = async (cameraId: string, kind: string) =>
  (
    await ctx.pool.query<{ id: string; state: string; severity: string }>(
      'select id, state, severity from alerts where camera_id = $1 and kind = $2 order by opened_at',
      [cameraId, kind],
    )
  ).rows;
const eventsOf = async (alertId: string) =>
  (
    await ctx.pool.query<{ event: string; channel: string | null; phase: string | null }>(
      `select event, detail ->> 'channel' as channel, detail ->> 'phase' as phase
         from alert_events where alert_id = $1 order by id`,
      [alertId],
    )
  ).rows;

describe('camera offline', () => {
  it('raises one alert and one notice per channel however often it is evaluated, and resolves when the camera is back', async () => {
    const cameraId = await seedCamera(ctx.pool, 'pudong', 'Alert gate');
    await takeCameraDown(ctx.pool, cameraId, 5);
    const before = { sms: h.sms.sent.length, email: h.email.sent.length, hook: peer.received.length };

    // three evaluations at once still open one alert and send each notice once
    await Promise.all([h.evaluation().sweep(), h.evaluation().sweep(), h.evaluation().sweep()]);
    for (let i = 0; i < 3; i += 1) await h.evaluation().sweep();

    const alerts = await alertsOf(cameraId, 'camera_offline');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.state).toBe('open');
    const id = alerts[0]!.id;
    const events = await eventsOf(id);
    expect(events.filter((e) => e.event === 'opened')).toHaveLength(1);
    const notified = events.filter((e) => e.event === 'notified').map((e) => `${e.channel}/${e.phase}`);
    expect(notified.sort()).toEqual(['email/opened', 'sms/opened', 'webhook/opened']);

    // SMS to the one Pudong member of staff with a phone; e-mail to both with an address; none to Huangpu
    const sms = h.sms.sent.slice(before.sms);
    expect(sms.map((m) => m.to)).toEqual(['13800000001']);
    expect(sms[0]!.text).toContain('摄像头离线');
    expect(sms[0]!.text).toContain('Alert gate');
    expect(
      h.email.sent
        .slice(before.email)
        .map((m) => m.to)
        .sort(),
    ).toEqual(['pd.leader@example.gov.cn', 'pd.staff@example.gov.cn']);
    const hooks = peer.received.slice(before.hook);
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({
      signed: true,
      key: `alert-${id}-opened`,
      body: { event: 'alert.opened' },
    });

    const audit = await ctx.pool.query(
      `select action from audit_log where subject_kind = 'alert' and subject_id = $1 order by id`,
      [id],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['alert.opened']);

    const seenBefore = (await ctx.pool.query('select last_seen_at from alerts where id = $1', [id])).rows[0];
    await h.evaluation(new Date(Date.now() + 1000)).sweep();
    const seenAfter = (await ctx.pool.query('select last_seen_at from alerts where id = $1', [id])).rows[0];
    expect(seenAfter.last_seen_at > seenBefore.last_seen_at).toBe(true);

    await bringCameraBack(ctx.pool, cameraId);
    await h.evaluation().sweep();
    await h.evaluation().sweep();
    const resolved = await alertsOf(cameraId, 'camera_offline');
    expect(resolved).toEqual([expect.objectContaining({ id, state: 'resolved' })]);
    const after = await eventsOf(id);
    expect(after.filter((e) => e.event === 'resolved')).toHaveLength(1);
    expect(
      after
        .filter((e) => e.event === 'notified' && e.phase === 'resolved')
        .map((e) => e.channel)
        .sort(),
    ).toEqual(['email', 'sms', 'webhook']);
    expect(peer.received.slice(before.hook).map((r) => r.body.event)).toEqual([
      'alert.opened',
      'alert.resolved',
    ]);

    // down again later: a new alert
    await takeCameraDown(ctx.pool, cameraId, 5);
    await h.evaluation().sweep();
    expect((await alertsOf(cameraId, 'camera_offline')).map((a) => a.state)).toEqual(['resolved', 'open']);
  });
});

describe('capture volume', () => {
  async function seedCandidates(cameraId: string, weeksAgo: number, n: number) {
    for (let i = 0; i < n; i += 1) {
      await ctx.pool.query(
        `insert into violation_candidates (dedupe_key, camera_id, camera_version, rule, event, created_at)
         values ($1, $2, 1, 'street_stall', '{}',
                 now() - make_interval(weeks => $3) - make_interval(mins => $4))`,
        [randomUUID(), cameraId, weeksAgo, 5 + (i % 50)],
      );
    }
  }

  it('raises on a surge against the same hour of past weeks, not on an ordinary hour, and not without baseline', async () => {
    const busy = await seedCamera(ctx.pool, 'pudong', 'Volume busy');
    const usual = await seedCamera(ctx.pool, 'pudong', 'Volume usual');
    const fresh = await seedCamera(ctx.pool, 'pudong', 'Volume new');
    for (const id of [busy, usual, fresh]) await bringCameraBack(ctx.pool, id);
    await ctx.pool.query(`update cameras set created_at = now() - interval '10 weeks' where id = any($1)`, [
      [busy, usual],
    ]);
    await ctx.pool.query(`update cameras set created_at = now() - interval '2 weeks' where id = $1`, [fresh]);
    const history = [6, 8, 7, 7, 9, 6, 8, 7];
    for (const [w, n] of history.entries()) {
      await seedCandidates(busy, w + 1, n);
      await seedCandidates(usual, w + 1, n);
    }
    await seedCandidates(fresh, 1, 2);
    await seedCandidates(busy, 0, 40);
    await seedCandidates(usual, 0, 8);
    await seedCandidates(fresh, 0, 40);

    await h.evaluation().sweep();
    await h.evaluation().sweep();
    const rows = (
      await ctx.pool.query<{ camera_id: string; subject: string; detail: Record<string, unknown> }>(
        `select camera_id, subject, detail from alerts where kind = 'capture_volume' and state <> 'resolved'`,
      )
    ).rows;
    expect(rows.map((r) => r.subject).sort()).toEqual(
      [`camera:${busy}`, `camera:${busy}:rule:street_stall`].sort(),
    );
    expect(rows[0]!.detail).toMatchObject({ current: 40, median: 7, weeks: 8, direction: 'up' });
    expect(Number(rows[0]!.detail.z)).toBeGreaterThan(4);
  });
});

describe('pages and scope', () => {
  it('a district sees and acts on its own alerts only; a leader reads; bad input is a 4xx', async () => {
    const hpCamera = await seedCamera(ctx.pool, 'huangpu', 'Huangpu gate');
    await takeCameraDown(ctx.pool, hpCamera, 5);
    await h.evaluation().sweep();
    const [hpAlert] = await alertsOf(hpCamera, 'camera_offline');
    expect(hpAlert).toBeDefined();

    const pd = await new TestClient(ctx.app).login('al_pd_staff', 'a long test password');
    const list = await pd.request('GET', '/staff/alerts?state=unresolved');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(hpAlert!.id);
    expect((await pd.request('GET', `/staff/alerts/${hpAlert!.id}`)).statusCode).toBe(404);
    const ack = await pd.request('POST', `/staff/alerts/${hpAlert!.id}/acknowledge`, {});
    expect(ack.statusCode).toBe(404);
    expect((await alertsOf(hpCamera, 'camera_offline'))[0]!.state).toBe('open');

    expect((await pd.request('GET', '/staff/alerts?state=bogus')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/alerts?kind=nope')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/alerts/not-a-uuid')).statusCode).toBe(400);
    expect((await pd.request('GET', '/staff/alerts/%00')).statusCode).toBeLessThan(500);

    const hp = await new TestClient(ctx.app).login('al_hp_staff', 'a long test password');
    const hpList = await hp.request('GET', '/staff/alerts');
    expect(hpList.body).toContain(hpAlert!.id);
    const acked = await hp.request('POST', `/staff/alerts/${hpAlert!.id}/acknowledge`, {});
    expect(acked.statusCode).toBe(303);
    expect((await hp.request('POST', `/staff/alerts/${hpAlert!.id}/acknowledge`, {})).statusCode).toBe(409);
    expect((await alertsOf(hpCamera, 'camera_offline'))[0]!.state).toBe('acknowledged');
    const detail = await hp.request('GET', `/staff/alerts/${hpAlert!.id}`);
    expect(detail.body).toContain('data-event="acknowledged"');
    // an acknowledged alert is kept, not raised again, while the camera stays down
    await h.evaluation().sweep();
    expect((await alertsOf(hpCamera, 'camera_offline')).map((a) => a.state)).toEqual(['acknowledged']);

    // the camera page shows its open alert
    const cameraPage = await hp.request('GET', `/staff/cameras/${hpCamera}`);
    expect(cameraPage.body).toContain('id="camera-alerts"');
    expect(cameraPage.body).toContain(hpAlert!.id);

    const leader = await new TestClient(ctx.app).login('al_pd_leader', 'a long test password');
    expect((await leader.request('GET', '/staff/alerts')).statusCode).toBe(200);
    const pdAlert = (
      await ctx.pool.query<{ id: string }>(`select id from alerts where district_id = 'pudong' limit 1`)
    ).rows[0]!;
    const leaderView = await leader.request('GET', `/staff/alerts/${pdAlert.id}`);
    expect(leaderView.statusCode).toBe(200);
    expect((await leader.request('POST', `/staff/alerts/${pdAlert.id}/resolve`, {})).statusCode).toBe(403);

    // resolving by hand is audited with the member of staff
    expect((await hp.request('POST', `/staff/alerts/${hpAlert!.id}/resolve`, {})).statusCode).toBe(303);
    const audit = await ctx.pool.query(
      `select action, actor_kind from audit_log where subject_kind = 'alert' and subject_id = $1 order by id`,
      [hpAlert!.id],
    );
    expect(audit.rows).toEqual([
      { action: 'alert.opened', actor_kind: 'system' },
      { action: 'alert.acknowledged', actor_kind: 'staff' },
      { action: 'alert.resolved', actor_kind: 'staff' },
    ]);
    // without the CSRF token nothing changes
    const bare = await ctx.app.inject({ method: 'POST', url: `/staff/alerts/${pdAlert.id}/acknowledge` });
    expect(bare.statusCode).toBeGreaterThanOrEqual(400);
    expect(bare.statusCode).toBeLessThan(500);
  });
});

describe('alert contacts on the user-management page', () => {
  it('an admin sets and clears a phone and an e-mail address; bad ones are refused and nothing is stored', async () => {
    const admin = await new TestClient(ctx.app).login('al_admin', 'a long test password');
    const target = await seedStaff(ctx.pool, 'al_contact', 'district_staff', 'pudong');
    const contact = async () =>
      (await ctx.pool.query('select phone, email from staff_users where id = $1', [target.id])).rows[0];

    const page = await admin.request('GET', `/staff/users/${target.id}`);
    expect(page.body).toContain('id="contact-form"');
    const set = await admin.request('POST', `/staff/users/${target.id}/contact`, {
      phone: '138 0000 0009',
      email: 'contact@example.gov.cn',
    });
    expect(set.statusCode).toBe(303);
    expect(await contact()).toEqual({ phone: '13800000009', email: 'contact@example.gov.cn' });

    for (const bad of [
      { phone: 'call me', email: '' },
      { phone: '', email: 'not-an-address' },
      { phone: '1380000\u00000', email: '' },
    ]) {
      const r = await admin.request('POST', `/staff/users/${target.id}/contact`, bad);
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    expect(await contact()).toEqual({ phone: '13800000009', email: 'contact@example.gov.cn' });

    await admin.request('POST', `/staff/users/${target.id}/contact`, { phone: '', email: '' });
    expect(await contact()).toEqual({ phone: null, email: null });
    const staff = await new TestClient(ctx.app).login('al_pd_staff', 'a long test password');
    const refused = await staff.request('POST', `/staff/users/${target.id}/contact`, {
      phone: '',
      email: '',
    });
    expect(refused.statusCode).toBe(403);
  });
});
