import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertWebhook } from '../../src/alerts/alert-webhook.adapter.js';
import { jobIds } from '../../src/queue/jobs.js';
import { seedCamera } from '../support/seed-violations.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';
import {
  alertEnv,
  alertHarness,
  bringCameraBack,
  setContact,
  startWebhookPeer,
  WEBHOOK_SECRET,
  type AlertHarness,
  type WebhookPeer,
} from './alert-fixtures.js';

/** The rules other than a camera going offline, each measured on the real database and queues. */

let ctx: TestContext;
let peer: WebhookPeer;
let h: AlertHarness;
let cameraId: string;

beforeAll(async () => {
  peer = await startWebhookPeer();
  ctx = await createTestContext({ ...alertEnv(peer.url), ALERT_QUEUE_STALL_S: '60' });
  h = alertHarness(ctx);
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  const admin = await seedStaff(ctx.pool, 'ac_admin', 'admin', null);
  await setContact(ctx.pool, admin.id, '13900000000', null);
  cameraId = await seedCamera(ctx.pool, 'pudong', 'Conditions gate');
  await bringCameraBack(ctx.pool, cameraId);
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  await peer?.close();
});

const unresolved = async (kind: string) =>
  (
    await ctx.pool.query<{ subject: string; district_id: string | null; detail: Record<string, unknown> }>(
      `select subject, district_id, detail from alerts where kind = $1 and state <> 'resolved' order by subject`,
      [kind],
    )
  ).rows;
const later = (s: number) => new Date(Date.now() + s * 1000);

describe('queue_stalled', () => {
  it('raises when jobs wait past the limit with nothing completed, told to the admins, and clears when the queue is empty', async () => {
    await ctx.queues.enqueue('rules', { frameId: 1, cameraId, seq: 1 }, { jobId: jobIds.rules(1) });
    await h.evaluation().sweep();
    expect(await unresolved('queue_stalled')).toEqual([]);

    const before = h.sms.sent.length;
    await h.evaluation(later(120)).sweep();
    await h.evaluation(later(130)).sweep();
    const stalled = await unresolved('queue_stalled');
    expect(stalled).toEqual([expect.objectContaining({ subject: 'queue:rules', district_id: null })]);
    expect(stalled[0]!.detail).toMatchObject({ waiting: 1, stallS: 60 });
    expect(h.sms.sent.slice(before).map((m) => m.to)).toEqual(['13900000000']);

    await ctx.queues.queue('rules').drain();
    await h.evaluation(later(140)).sweep();
    expect(await unresolved('queue_stalled')).toEqual([]);
  });
});

describe('detector_failing', () => {
  async function addFrame(seq: number, minutesAgo: number) {
    await ctx.pool.query(
      `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version, created_at)
       values ($1, $2, now(), $3, 'frames/x', 64, 48, 100, 1, now() - make_interval(mins => $4)) returning id`,
      [cameraId, seq, 'c'.repeat(64), minutesAgo],
    );
  }

  it('raises when frames wait without any detection stored, and clears when detections come', async () => {
    await addFrame(100, 10);
    await h.evaluation().sweep();
    expect(await unresolved('detector_failing')).toEqual([
      expect.objectContaining({ subject: 'detector', district_id: null }),
    ]);
    const { rows } = await ctx.pool.query<{ id: number }>(
      `select id from frames where camera_id = $1 and seq = 100`,
      [cameraId],
    );
    await ctx.pool.query(
      `insert into detections (frame_id, model_name, model_sha256, items) values ($1, 'm', 'abc', '[]')`,
      [rows[0]!.id],
    );
    await ctx.pool.query(`update frames set status = 'detected' where id = $1`, [rows[0]!.id]);
    await h.evaluation().sweep();
    expect(await unresolved('detector_failing')).toEqual([]);
  });
});

async function seedDecision(decision: 'approve' | 'reject', reason: string | null, hoursAgo = 1) {
  const violationId = randomUUID();
  await ctx.pool.query(
    `insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, first_seen_at, confirmed_at, dedupe_key)
     values ($1, 'pudong', $2, 1, 'street_stall', 'street_stall', 'pending_review', now(), now(), $3)`,
    [violationId, cameraId, `fp-${violationId}`],
  );
  await ctx.pool.query(
    `insert into review_tasks (violation_id, district_id, stage, violation_type, camera_id, status, decision, reason_code, decided_at, created_at)
     values ($1, 'pudong', 'evidence', 'street_stall', $2, $3, $4, $5,
             now() - make_interval(hours => $6), now() - make_interval(hours => $6))`,
    [violationId, cameraId, decision ? 'done' : 'open', decision, reason, hoursAgo],
  );
}

describe('false_positive_rate and review_backlog', () => {
  it('a camera whose reviews reject half its captures as false raises, with the minimum count', async () => {
    for (let i = 0; i < 9; i += 1) await seedDecision('reject', 'false_detection');
    for (let i = 0; i < 10; i += 1) await seedDecision('approve', null);
    await h.evaluation().sweep();
    expect(await unresolved('false_positive_rate')).toEqual([]); // 19 decisions: under the minimum of 20
    await seedDecision('reject', 'not_violation');
    await h.evaluation().sweep();
    const [fp] = await unresolved('false_positive_rate');
    expect(fp).toMatchObject({ subject: `camera:${cameraId}`, district_id: 'pudong' });
    expect(fp!.detail).toMatchObject({ reviewed: 20, rejected: 10, rate: 0.5 });
    // decisions older than the window no longer count; under the minimum the alert clears
    await ctx.pool.query(
      `update review_tasks set decided_at = now() - interval '30 days' where camera_id = $1`,
      [cameraId],
    );
    await h.evaluation().sweep();
    expect(await unresolved('false_positive_rate')).toEqual([]);
  });

  it('a review task waiting past the limit raises the district backlog alert', async () => {
    const violationId = randomUUID();
    await ctx.pool.query(
      `insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, first_seen_at, confirmed_at, dedupe_key)
       values ($1, 'pudong', $2, 1, 'street_stall', 'street_stall', 'pending_review', now(), now(), $3)`,
      [violationId, cameraId, `bl-${violationId}`],
    );
    const task = await ctx.pool.query<{ id: string }>(
      `insert into review_tasks (violation_id, district_id, stage, violation_type, camera_id, created_at)
       values ($1, 'pudong', 'evidence', 'street_stall', $2, now() - interval '30 hours') returning id`,
      [violationId, cameraId],
    );
    await h.evaluation().sweep();
    expect(await unresolved('review_backlog')).toEqual([
      expect.objectContaining({ subject: 'district:pudong:backlog', district_id: 'pudong' }),
    ]);
    await ctx.pool.query(`update review_tasks set status = 'cancelled' where id = $1`, [task.rows[0]!.id]);
    await h.evaluation().sweep();
    expect(await unresolved('review_backlog')).toEqual([]);
  });
});

describe('the webhook guard', () => {
  it('refuses a loopback webhook unless allowed, and metadata addresses always', async () => {
    const refused = new AlertWebhook({
      url: peer.url,
      secret: WEBHOOK_SECRET,
      allowPrivate: true,
      allowLoopback: false,
    });
    await expect(refused.post('{}', 'k1')).rejects.toThrow(/loopback/);
    const metadata = new AlertWebhook({
      url: 'http://169.254.169.254/latest/meta-data',
      secret: WEBHOOK_SECRET,
      allowPrivate: true,
      allowLoopback: true,
    });
    await expect(metadata.post('{}', 'k2')).rejects.toThrow(/metadata/);
    const allowed = new AlertWebhook({
      url: peer.url,
      secret: WEBHOOK_SECRET,
      allowPrivate: false,
      allowLoopback: true,
    });
    const n = peer.received.length;
    expect(await allowed.post('{"ping":true}', 'k3')).toBe(204);
    expect(peer.received[n]).toMatchObject({ signed: true, key: 'k3', body: { ping: true } });
  });

  it('a refused or failing webhook is recorded as notify_failed and tried at most ALERT_NOTIFY_MAX_TRIES times', async () => {
    const down = await createTestContext({
      ...alertEnv('http://127.0.0.1:9/nothing-listens'),
      ALERT_NOTIFY_MAX_TRIES: '2',
      ALERT_CHANNELS: 'webhook',
    });
    try {
      await seedDistrict(down.pool, 'pudong');
      const cam = await seedCamera(down.pool, 'pudong');
      await down.pool.query(`update cameras set created_at = now() - interval '1 day' where id = $1`, [cam]);
      const harness = alertHarness(down);
      for (let i = 0; i < 4; i += 1) await harness.evaluation().sweep();
      const events = await down.pool.query<{ event: string; n: number }>(
        `select event, count(*)::int as n from alert_events group by event order by event`,
      );
      expect(events.rows).toEqual([
        { event: 'notify_failed', n: 2 },
        { event: 'opened', n: 1 },
      ]);
    } finally {
      await down.close();
    }
  });
});

describe('the alert-sweep schedule', () => {
  it('is registered again when Redis has lost it, as the case sweep is', async () => {
    const id = jobIds.scheduler('alert-sweep');
    await ctx.queues.schedule('alert-sweep', {}, 60_000);
    const q = ctx.queues.queue('alert-sweep');
    expect(await q.getJobScheduler(id)).toMatchObject({ every: 60_000 });
    await q.removeJobScheduler(id);
    expect(await q.getJobScheduler(id)).toBeFalsy();
    expect(await ctx.queues.restoreSchedules('missing')).toEqual([id]);
    expect(await q.getJobScheduler(id)).toMatchObject({ every: 60_000 });
  });
});
