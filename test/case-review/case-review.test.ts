import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal, StaffRole } from '../../src/auth/principal.js';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import { SupervisionService } from '../../src/case-review/supervision.service.js';
import { addDays, shanghaiDateOf } from '../../src/law/local-date.js';
import { createLogger } from '../../src/shared/logger.js';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { seedViolationForReview } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
const users: Record<string, { client: TestClient; principal: StaffPrincipal }> = {};
const DAY = 86_400_000;

async function user(name: string, role: StaffRole, districtId: string | null) {
  const s = await seedStaff(ctx.pool, name, role, districtId);
  users[name] = {
    client: await new TestClient(ctx.app).login(s.username, s.password),
    principal: { id: s.id, username: name, displayName: name, role, districtId },
  };
}
const as = (name: string) => users[name]!.client;
const count = async (sql: string, params: unknown[] = []) =>
  Number((await ctx.pool.query<{ n: string }>(`select count(*) as n from ${sql}`, params)).rows[0]!.n);
const caseOf = async (id: string) =>
  (
    await ctx.pool.query<{ status: string; outcome: string | null; reason: string | null }>(
      `select status, snapshot->>'outcome' as outcome, snapshot->>'withdrawalReason' as reason from cases where id = $1`,
      [id],
    )
  ).rows[0]!;

async function newCase(): Promise<string> {
  const party = await seedCaseParty(ctx);
  return fileCase(ctx, seed, party.id);
}

async function withdraw(caseId: string, reason = '当事人认定错误，违法主体另有其人'): Promise<void> {
  const proposed = await as('staff').request('POST', `/api/cases/${caseId}/withdrawals`, { reason });
  expect(proposed.statusCode).toBe(201);
  const { withdrawalId } = proposed.json() as { withdrawalId: string };
  const approved = await as('head1').request(
    'POST',
    `/api/cases/${caseId}/withdrawals/${withdrawalId}/decision`,
    {
      approve: true,
    },
  );
  expect(approved.statusCode).toBe(200);
}

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await seedDistrict(ctx.pool, 'jingan', '静安区');
  await user('staff', 'district_staff', 'pudong');
  await user('head1', 'agency_head', 'pudong');
  await user('head2', 'agency_head', 'pudong');
  await user('legal2', 'legal_reviewer', 'pudong');
  await user('leader', 'leader', 'pudong');
  await user('jstaff', 'district_staff', 'jingan');
  await user('jhead', 'agency_head', 'jingan');
}, 120_000);

afterAll(async () => {
  await ctx?.close();
});

describe('withdrawal with a second person', () => {
  it('is proposed with a reason, refused for bad input, and withdraws the case only on approval by an agency head', async () => {
    const caseId = await newCase();
    const url = `/api/cases/${caseId}/withdrawals`;
    expect((await as('staff').request('POST', url, {})).statusCode).toBe(400);
    expect((await as('staff').request('POST', url, { reason: '   ' })).statusCode).toBe(400);
    expect((await as('head1').request('POST', url, { reason: '负责人不能自己提出' })).statusCode).toBe(403);
    expect((await as('jstaff').request('POST', url, { reason: '他区人员' })).statusCode).toBe(404);
    expect(await count('case_withdrawals')).toBe(0);

    const proposed = await as('staff').request('POST', url, { reason: '违法主体认定错误' });
    expect(proposed.statusCode).toBe(201);
    const { withdrawalId } = proposed.json() as { withdrawalId: string };
    expect((await as('staff').request('POST', url, { reason: '再提一次' })).statusCode).toBe(409);

    const decide = `${url}/${withdrawalId}/decision`;
    // the proposer cannot approve their own proposal; another district's head cannot see it
    expect((await as('staff').request('POST', decide, { approve: true })).statusCode).toBe(403);
    expect((await as('jhead').request('POST', decide, { approve: true })).statusCode).toBe(404);
    // a refusal gives its reason
    expect((await as('head1').request('POST', decide, { approve: false })).statusCode).toBe(400);
    expect((await caseOf(caseId)).status).toBe('filed');
    expect(await count(`case_withdrawals where status = 'proposed'`)).toBe(1);

    const approved = await as('head1').request('POST', decide, { approve: true, note: '同意' });
    expect(approved.statusCode).toBe(200);
    expect(await caseOf(caseId)).toEqual({
      status: 'closed',
      outcome: 'withdrawn',
      reason: '违法主体认定错误',
    });
    const events = await ctx.pool.query<{ kind: string; actor: string }>(
      `select kind, actor from case_events where case_id = $1 and kind = 'withdraw'`,
      [caseId],
    );
    expect(events.rows).toEqual([{ kind: 'withdraw', actor: `staff:${users.head1!.principal.id}` }]);
    const audit = await ctx.pool.query<{ action: string }>(
      `select action from audit_log where subject_id = $1 and action like 'case.withdraw%' order by id`,
      [caseId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'case.withdrawal_proposed',
      'case.withdraw',
      'case.withdrawal_approved',
    ]);
    // decided once; a closed case takes no new proposal
    expect((await as('head2').request('POST', decide, { approve: true })).statusCode).toBe(409);
    expect((await as('staff').request('POST', url, { reason: '已结案' })).statusCode).toBe(409);
    expect(await count('case_withdrawals')).toBe(1);
  });

  it('a refusal leaves the case as it was', async () => {
    const caseId = await newCase();
    const proposed = await as('staff').request('POST', `/api/cases/${caseId}/withdrawals`, {
      reason: '证据不足',
    });
    const { withdrawalId } = proposed.json() as { withdrawalId: string };
    const refused = await as('head2').request(
      'POST',
      `/api/cases/${caseId}/withdrawals/${withdrawalId}/decision`,
      {
        approve: false,
        note: '证据充分，继续办理',
      },
    );
    expect(refused.statusCode).toBe(200);
    expect((await caseOf(caseId)).status).toBe('filed');
  });
});

describe('the automatic checks', () => {
  it('find an overdue case, a violation not pursued, withdrawals and rejections; resolve what is no longer found', async () => {
    const overdueCase = await newCase();
    const { violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: seed.cameraId,
      stage: 'evidence',
    });
    const { taskId: rejectedTask } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: seed.cameraId,
      stage: 'evidence',
    });
    await ctx.pool.query(
      `update review_tasks set status = 'done', decision = 'reject', reason_code = 'not_a_violation', reason_text = '画面中为合法外摆', decided_by = $2, decided_at = now() where id = $1`,
      [rejectedTask, seed.legal.id],
    );

    // the notify worker's service behind the `case-review` job, as it will run 120 days from now
    const at = new Date(Date.now() + 120 * DAY);
    const notify = createNotifyServices({
      config: ctx.config,
      pool: ctx.pool,
      blobs: ctx.blobs,
      queues: ctx.queues,
      logger: createLogger('silent', 'test'),
      channels: {},
      now: () => at,
    });
    expect(notify.handlers['case-review']).toBeDefined();
    const later = notify.caseReview;
    const report = await later.runScheduled();
    expect(report.created).toBeGreaterThan(0);
    const list = await as('head1').request('GET', '/api/case-review/findings');
    expect(list.statusCode).toBe(200);
    const findings = (
      list.json() as { findings: { kind: string; subjectId: string; detail: Record<string, unknown> }[] }
    ).findings;
    const overdue = findings.find((f) => f.kind === 'overdue' && f.subjectId === overdueCase);
    expect(overdue?.detail).toMatchObject({ deadline: 'decision' });
    expect(findings.some((f) => f.kind === 'not_pursued' && f.subjectId === violationId)).toBe(true);
    expect(
      findings.find((f) => f.kind === 'rejection' && f.subjectId === rejectedTask)?.detail,
    ).toMatchObject({
      reasonText: '画面中为合法外摆',
    });
    expect(
      findings
        .filter((f) => f.kind === 'withdrawal')
        .map((f) => f.detail.status)
        .sort(),
    ).toEqual(['approved', 'refused']);

    // a second run finds the same things: nothing new
    expect((await later.runScheduled()).created).toBe(0);

    // run today from the page: the case is in time again, so its overdue finding is resolved
    const run = await as('legal2').request('POST', '/api/case-review/run');
    expect(run.statusCode).toBe(200);
    const open = (await as('head1').request('GET', '/api/case-review/findings')).json() as {
      findings: { kind: string; subjectId: string }[];
    };
    expect(open.findings.some((f) => f.kind === 'overdue' && f.subjectId === overdueCase)).toBe(false);
    expect(open.findings.some((f) => f.kind === 'rejection')).toBe(true);
    expect(await count(`audit_log where action = 'case_review.run'`)).toBe(1);
  });

  it('are scoped by district and role', async () => {
    const theirs = (await as('jhead').request('GET', '/api/case-review/findings')).json() as {
      findings: unknown[];
    };
    expect(theirs.findings).toEqual([]);
    expect((await as('leader').request('GET', '/api/case-review/findings')).statusCode).toBe(200);
    expect((await as('leader').request('POST', '/api/case-review/run')).statusCode).toBe(403);
    expect((await as('staff').request('GET', '/api/case-review/findings')).statusCode).toBe(403);
    const page = await as('jstaff').request('GET', '/staff/case-review');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('id="findings"');
  });
});

describe('random samples and scoring', () => {
  it('draws closed cases with reviewers who did not work on them, verifiably, and scores each once', async () => {
    for (let i = 0; i < 3; i++) await withdraw(await newCase());
    const today = shanghaiDateOf(new Date());
    const bad = await as('head2').request('POST', '/api/case-review/draws', {
      closedFrom: today,
      closedTo: addDays(today, -1),
      size: 2,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await as('leader').request('POST', '/api/case-review/draws', {
          closedFrom: today,
          closedTo: today,
          size: 2,
        })
      ).statusCode,
    ).toBe(403);
    expect(await count('case_review_draws')).toBe(0);

    const drawn = await as('head2').request('POST', '/api/case-review/draws', {
      closedFrom: addDays(today, -1),
      closedTo: today,
      size: 3,
    });
    expect(drawn.statusCode).toBe(201);
    const detail = drawn.json() as {
      draw: {
        id: string;
        seed: string;
        population: { caseId: string; excluded: string[] }[];
        reviewers: string[];
      };
      sheets: { id: string; caseId: string; reviewerId: string }[];
      verified: boolean;
    };
    expect(detail.verified).toBe(true);
    expect(detail.draw.seed).toMatch(/^[0-9a-f]{32}$/);
    expect(detail.draw.population.length).toBe(4);
    expect(detail.sheets).toHaveLength(3);
    const allowed = [users.head2!.principal.id, users.legal2!.principal.id];
    for (const sheet of detail.sheets) expect(allowed).toContain(sheet.reviewerId);
    const excluded = detail.draw.population.find((p) => p.caseId === detail.sheets[0]!.caseId)!.excluded;
    expect(excluded).toEqual(
      expect.arrayContaining([seed.legal.id, users.staff!.principal.id, users.head1!.principal.id]),
    );
    expect((await as('jhead').request('GET', `/api/case-review/draws/${detail.draw.id}`)).statusCode).toBe(
      404,
    );

    const sheet = detail.sheets[0]!;
    const reviewer = sheet.reviewerId === users.head2!.principal.id ? 'head2' : 'legal2';
    const other = reviewer === 'head2' ? 'legal2' : 'head2';
    const scores = { facts: 25, evidence: 22, procedure: 15, law: 18, documents: 6 };
    const scoreUrl = `/api/case-review/sheets/${sheet.id}/scores`;
    expect((await as(other).request('POST', scoreUrl, { scores })).statusCode).toBe(403);
    expect(
      (await as(reviewer).request('POST', scoreUrl, { scores: { ...scores, documents: 11 } })).statusCode,
    ).toBe(400);
    const scored = await as(reviewer).request('POST', scoreUrl, { scores, comment: '程序环节记录不全' });
    expect(scored.statusCode).toBe(200);
    expect((scored.json() as { sheet: { total: number } }).sheet.total).toBe(86);
    expect((await as(reviewer).request('POST', scoreUrl, { scores })).statusCode).toBe(409);

    const results = (await as('leader').request('GET', '/api/case-review/results')).json() as {
      byUnit: { key: string; sheets: number; average: number }[];
      byReviewer: { key: string; average: number }[];
    };
    expect(results.byUnit).toEqual([expect.objectContaining({ key: 'pudong', sheets: 1, average: 86 })]);
    expect(results.byReviewer).toEqual([
      expect.objectContaining({ key: users[reviewer]!.principal.id, average: 86 }),
    ]);
    expect(await count(`audit_log where action in ('case_review.draw', 'case_review.score')`)).toBe(2);
  });
});

describe('supervision notices', () => {
  it('go to the unit, are answered once by its staff, and show as overdue past their date', async () => {
    const today = shanghaiDateOf(new Date());
    const { findings } = (await as('head1').request('GET', '/api/case-review/findings')).json() as {
      findings: { id: string }[];
    };
    const body = {
      sourceKind: 'finding',
      sourceId: findings[0]!.id,
      request: '请说明原因并整改',
      dueOn: addDays(today, 5),
    };
    expect(
      (await as('head1').request('POST', '/api/supervision-notices', { ...body, dueOn: addDays(today, -1) }))
        .statusCode,
    ).toBe(400);
    expect((await as('jhead').request('POST', '/api/supervision-notices', body)).statusCode).toBe(404);
    expect((await as('staff').request('POST', '/api/supervision-notices', body)).statusCode).toBe(403);
    const issued = await as('head1').request('POST', '/api/supervision-notices', body);
    expect(issued.statusCode).toBe(201);
    const notice = (issued.json() as { notice: { id: string; status: string; districtId: string } }).notice;
    expect(notice).toMatchObject({ status: 'open', districtId: 'pudong' });

    const seen = (await as('staff').request('GET', '/api/supervision-notices')).json() as {
      notices: { id: string }[];
    };
    expect(seen.notices.map((n) => n.id)).toEqual([notice.id]);
    expect(
      ((await as('jstaff').request('GET', '/api/supervision-notices')).json() as { notices: unknown[] })
        .notices,
    ).toEqual([]);

    const later = new SupervisionService(ctx.pool, () => new Date(Date.now() + 30 * DAY));
    expect((await later.detail(users.head1!.principal, notice.id)).status).toBe('overdue');

    const answerUrl = `/api/supervision-notices/${notice.id}/answer`;
    expect((await as('jstaff').request('POST', answerUrl, { answer: '他区' })).statusCode).toBe(404);
    expect((await as('staff').request('POST', answerUrl, { answer: '' })).statusCode).toBe(400);
    const answered = await as('staff').request('POST', answerUrl, { answer: '已核查，案件已按期办结' });
    expect(answered.statusCode).toBe(200);
    expect((answered.json() as { notice: { status: string } }).notice.status).toBe('answered');
    expect((await as('staff').request('POST', answerUrl, { answer: '再答' })).statusCode).toBe(409);

    // the pages: the unit sees and has answered its notice; the leader reads without the forms to act
    const staffPage = await as('staff').request('GET', '/staff/case-review');
    expect(staffPage.body).toContain(`data-notice="${notice.id}" data-status="answered"`);
    const leaderPage = await as('leader').request('GET', '/staff/case-review');
    expect(leaderPage.statusCode).toBe(200);
    expect(leaderPage.body).toContain('id="findings"');
    expect(leaderPage.body).not.toContain('id="run-checks"');
    expect(leaderPage.body).not.toContain('id="draw-form"');
    expect((await as('leader').request('GET', `/staff/case-review/notices/${notice.id}`)).body).not.toContain(
      'id="answer-form"',
    );
  });

  it('the unit answers from its page; the form refuses an empty answer and changes nothing', async () => {
    const today = shanghaiDateOf(new Date());
    const { findings } = (await as('head1').request('GET', '/api/case-review/findings')).json() as {
      findings: { id: string }[];
    };
    const form = await as('head1').request('POST', '/staff/case-review/notices', {
      sourceKind: 'finding',
      sourceId: findings[0]!.id,
      request: '请于期限内报送整改情况',
      dueOn: addDays(today, 3),
    });
    expect(form.statusCode).toBe(303);
    const url = String(form.headers.location);
    expect(url).toMatch(/^\/staff\/case-review\/notices\/[0-9a-f-]{36}$/);
    expect((await as('staff').request('GET', url)).body).toContain('id="answer-form"');
    const empty = await as('staff').request('POST', `${url}/answer`, { answer: ' ' });
    expect(empty.statusCode).toBe(400);
    const answered = await as('staff').request('POST', `${url}/answer`, { answer: '已整改完毕' });
    expect(answered.statusCode).toBe(303);
    expect((await as('staff').request('GET', url)).body).toContain('data-status="answered"');
  });
});
