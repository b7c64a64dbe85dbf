import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violationUuidFor } from '../../src/evidence/evidence-ids.js';
import { findViolation } from '../../src/violations/violation.repo.js';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
import {
  addFrame,
  configureCamera,
  count,
  crate,
  eligibleCamera,
  shopZone,
  stages,
} from '../support/rules-fixtures.js';
import { seedParty } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/**
 * Voice calls for the warning (Pudong art. 15: "通过短信告知或者语音电话等方式进行劝阻教育"): with
 * WARNING_VOICE_CALL=task the warning to a party with a phone makes a call task for the district; an answered
 * call counts as the warning reaching the party, an unanswered one leaves the reach as it was. Another
 * district's task, a malformed outcome and a second recording are refused and change nothing.
 */
let ctx: TestContext;
let jpegs: TestFrames;
let patrol: TestClient;
let otherPatrol: TestClient;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedDistrict(ctx.pool, 'huangpu');
  await seedStaff(ctx.pool, 'vc-patrol', 'patrol', 'pudong');
  await seedStaff(ctx.pool, 'vc-other', 'patrol', 'huangpu');
  patrol = await new TestClient(ctx.app).login('vc-patrol', 'a long test password');
  otherPatrol = await new TestClient(ctx.app).login('vc-other', 'a long test password');
  jpegs = await extractTestFrames(4);
});

afterAll(async () => {
  await jpegs?.cleanup();
  await ctx?.close();
});

/** A shop front with warn-first (20 s dwell, 30 s grace), warned with voice calls configured. */
async function warnedWithCall() {
  const partyId = await seedParty(ctx.pool, 'pudong');
  const cameraId = await eligibleCamera(ctx.pool, 'pudong');
  const version = await configureCamera(ctx.pool, cameraId, [shopZone(randomUUID(), partyId)], {
    missToleranceSeconds: 10,
  });
  const s = stages(ctx, { warningVoiceCall: 'task' });
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
  const { rows } = await ctx.pool.query('select dedupe_key from violation_candidates where camera_id = $1', [
    cameraId,
  ]);
  const dedupeKey = rows[0].dedupe_key as string;
  expect(await s.evidence.handle({ cameraId, dedupeKey })).toEqual(['warned']);
  const violationId = violationUuidFor(dedupeKey);
  const task = await ctx.pool.query(
    `select id, reason, status, party_id from field_tasks where violation_id = $1`,
    [violationId],
  );
  expect(task.rows).toEqual([
    { id: expect.any(String), reason: 'voice_call', status: 'open', party_id: partyId },
  ]);
  // The task was made two minutes ago, so a call 40 s ago is after it.
  await ctx.pool.query(`update field_tasks set created_at = now() - interval '2 minutes' where id = $1`, [
    task.rows[0].id,
  ]);
  // The SMS did not reach the party.
  await ctx.pool.query(
    `update deliveries d set status = 'failed', last_error = 'number does not exist'
       from notices n where n.id = d.notice_id and n.violation_id = $1`,
    [violationId],
  );
  return { cameraId, dedupeKey, violationId, taskId: task.rows[0].id as string, feed, ...s };
}

const calls = (taskId: string) =>
  count(ctx.pool, `select 1 from audit_log where action = 'field_task.call' and subject_id = $1`, [taskId]);
const postForm = (taskId: string, form: Record<string, string>) =>
  patrol.request('POST', `/staff/field-tasks/${taskId}/call`, new URLSearchParams(form).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'text/html',
  });
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();

describe('voice call tasks of the warning', () => {
  it('lists the task with the number masked; the caller opening it sees the number, logged', async () => {
    const { taskId } = await warnedWithCall();
    const list = await patrol.request('GET', '/api/field-tasks');
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json().tasks.find((t: { id: string }) => t.id === taskId);
    expect(item).toMatchObject({ reason: 'voice_call', phone: '138****8000' });
    expect(list.body).not.toContain('13800138000');
    const queue = await patrol.request('GET', '/staff/field-tasks');
    expect(queue.body).toContain('138****8000');
    expect(queue.body).not.toContain('13800138000');
    const page = await patrol.request('GET', `/staff/field-tasks/${taskId}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('href="tel:13800138000"');
    expect(page.body).toContain('id="call-script"');
    expect(page.body).toContain('第十五条');
    expect(
      await count(ctx.pool, `select 1 from audit_log where action = 'party.phone_view' and subject_id = $1`, [
        taskId,
      ]),
    ).toBe(1);
    expect((await otherPatrol.request('GET', `/staff/field-tasks/${taskId}`)).statusCode).toBe(403);
  });

  it('an answered call reaches the party: the violation corrected in time closes without penalty', async () => {
    const { cameraId, dedupeKey, violationId, taskId, feed, evidence } = await warnedWithCall();
    const after = await feed(55, false);
    expect(after.events.map((e) => e.event.type)).toEqual(['violation_ended', 'warning_rechecked']);
    // The SMS failed and the call is not made yet: the re-check waits for it.
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual([]);
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('warned');

    const res = await patrol.request('POST', `/api/field-tasks/${taskId}/call`, {
      outcome: 'answered',
      calledAt: ago(40),
      note: '当事人表示立即整改',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ taskId, outcome: 'answered' });
    const task = (
      await ctx.pool.query(
        'select status, outcome, called_at, done_by, note from field_tasks where id = $1',
        [taskId],
      )
    ).rows[0];
    expect(task).toMatchObject({ status: 'done', outcome: 'answered', note: '当事人表示立即整改' });
    expect(task.done_by).not.toBeNull();

    expect(await evidence.warnFirst.recheck({ violationId })).toBe('done');
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('corrected');

    // Recorded twice: 409, nothing changes.
    const again = await patrol.request('POST', `/api/field-tasks/${taskId}/call`, { outcome: 'no_answer' });
    expect(again.statusCode).toBe(409);
    expect(await calls(taskId)).toBe(1);
    const page = await patrol.request('GET', `/staff/field-tasks/${taskId}`);
    expect(page.body).toContain('data-outcome="answered"');
    expect(page.body).not.toContain('13800138000');
  });

  it('an unanswered call leaves the warning undelivered: review and the patrol, as before', async () => {
    const { cameraId, dedupeKey, violationId, taskId, feed, evidence } = await warnedWithCall();
    await feed(55, false);
    const res = await postForm(taskId, { outcome: 'no_answer', calledAt: '', note: '' });
    expect(res.statusCode, res.body).toBe(303);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['escalated']);
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation.status).toBe('pending_review');
    expect(violation.details).toMatchObject({ recheck: { outcome: 'corrected', warningUndelivered: true } });
    const field = await ctx.pool.query(
      'select reason, status, outcome from field_tasks where violation_id = $1 order by created_at',
      [violationId],
    );
    expect(field.rows).toEqual([
      { reason: 'voice_call', status: 'done', outcome: 'no_answer' },
      { reason: 'unreachable', status: 'open', outcome: null },
    ]);
    // A call outcome for a task that is not a call is refused.
    const unreachable = (
      await ctx.pool.query(`select id from field_tasks where violation_id = $1 and reason = 'unreachable'`, [
        violationId,
      ])
    ).rows[0].id as string;
    const refused = await patrol.request('POST', `/api/field-tasks/${unreachable}/call`, {
      outcome: 'answered',
    });
    expect(refused.statusCode).toBe(400);
    expect(await calls(unreachable)).toBe(0);
  });

  it('refuses another district, a malformed outcome or time, and nothing is stored', async () => {
    const { taskId, violationId } = await warnedWithCall();
    const post = (client: TestClient, body: Record<string, unknown>, id = taskId) =>
      client.request('POST', `/api/field-tasks/${id}/call`, body);
    expect((await post(otherPatrol, { outcome: 'answered' })).statusCode).toBe(403);
    expect((await post(patrol, { outcome: 'maybe' })).statusCode).toBe(400);
    expect((await post(patrol, { outcome: 'answered', calledAt: 'yesterday' })).statusCode).toBe(400);
    expect((await post(patrol, { outcome: 'answered', calledAt: ago(-3600) })).statusCode).toBe(400);
    expect((await post(patrol, { outcome: 'answered', calledAt: ago(3600) })).statusCode).toBe(400);
    expect((await post(patrol, { outcome: 'answered', extra: 1 })).statusCode).toBe(400);
    expect((await post(patrol, { outcome: 'answered', note: 'a\u0000b' })).statusCode).toBe(400);
    expect((await post(patrol, { outcome: 'answered' }, randomUUID())).statusCode).toBe(404);
    expect((await postForm(taskId, { outcome: 'answered', calledAt: '2026-13-45T99:99' })).statusCode).toBe(
      400,
    );
    expect((await postForm(taskId, { outcome: 'later', calledAt: '' })).statusCode).toBe(400);
    expect(await calls(taskId)).toBe(0);
    const task = (await ctx.pool.query('select status, outcome from field_tasks where id = $1', [taskId]))
      .rows[0];
    expect(task).toEqual({ status: 'open', outcome: null });
    expect((await findViolation(ctx.pool, violationId))!.status).toBe('warned');
  });
});
