import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { workingCalendar } from '../../src/law/catalogue-store.js';
import { CaseService } from '../../src/cases/case.service.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { StatementReviewService } from '../../src/cases/statement-review.service.js';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import { createLogger } from '../../src/shared/logger.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import { fileCase, LEGAL_OPINION, seedCaseParty, seedPudong } from '../support/case-fixtures.js';

/**
 * Organising a hearing the party asked for (APL art. 64-65), through the staff API on the real database: the
 * date at least seven working days after the notice, a host who did not investigate, a clerk; the sweep issues
 * and delivers the sealed hearing notice; the record with at most two representatives; the decision rests on it.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let staff: TestClient;
let hostId: string;
let clerkId: string;
let otherDistrictId: string;
let headPrincipal: StaffPrincipal;
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await seedDistrict(ctx.pool, 'huangpu');
  await seedStaff(ctx.pool, 'hr-staff', 'district_staff', 'pudong');
  hostId = (await seedStaff(ctx.pool, 'hr-host', 'legal_reviewer', 'pudong')).id;
  clerkId = (await seedStaff(ctx.pool, 'hr-clerk', 'district_staff', 'pudong')).id;
  otherDistrictId = (await seedStaff(ctx.pool, 'hr-hp', 'legal_reviewer', 'huangpu')).id;
  const head = await seedStaff(ctx.pool, 'hr-head', 'agency_head', 'pudong');
  headPrincipal = {
    id: head.id,
    username: 'hr-head',
    displayName: 'head',
    role: 'agency_head',
    districtId: 'pudong',
  };
  staff = await new TestClient(ctx.app).login('hr-staff', 'a long test password');
});
afterAll(() => ctx?.close());

const hearingRow = async (caseId: string) =>
  (
    await ctx.pool.query(
      'select status, place, host_id, representatives, record_sha256 from hearings where case_id = $1',
      [caseId],
    )
  ).rows[0];

/** A construction-waste case (a fine with the hearing right) whose party asked for a hearing today. */
async function hearingRequested(): Promise<string> {
  const { id } = await seedCaseParty(ctx);
  const caseId = await fileCase(ctx, seed, id, 'construction_waste');
  const cases = new CaseService(ctx.pool);
  await cases.apply(caseId, { type: 'send_advance_notice', on: today }, system);
  await cases.apply(caseId, { type: 'advance_notice_received', on: today }, system);
  await cases.apply(caseId, { type: 'hearing_requested', on: today }, system);
  await ctx.pool.query('insert into hearings (case_id) values ($1)', [caseId]);
  return caseId;
}

const at = (date: string) => `${date}T01:30:00.000Z`; // 09:30 Beijing time

describe('hearings', () => {
  it('refuses a date less than seven working days away, an investigator as host, and a host from elsewhere', async () => {
    const caseId = await hearingRequested();
    const earliest = (await workingCalendar()).addWorkingDays(today, 7);
    const before = (await workingCalendar()).addWorkingDays(today, 6);
    const schedule = (body: Record<string, unknown>) =>
      staff.request('POST', `/api/cases/${caseId}/hearing/schedule`, {
        at: at(earliest),
        place: '浦东新区城管执法局听证室',
        hostId,
        clerkId,
        ...body,
      });
    const tooSoon = await schedule({ at: at(before) });
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.json().message).toContain(`听证日期最早为${earliest}（北京时间）`);
    // The legal reviewer who approved the case investigated it.
    const investigator = await schedule({ hostId: seed.legal.id });
    expect(investigator.statusCode).toBe(400);
    expect(investigator.json().message).toContain('非本案调查人员主持');
    expect((await schedule({ hostId: otherDistrictId })).statusCode).toBe(400);
    expect((await schedule({ clerkId: hostId })).statusCode).toBe(400);
    expect(await hearingRow(caseId)).toMatchObject({ status: 'requested', place: null });
    const ok = await schedule({});
    expect(ok.statusCode).toBe(200);
    expect(await hearingRow(caseId)).toMatchObject({ status: 'scheduled', host_id: hostId });
    expect((await schedule({})).statusCode).toBe(409);
  });

  it('sends the sealed hearing notice, takes the record with at most two representatives, and the decision rests on it', async () => {
    const caseId = await hearingRequested();
    const earliest = (await workingCalendar()).addWorkingDays(today, 7);
    expect(
      (
        await staff.request('POST', `/api/cases/${caseId}/hearing/schedule`, {
          at: at(earliest),
          place: '浦东新区城管执法局第一听证室',
          hostId,
          clerkId,
        })
      ).statusCode,
    ).toBe(200);
    const sweep = createNotifyServices({
      config: ctx.config,
      pool: ctx.pool,
      blobs: ctx.blobs,
      queues: ctx.queues,
      logger: createLogger('silent', 'test'),
      channels: {},
    }).sweep;
    await sweep.sweep();
    await sweep.sweep();
    const notices = await ctx.pool.query(
      `select n.id, n.html_key, d.channel from notices n join deliveries d on d.notice_id = n.id where n.case_id = $1 and n.kind = 'hearing_notice'`,
      [caseId],
    );
    expect(notices.rows).toHaveLength(1);
    const html = (await ctx.blobs.get(notices.rows[0].html_key)).toString('utf8');
    expect(html).toContain('听证通知书');
    expect(html).toContain('浦东新区城管执法局第一听证室');
    expect(html).toContain('hr-host');
    expect(html).toContain('委托一至二人代理');

    // Decided long after the periods, with the legal review: still not before the hearing is held.
    const later = new Date(Date.now() + 40 * 86_400_000);
    const statements = new StatementReviewService(ctx.pool, new CaseService(ctx.pool, () => later));
    await statements.legalReview(seed.legal, caseId, {
      conclusion: 'approved',
      opinion: LEGAL_OPINION,
      outcome: 'reject',
      reasons: ['听证中未提出新的事实'],
    });
    await expect(statements.decide(headPrincipal, caseId, {})).rejects.toThrow(/rests on the hearing record/);

    const heldAt = new Date(Date.now() - 60_000).toISOString();
    const three = await staff.request('POST', `/api/cases/${caseId}/hearing/record`, {
      heldAt,
      record: '听证笔录：……',
      representatives: [{ name: '甲' }, { name: '乙' }, { name: '丙' }],
    });
    expect(three.statusCode).toBe(400);
    expect((await hearingRow(caseId)).status).toBe('scheduled');
    const recorded = await staff.request('POST', `/api/cases/${caseId}/hearing/record`, {
      heldAt,
      record: '听证笔录：调查人员出示证据，当事人及其代理人进行申辩和质证。',
      representatives: [{ name: '李律师', relation: '委托代理人' }, { name: '张某' }],
    });
    expect(recorded.statusCode).toBe(200);
    const row = await hearingRow(caseId);
    expect(row).toMatchObject({ status: 'held', record_sha256: recorded.json().recordSha256 });
    expect(row.representatives).toEqual([{ name: '李律师', relation: '委托代理人' }, { name: '张某' }]);
    const decided = await statements.decide(headPrincipal, caseId, {});
    expect(decided.state).toBe('decided');
    const snapshot = (await ctx.pool.query('select snapshot from cases where id = $1', [caseId])).rows[0]
      .snapshot;
    expect(snapshot.hearingRecordRef).toBe(`听证笔录 SHA-256 ${row.record_sha256}`);
  });
});
