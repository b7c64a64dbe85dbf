import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import { createLogger } from '../../src/shared/logger.js';
import { seedCamera, seedParty, seedViolationForReview } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/**
 * The legal reviewer records the circumstances at the legal stage, through the API on the real database: the
 * suggestion follows them, the filed case carries them and the fine they lead to, and a circumstance the
 * catalogue does not know is refused without deciding anything.
 */
let ctx: TestContext;
let legal: TestClient;
let other: TestClient;
let cameraId: string;
let partyId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await ctx.pool.query(`update districts set case_prefix = 'PD' where id = 'pudong'`);
  await seedDistrict(ctx.pool, 'huangpu');
  cameraId = await seedCamera(ctx.pool, 'pudong');
  partyId = await seedParty(ctx.pool, 'pudong', '李某', 'person');
  await seedStaff(ctx.pool, 'ci-legal', 'legal_reviewer', 'pudong');
  await seedStaff(ctx.pool, 'ci-legal-hp', 'legal_reviewer', 'huangpu');
  legal = await new TestClient(ctx.app).login('ci-legal', 'a long test password');
  other = await new TestClient(ctx.app).login('ci-legal-hp', 'a long test password');
});
afterAll(() => ctx?.close());

/** A legal-stage task claimed by the Pudong reviewer. */
async function claimedTask(): Promise<{ taskId: string; violationId: string }> {
  const seeded = await seedViolationForReview(ctx.pool, ctx.blobs, {
    districtId: 'pudong',
    cameraId,
    partyId,
    stage: 'legal',
  });
  const claim = await legal.request('POST', '/api/review/claim', {});
  expect(claim.statusCode).toBe(200);
  expect(claim.json().task.id).toBe(seeded.taskId);
  return seeded;
}

const suggestion = async (taskId: string, circumstances: unknown[]) =>
  legal.request('POST', `/api/review/tasks/${taskId}/suggestion`, { partyId, circumstances });

describe('circumstances at the legal stage', () => {
  it('change the suggested tier and amount, with the reasons the decision prints', async () => {
    const { taskId, violationId } = await claimedTask();
    const plain = await suggestion(taskId, []);
    expect(plain.statusCode).toBe(200);
    expect(plain.json().suggestions).toEqual([
      expect.objectContaining({
        partyKind: 'individual',
        tierId: 'first_offence',
        fineFen: 100_00,
        amount: '100元',
        amountInCapitals: '壹佰元整',
      }),
    ]);
    const mitigated = (
      await suggestion(taskId, [{ code: 'eliminated_harm', basis: '当事人当场清理' }])
    ).json();
    expect(mitigated.suggestions[0]).toMatchObject({
      fineFen: 50_00,
      amount: '50元',
      amountInCapitals: '伍拾元整',
    });
    expect(mitigated.suggestions[0].reasons[0]).toContain('经审查认定主动消除或者减轻违法行为危害后果');
    const none = (
      await suggestion(taskId, [
        { code: 'minor', basis: '占道不足一平方米' },
        { code: 'corrected_in_time', basis: '复查时已清理', seenBy: 'camera_recheck' },
        { code: 'no_harm', basis: '未影响通行' },
      ])
    ).json();
    expect(none.suggestions[0]).toMatchObject({ penalty: 'none', fineFen: 0, amount: '不予处罚' });

    // The approval carries them; the case is filed on exactly that suggestion.
    const approved = await legal.request('POST', `/api/review/tasks/${taskId}/decision`, {
      decision: 'approve',
      partyId,
      circumstances: [{ code: 'eliminated_harm', basis: '当事人当场清理', note: '有视频' }],
    });
    expect(approved.statusCode).toBe(200);
    const filed = (
      await ctx.pool.query('select proposed_fine_fen, snapshot from cases where violation_id = $1', [
        violationId,
      ])
    ).rows[0];
    expect(Number(filed.proposed_fine_fen)).toBe(50_00);
    expect(filed.snapshot.circumstances).toEqual([
      { code: 'eliminated_harm', basis: '当事人当场清理', note: '有视频' },
    ]);
    expect(filed.snapshot.reasons).toEqual(
      mitigated.suggestions[0].reasons.map((r: string) => (r.startsWith('经审查认定') ? `${r}；有视频` : r)),
    );
    const audit = await ctx.pool.query(`select data from audit_log where action = 'case.file'`);
    expect(audit.rows.at(-1).data.circumstances).toEqual(['eliminated_harm']);
  });

  it('a no-penalty outcome files a case that proposes nothing', async () => {
    const { taskId, violationId } = await claimedTask();
    const approved = await legal.request('POST', `/api/review/tasks/${taskId}/decision`, {
      decision: 'approve',
      partyId,
      circumstances: [{ code: 'no_fault', basis: '视频显示物品系他人放置' }],
    });
    expect(approved.statusCode).toBe(200);
    const filed = (
      await ctx.pool.query('select proposed_fine_fen, snapshot from cases where violation_id = $1', [
        violationId,
      ])
    ).rows[0];
    expect(Number(filed.proposed_fine_fen)).toBe(0);
    expect(filed.snapshot.reasons.join('')).toContain('第三十三条第二款');

    // The sweep issues the sealed no-penalty decision, then closes the case; a second sweep adds nothing.
    const sweep = createNotifyServices({
      config: ctx.config,
      pool: ctx.pool,
      blobs: ctx.blobs,
      queues: ctx.queues,
      logger: createLogger('silent', 'test'),
      channels: {},
    }).sweep;
    expect((await sweep.sweep()).closedWithoutPenalty).toBe(1);
    await sweep.sweep();
    const closed = (
      await ctx.pool.query('select id, status, snapshot from cases where violation_id = $1', [violationId])
    ).rows[0];
    expect(closed).toMatchObject({ status: 'closed', snapshot: { outcome: 'no_penalty' } });
    const notices = await ctx.pool.query(
      `select kind, document_key, html_key, document_sha256 from notices where case_id = $1`,
      [closed.id],
    );
    expect(notices.rows.map((n) => n.kind)).toEqual(['no_penalty_decision']);
    const pdf = await ctx.blobs.get(notices.rows[0].document_key);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(notices.rows[0].document_sha256);
    const html = (await ctx.blobs.get(notices.rows[0].html_key)).toString('utf8');
    expect(html).toContain('不予行政处罚决定书');
    expect(html).toContain('本机关决定对你不予行政处罚');
    const steps = await ctx.pool.query('select kind from case_events where case_id = $1 order by id', [
      closed.id,
    ]);
    expect(steps.rows.map((r) => r.kind)).toEqual([
      'filed',
      'no_penalty_decision_issued',
      'close_without_penalty',
    ]);
  });

  it('refuses a circumstance the catalogue does not know, or one without its basis, and decides nothing', async () => {
    const { taskId, violationId } = await claimedTask();
    for (const circumstances of [
      [{ code: 'good_citizen', basis: '表现良好' }],
      [{ code: 'minor', basis: '' }],
      [{ code: 'corrected_in_time', basis: '已清理' }],
    ]) {
      const res = await suggestion(taskId, circumstances);
      expect(res.statusCode, JSON.stringify(circumstances)).toBe(400);
      const decided = await legal.request('POST', `/api/review/tasks/${taskId}/decision`, {
        decision: 'approve',
        partyId,
        circumstances,
      });
      expect(decided.statusCode, JSON.stringify(circumstances)).toBe(400);
    }
    expect((await suggestion(taskId, [{ code: 'good_citizen', basis: 'x' }])).json().message).toContain(
      'good_citizen',
    );
    const task = (await ctx.pool.query('select status, decision from review_tasks where id = $1', [taskId]))
      .rows[0];
    expect(task).toEqual({ status: 'claimed', decision: null });
    expect(
      (await ctx.pool.query('select 1 from cases where violation_id = $1', [violationId])).rowCount,
    ).toBe(0);
    // Another district's reviewer gets nothing out of the task.
    expect((await other.request('POST', `/api/review/tasks/${taskId}/suggestion`, {})).statusCode).toBe(403);
    // The task is still held and can be approved properly.
    const ok = await legal.request('POST', `/api/review/tasks/${taskId}/decision`, {
      decision: 'approve',
      partyId,
    });
    expect(ok.statusCode).toBe(200);
  });

  it('shows the circumstances on the workbench page with the suggestion in 元 and capitals', async () => {
    const { taskId } = await claimedTask();
    const page = await legal.request('GET', `/review/tasks/${taskId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="circumstances"');
    expect(page.body).toContain('data-code="coerced"');
    expect(page.body).toContain('100元（壹佰元整）');
    await legal.request('POST', `/api/review/tasks/${taskId}/release`);
  });
});
