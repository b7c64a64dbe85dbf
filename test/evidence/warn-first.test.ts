import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violationUuidFor } from '../../src/evidence/evidence-ids.js';
import { jobIds } from '../../src/queue/jobs.js';
import { manifestFaults, type EvidenceManifest } from '../../src/evidence/evidence-manifest.js';
import { enqueueStaleCandidates } from '../../src/evidence/outbox-sweep.service.js';
import { UNCHECKED_NOTE, UNDELIVERED_NOTE } from '../../src/evidence/warn-first.service.js';
import { createLogger } from '../../src/shared/logger.js';
import { warningChannels } from '../../src/notices/warning.service.js';
import { findViolation, listEvidence } from '../../src/violations/violation.repo.js';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
import { seedParty } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import {
  addFrame,
  configureCamera,
  count,
  crate,
  eligibleCamera,
  shopZone,
  stages,
} from '../support/rules-fixtures.js';

let ctx: TestContext;
let jpegs: TestFrames;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  jpegs = await extractTestFrames(4);
});

afterAll(async () => {
  await jpegs?.cleanup();
  await ctx?.close();
});

/**
 * A shop front with warn-first: 20 s dwell, 30 s grace, scenes clear after 10 s unseen. Goods beyond the line
 * from 0 s, so the violation is confirmed at 20 s and re-checked on the first frame from 50 s.
 */
async function warnedShop(packageNow = true) {
  const partyId = await seedParty(ctx.pool, 'pudong');
  await ctx.pool.query(`update parties set email = 'shop@example.cn' where id = $1`, [partyId]);
  const cameraId = await eligibleCamera(ctx.pool, 'pudong');
  const version = await configureCamera(ctx.pool, cameraId, [shopZone(randomUUID(), partyId)], {
    missToleranceSeconds: 10,
  });
  const s = stages(ctx);
  let seq = 0;
  const feed = async (untilSecond: number, goods: boolean) => {
    let frameId = 0;
    for (let at = seq * 5; at <= untilSecond; at += 5) {
      seq++;
      frameId = await addFrame(ctx, cameraId, version, {
        seq,
        at,
        jpeg: jpegs.jpegs[seq % 4]!,
        detections: goods ? [crate()] : [],
      });
    }
    return s.rules.handle({ frameId, cameraId, seq });
  };
  await feed(25, true);
  if (!packageNow) await feed(50, true);
  const { rows } = await ctx.pool.query(
    'select dedupe_key, recheck_at from violation_candidates where camera_id = $1',
    [cameraId],
  );
  expect(rows).toHaveLength(1);
  const dedupeKey = rows[0].dedupe_key as string;
  if (packageNow) expect(await s.evidence.handle({ cameraId, dedupeKey })).toEqual(['warned']);
  return { partyId, cameraId, dedupeKey, violationId: violationUuidFor(dedupeKey), feed, ...s };
}

/**
 * The warning reached the party by SMS 40 s ago, so its 30 s grace period, counted from the delivery, is over:
 * the re-check may act on what the engine saw.
 */
async function deliverWarning(violationId: string, agoSeconds = 40) {
  await ctx.pool.query(
    `update deliveries d set status = 'delivered', sent_at = now() - make_interval(secs => $2 + 1),
            delivered_at = now() - make_interval(secs => $2)
       from notices n where n.id = d.notice_id and n.violation_id = $1 and n.kind = 'warning'`,
    [violationId, agoSeconds],
  );
}

describe('warn first', () => {
  it('picks delivery channels from the contacts the party left', () => {
    expect(warningChannels({ phone: '13800138000', email: 'a@b.cn' })).toEqual(['sms', 'email']);
    expect(warningChannels({ phone: null, email: 'a@b.cn' })).toEqual(['email']);
    expect(warningChannels({ phone: ' ', email: null })).toEqual(['postal']);
  });

  it('warns the party, with a notice per channel and a delayed re-check, and opens no review task', async () => {
    const { partyId, violationId } = await warnedShop();
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation).toMatchObject({
      status: 'warned',
      party_id: partyId,
      violation_type: 'shop_encroachment',
      rule: 'encroachment',
    });
    expect(await count(ctx.pool, 'select 1 from review_tasks where violation_id = $1', [violationId])).toBe(
      0,
    );
    const notices = await ctx.pool.query(
      `select id, party_id from notices where violation_id = $1 and kind = 'warning'`,
      [violationId],
    );
    expect(notices.rows).toEqual([{ id: expect.any(String), party_id: partyId }]);
    const deliveries = await ctx.pool.query(
      'select id, channel, status from deliveries where notice_id = $1 order by channel',
      [notices.rows[0].id],
    );
    expect(deliveries.rows.map((d) => [d.channel, d.status])).toEqual([
      ['email', 'pending'],
      ['sms', 'pending'],
    ]);
    for (const d of deliveries.rows) {
      const job = await ctx.queues.queue('deliver').getJob(jobIds.deliver(d.id));
      expect(job?.data).toEqual({ deliveryId: d.id });
      // A warning retries like every other delivery, not with the queue's default.
      expect(job!.opts.attempts).toBe(ctx.config.deliveryAttempts);
      expect(job!.opts.backoff).toEqual({ type: 'exponential', delay: ctx.config.deliveryBackoffMs });
    }
    const recheck = await ctx.queues.queue('recheck').getJob(jobIds.recheck(violationId, 0));
    expect(recheck?.data).toEqual({ violationId });
    // grace (30 s) and the margin, counted from now on the worker's clock
    expect(recheck!.opts.delay).toBe(30_000 + 300_000);
    const audit = await ctx.pool.query(
      `select data from audit_log where action = 'violation.warned' and subject_id = $1`,
      [violationId],
    );
    expect(audit.rows[0].data.channels).toEqual(['sms', 'email']);
  });

  it('closes a violation corrected within the grace period, with no penalty and no review task', async () => {
    const { cameraId, dedupeKey, violationId, feed, evidence } = await warnedShop();
    const after = await feed(55, false);
    expect(after.events.map((e) => e.event.type)).toEqual(['violation_ended', 'warning_rechecked']);
    await deliverWarning(violationId);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['corrected']);
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('corrected');
    expect(violation.ended_at).not.toBeNull();
    expect(violation.details).toMatchObject({ recheck: { outcome: 'corrected' }, endReason: 'cleared' });
    expect(await count(ctx.pool, 'select 1 from review_tasks where violation_id = $1', [violationId])).toBe(
      0,
    );
    const audit = await ctx.pool.query(
      `select data from audit_log where action = 'violation.corrected' and subject_id = $1`,
      [violationId],
    );
    expect(audit.rows[0].data).toMatchObject({ outcome: 'corrected', penalty: 'none' });
    // The recheck job finds nothing left to do.
    expect(await evidence.warnFirst.recheck({ violationId })).toBe('done');
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('corrected');
  });

  it('escalates a violation still there after the grace period, with the re-check frame as further evidence', async () => {
    const { cameraId, dedupeKey, violationId, feed, evidence } = await warnedShop();
    const after = await feed(50, true);
    const recheck = after.events.find((e) => e.event.type === 'warning_rechecked')!.event;
    expect(recheck).toMatchObject({ outcome: 'escalate', seq: 11 });
    await deliverWarning(violationId);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['escalated']);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual([]);

    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('pending_review');
    expect(violation.details).toMatchObject({ recheck: { outcome: 'escalate', seq: 11 } });
    expect(violation.details).not.toHaveProperty('warnedAfterRecheck');
    const tasks = await ctx.pool.query('select stage from review_tasks where violation_id = $1', [
      violationId,
    ]);
    expect(tasks.rows).toEqual([{ stage: 'evidence' }]);
    const items = await listEvidence(ctx.pool, violationId);
    expect(items).toHaveLength(7 + 4);
    const recheckManifest = items.find(
      (i) => i.storage_key === `evidence/${violationId}/recheck/manifest.json`,
    )!;
    const manifest = JSON.parse(
      (await ctx.blobs.get(recheckManifest.storage_key)).toString('utf8'),
    ) as EvidenceManifest;
    expect(manifest.phase).toBe('recheck');
    expect(manifest.recheck).toMatchObject({
      seq: 11,
      confirmManifest: { sha256: violation.manifest_sha256 },
    });
    expect(manifest.frames.map((f) => [f.role, f.seq])).toEqual([['recheck', 11]]);
    const stored = new Map(items.map((i) => [i.storage_key, { sha256: i.sha256, byteSize: i.byte_size }]));
    expect(manifestFaults(manifest, stored)).toEqual([]);
    expect(
      await count(
        ctx.pool,
        `select 1 from audit_log where action = 'violation.escalated' and subject_id = $1`,
        [violationId],
      ),
    ).toBe(1);
  });

  it('escalates with a note when no frame came after the grace period, and a late engine outcome changes nothing', async () => {
    const { cameraId, dedupeKey, violationId, feed, evidence } = await warnedShop();
    await deliverWarning(violationId);
    expect(await evidence.warnFirst.recheck({ violationId })).toBe('unchecked');
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('pending_review');
    expect(violation.details).toMatchObject({ recheck: { outcome: 'unchecked', note: UNCHECKED_NOTE } });
    expect(await count(ctx.pool, 'select 1 from review_tasks where violation_id = $1', [violationId])).toBe(
      1,
    );

    // The camera comes back and the engine decides after all: the first recorded outcome stands.
    const after = await feed(55, false);
    expect(after.events.some((e) => e.event.type === 'warning_rechecked')).toBe(true);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual([]);
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('pending_review');
    const candidate = await ctx.pool.query(
      'select status, recheck_outcome from violation_candidates where dedupe_key = $1',
      [dedupeKey],
    );
    expect(candidate.rows[0]).toEqual({ status: 'escalated', recheck_outcome: 'unchecked' });
  });

  it('waits instead of giving up while the engine has judged frames after the grace period but not decided', async () => {
    const { violationId, feed, evidence } = await warnedShop();
    await deliverWarning(violationId);
    // Goods seen until 45 s, gone at 50 s: on the re-check frame the scene is unseen but not yet cleared.
    await feed(45, true);
    const undecided = await feed(50, false);
    expect(undecided.events.map((e) => e.event.type)).toEqual([]);
    expect(await evidence.warnFirst.recheck({ violationId })).toBe('waiting');
    expect(await ctx.queues.queue('recheck').getJob(jobIds.recheck(violationId, 1))).toBeDefined();
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('warned');

    const decided = await feed(60, false);
    expect(decided.events.map((e) => e.event.type)).toEqual(['violation_ended', 'warning_rechecked']);
    expect(await evidence.warnFirst.recheck({ violationId, attempt: 1 })).toBe('done');
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('corrected');
  });

  it('enqueues again a re-check that Redis lost, once its violation is overdue', async () => {
    const { cameraId, dedupeKey, violationId, evidence } = await warnedShop();
    const deps = { pool: ctx.pool, queues: ctx.queues, logger: createLogger('silent', 'test') };
    const options = { olderThanSeconds: 60, recheckOverdueSeconds: 1_200 };
    const swept = async () =>
      (await ctx.queues.queue('evidence').getJobs(['waiting', 'delayed'])).filter(
        (j) => j.id?.includes('sweep') && (j.data as { dedupeKey: string }).dedupeKey === dedupeKey,
      ).length;
    const warnedAgo = (minutes: number) =>
      ctx.pool.query(
        `update violation_candidates set updated_at = now() - make_interval(mins => $2) where dedupe_key = $1`,
        [dedupeKey, minutes],
      );
    // Still within its grace period (30 s) and margins: nothing to do.
    await warnedAgo(10);
    await enqueueStaleCandidates(deps, options);
    expect(await swept()).toBe(0);
    // Redis comes back without the delayed re-check, and the grace period and margins pass.
    await (await ctx.queues.queue('recheck').getJob(jobIds.recheck(violationId, 0)))!.remove();
    await warnedAgo(30);
    await enqueueStaleCandidates(deps, options);
    expect(await swept()).toBe(1);
    // The evidence job the sweep enqueued, run as the worker runs it, puts the re-check back.
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual([]);
    expect(await ctx.queues.queue('recheck').getJob(jobIds.recheck(violationId, 0))).toBeDefined();
  });

  it('tells the reviewer when the warning could only be written after the re-check had decided', async () => {
    const { cameraId, dedupeKey, violationId, evidence } = await warnedShop(false);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['warned', 'escalated']);
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('pending_review');
    expect(violation.details).toMatchObject({
      warnedAfterRecheck: true,
      recheck: { outcome: 'escalate', warnedAfterRecheck: true },
    });
  });

  it('shows the reviewer how the warning went and how much of the grace period the party really had', async () => {
    const { cameraId, dedupeKey, violationId, feed, evidence } = await warnedShop();
    await feed(50, true);
    await deliverWarning(violationId);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['escalated']);
    // The SMS gateway refused the message; the email reached the party 45 s after the warning was written, when
    // the 30 s grace period was over.
    await ctx.pool.query(
      `update deliveries d set status = case d.channel when 'sms' then 'failed' else 'delivered' end,
              last_error = case d.channel when 'sms' then 'gateway answered 503' end,
              sent_at = n.created_at + interval '2 seconds',
              delivered_at = case d.channel when 'email' then n.created_at + interval '45 seconds' end
         from notices n where n.id = d.notice_id and n.violation_id = $1`,
      [violationId],
    );
    const task = await ctx.pool.query<{ id: string }>('select id from review_tasks where violation_id = $1', [
      violationId,
    ]);
    const reviewer = await seedStaff(
      ctx.pool,
      `ev-${randomUUID().slice(0, 8)}`,
      'evidence_reviewer',
      'pudong',
    );
    const client = await new TestClient(ctx.app).login(reviewer.username, reviewer.password);
    const res = await client.request('GET', `/review/tasks/${task.rows[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const section = res.body.slice(res.body.indexOf('<section id="warn-first">'));
    expect(section).toContain('通过前请核查');
    expect(section).toContain('劝阻告知在制作 45秒 后经电子邮件送达当事人，此时 30秒 的宽限期已届满。');
    expect(section).toMatch(/<th>宽限期<\/th>\s*<td>30秒<\/td>/);
    expect(section).toMatch(/<th>实际改正时间<\/th>\s*<td>\s*无\s*<\/td>/);
    expect(section).toContain('gateway answered 503');
    expect(section).toContain('宽限期后仍存在');
    expect(res.body).toContain('劝阻告知经电子邮件送达');

    // Delivered at once instead: no doubt to raise.
    await ctx.pool.query(
      `update deliveries d set delivered_at = n.created_at + interval '1 second'
         from notices n where n.id = d.notice_id and n.violation_id = $1 and d.channel = 'email'`,
      [violationId],
    );
    const again = await client.request('GET', `/review/tasks/${task.rows[0]!.id}`);
    expect(again.body).not.toContain('通过前请核查');
    expect(again.body).toContain('当事人有完整的宽限期改正');
  });
  it('waits for the warning to reach the party and counts the grace period from its delivery', async () => {
    const { cameraId, dedupeKey, violationId, feed, evidence } = await warnedShop();
    const after = await feed(50, true);
    expect(after.events.some((e) => e.event.type === 'warning_rechecked')).toBe(true);
    // The engine saw the goods still out, but the warning is still on its way: nothing is decided yet.
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual([]);
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('warned');
    expect(await evidence.warnFirst.recheck({ violationId })).toBe('waiting');
    const first = await ctx.queues.queue('recheck').getJob(jobIds.recheck(violationId, 0, 1));
    expect(first?.data).toEqual({ violationId, deliveryWait: 1 });
    expect(first!.opts.delay).toBe(300_000);

    // Delivered just now: the party has its 30 s from now, so the re-check looks again after them.
    await deliverWarning(violationId, 0);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual([]);
    expect(await evidence.warnFirst.recheck({ violationId, deliveryWait: 1 })).toBe('waiting');
    const second = await ctx.queues.queue('recheck').getJob(jobIds.recheck(violationId, 0, 2));
    expect(second!.opts.delay).toBeGreaterThan(300_000 + 25_000);
    expect(second!.opts.delay).toBeLessThanOrEqual(300_000 + 30_000);
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('warned');

    // The grace period counted from the delivery is over.
    await deliverWarning(violationId, 40);
    expect(await evidence.warnFirst.recheck({ violationId, deliveryWait: 2 })).toBe('done');
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('pending_review');
    expect(violation.details).toMatchObject({
      recheck: { outcome: 'escalate', toldBy: 'receipt', warningToldAt: expect.any(String) },
    });
  });

  it('does not close as corrected a violation whose party the warning never reached; the review page says so', async () => {
    const { cameraId, dedupeKey, violationId, feed, evidence } = await warnedShop();
    await ctx.pool.query(
      `update deliveries d set status = 'failed', last_error = 'number does not exist'
         from notices n where n.id = d.notice_id and n.violation_id = $1`,
      [violationId],
    );
    const after = await feed(55, false);
    expect(after.events.map((e) => e.event.type)).toEqual(['violation_ended', 'warning_rechecked']);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['escalated']);
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('pending_review');
    expect(violation.details).toMatchObject({
      recheck: { outcome: 'corrected', warningUndelivered: true, undeliveredNote: UNDELIVERED_NOTE },
    });
    expect(
      await count(
        ctx.pool,
        `select 1 from audit_log where action = 'violation.corrected' and subject_id = $1`,
        [violationId],
      ),
    ).toBe(0);
    const task = await ctx.pool.query<{ id: string }>('select id from review_tasks where violation_id = $1', [
      violationId,
    ]);
    expect(task.rows).toHaveLength(1);
    // The patrol is sent to tell the party on site, or to see the scene corrected (派单).
    const field = await ctx.pool.query('select reason, status from field_tasks where violation_id = $1', [
      violationId,
    ]);
    expect(field.rows).toEqual([{ reason: 'unreachable', status: 'open' }]);
    const reviewer = await seedStaff(
      ctx.pool,
      `ev-${randomUUID().slice(0, 8)}`,
      'evidence_reviewer',
      'pudong',
    );
    const client = await new TestClient(ctx.app).login(reviewer.username, reviewer.password);
    const res = await client.request('GET', `/review/tasks/${task.rows[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const section = res.body.slice(res.body.indexOf('<section id="warn-first">'));
    expect(section).toContain('data-concern="warning_undelivered"');
    expect(section).toContain('劝阻告知未能送达：当事人未被告知改正，复查虽见现场已清除，未按已改正结案。');
    expect(res.body).toContain('宽限期后复查：现场已清除，但劝阻告知未送达当事人，转审核');
    expect(section).toContain('number does not exist');
  });

  it('sends to review, as undelivered, a warning still not delivered after the bounded wait', async () => {
    const { violationId, feed, evidence } = await warnedShop();
    await feed(55, false);
    expect(await evidence.warnFirst.recheck({ violationId, deliveryWait: 6 })).toBe('done');
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('pending_review');
    expect(violation.details).toMatchObject({
      recheck: {
        outcome: 'corrected',
        warningUndelivered: true,
        deliveries: 'no delivery of the warning was confirmed in time',
      },
    });
  });
});
