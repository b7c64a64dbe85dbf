import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseService } from '../../src/cases/case.service.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { seedParty } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';

/**
 * Who decides (APL art. 57-58), through the staff API and pages on the real database: the legal reviewer's legal
 * review with its opinion and conclusion comes first and a failed one blocks the decision; the agency head of the
 * district decides, after seeing what will be issued; a serious case needs its collective discussion; amounts
 * are typed in 元. Every refusal changes nothing.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
const clients: Record<string, TestClient> = {};
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };
const OPINION = '事实清楚，证据确凿，适用依据正确，程序合法';

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await seedDistrict(ctx.pool, 'huangpu');
  for (const [name, role, district] of [
    ['dr-legal', 'legal_reviewer', 'pudong'],
    ['dr-head', 'agency_head', 'pudong'],
    ['dr-head-hp', 'agency_head', 'huangpu'],
    ['dr-staff', 'district_staff', 'pudong'],
    ['dr-admin', 'admin', null],
  ] as const) {
    await seedStaff(ctx.pool, name, role, district);
    clients[name] = await new TestClient(ctx.app).login(name, 'a long test password');
  }
});
afterAll(() => ctx?.close());

const caseRow = async (id: string) =>
  (await ctx.pool.query('select status, snapshot from cases where id = $1', [id])).rows[0];
const eventCount = async (id: string) =>
  (await ctx.pool.query('select count(*)::int as n from case_events where case_id = $1', [id])).rows[0].n;

/** A case whose party waived its periods in writing: only the legal review and the decision are left. */
async function waivedCase(partyId?: string, type = 'street_stall'): Promise<string> {
  const party = partyId ?? (await seedCaseParty(ctx)).id;
  const caseId = await fileCase(ctx, seed, party, type);
  const cases = new CaseService(ctx.pool);
  await cases.apply(caseId, { type: 'send_advance_notice', on: today }, system);
  await cases.apply(caseId, { type: 'advance_notice_received', on: today }, system);
  await cases.apply(caseId, { type: 'rights_waived', on: today, waiverReference: '放弃声明 DR-1' }, system);
  return caseId;
}

describe('legal review, then the agency head decides', () => {
  it('refuses a decision before the legal review, and by anyone but the district agency head', async () => {
    const caseId = await waivedCase();
    const before = await eventCount(caseId);
    const noReview = await clients['dr-head']!.request('POST', `/api/cases/${caseId}/decide`, {});
    expect(noReview.statusCode).toBe(409);
    expect(noReview.json().message).toContain('APL art. 58');
    const review = await clients['dr-legal']!.request('POST', `/api/cases/${caseId}/legal-review`, {
      conclusion: 'approved',
      opinion: OPINION,
    });
    expect(review.statusCode).toBe(200);
    expect(review.json()).toMatchObject({ state: 'awaiting_decision', conclusion: 'approved' });
    const afterReview = await eventCount(caseId);
    for (const name of ['dr-legal', 'dr-staff', 'dr-admin', 'dr-head-hp']) {
      const res = await clients[name]!.request('POST', `/api/cases/${caseId}/decide`, {});
      expect(res.statusCode, name).toBe(403);
    }
    expect(await eventCount(caseId)).toBe(afterReview);
    expect(afterReview).toBe(before + 1);
    // The agency head may not make the legal review.
    const headReview = await clients['dr-head']!.request('POST', `/api/cases/${caseId}/legal-review`, {
      conclusion: 'approved',
      opinion: OPINION,
    });
    expect(headReview.statusCode).toBe(403);
    const decided = await clients['dr-head']!.request('POST', `/api/cases/${caseId}/decide`, {});
    expect(decided.statusCode).toBe(200);
    const row = await caseRow(caseId);
    expect(row.status).toBe('decided');
    expect(row.snapshot.legalReview).toMatchObject({ conclusion: 'approved', opinion: OPINION });
    const audit = await ctx.pool.query(
      `select action, actor_id from audit_log where subject_id = $1 and action in ('case.legal_review', 'case.decide') order by id`,
      [caseId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['case.legal_review', 'case.decide']);
    expect(row.snapshot.decidedBy).toBe(audit.rows[1].actor_id);
  });

  it('a legal review that does not approve blocks the decision (APL art. 58)', async () => {
    const caseId = await waivedCase();
    const failed = await clients['dr-legal']!.request('POST', `/api/cases/${caseId}/legal-review`, {
      conclusion: 'rejected',
      opinion: '证据不足以证明系当事人所为',
    });
    expect(failed.statusCode).toBe(200);
    const refused = await clients['dr-head']!.request('POST', `/api/cases/${caseId}/decide`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('证据不足以证明系当事人所为');
    expect((await caseRow(caseId)).status).toBe('awaiting_decision');
    const page = await clients['dr-head']!.request('GET', `/staff/cases/${caseId}`);
    expect(page.body).toContain('id="decide-blocked"');
    const noOpinion = await clients['dr-legal']!.request('POST', `/api/cases/${caseId}/legal-review`, {
      conclusion: 'approved',
      opinion: '   ',
    });
    expect(noOpinion.statusCode).toBe(400);
  });

  it('a case the catalogue marks serious is decided only with its collective discussion', async () => {
    const party = await seedParty(ctx.pool, 'pudong', '某建筑公司', 'unit');
    // A unit's second construction-waste case in force lifts the fine to 30,000元: serious in catalogue 2026.2.
    const first = await waivedCase(party, 'construction_waste');
    await clients['dr-legal']!.request('POST', `/api/cases/${first}/legal-review`, {
      conclusion: 'approved',
      opinion: OPINION,
    });
    const head = clients['dr-head']!;
    expect((await head.request('POST', `/api/cases/${first}/decide`, {})).statusCode).toBe(200);
    await new CaseService(ctx.pool).apply(
      first,
      { type: 'deliver_decision', on: today, channel: 'in_person' },
      system,
    );
    const caseId = await waivedCase(party, 'construction_waste');
    const snapshot = (await caseRow(caseId)).snapshot;
    expect(snapshot.proposedFineFen).toBe(3_000_000);
    expect(snapshot.collectiveDiscussionRequired).toBe(true);
    await clients['dr-legal']!.request('POST', `/api/cases/${caseId}/legal-review`, {
      conclusion: 'approved',
      opinion: OPINION,
    });
    const without = await head.request('POST', `/api/cases/${caseId}/decide`, {});
    expect(without.statusCode).toBe(409);
    expect(without.json().message).toContain('collective discussion');
    const tooFew = await head.request('POST', `/api/cases/${caseId}/decide`, {
      collectiveDiscussion: { on: today, participants: ['局长'], conclusion: '同意' },
    });
    expect(tooFew.statusCode).toBe(409);
    const badDate = await head.request('POST', `/api/cases/${caseId}/decide`, {
      collectiveDiscussion: { on: '2026-02-30', participants: ['甲', '乙', '丙'], conclusion: '同意' },
    });
    expect(badDate.statusCode).toBe(400);
    expect((await caseRow(caseId)).status).toBe('awaiting_decision');
    const discussion = {
      on: today,
      participants: ['局长甲', '副局长乙', '法制科长丙'],
      conclusion: '同意按三万元处罚',
    };
    const decided = await head.request('POST', `/api/cases/${caseId}/decide`, {
      collectiveDiscussion: discussion,
    });
    expect(decided.statusCode).toBe(200);
    expect((await caseRow(caseId)).snapshot.collectiveDiscussion).toEqual(discussion);
  });
});

describe('what will be issued, in 元, before the decision', () => {
  it('previews the fine in figures and capitals with the reasons, recipient and channel, and decides only on confirmation', async () => {
    const caseId = await waivedCase();
    await clients['dr-legal']!.request('POST', `/api/cases/${caseId}/legal-review`, {
      conclusion: 'approved',
      opinion: OPINION,
    });
    const preview = await clients['dr-head']!.request('GET', `/api/cases/${caseId}/decision-preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      document: '行政处罚决定书',
      fineFen: 100_00,
      amount: '100元',
      amountInCapitals: '壹佰元整',
      recipient: '张某某',
    });
    expect(preview.json().channel).toContain('网上送达');
    const page = await clients['dr-head']!.request('GET', `/staff/cases/${caseId}`);
    const csrf = /id="decide-form"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const shown = await clients['dr-head']!.request('POST', `/staff/cases/${caseId}/decide`, { _csrf: csrf });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('id="decision-preview"');
    expect(shown.body).toContain('壹佰元整');
    expect((await caseRow(caseId)).status).toBe('awaiting_decision');
    const confirmCsrf = /id="confirm-form"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(shown.body)![1]!;
    const confirmed = await clients['dr-head']!.request('POST', `/staff/cases/${caseId}/decide`, {
      _csrf: confirmCsrf,
      confirm: 'yes',
    });
    expect(confirmed.statusCode).toBe(303);
    expect((await caseRow(caseId)).status).toBe('decided');
  });

  it('takes the revised fine in 元 on the form and refuses more than two decimals or a raise', async () => {
    const { id: partyId } = await seedCaseParty(ctx);
    const caseId = await fileCase(ctx, seed, partyId);
    const cases = new CaseService(ctx.pool);
    await cases.apply(caseId, { type: 'send_advance_notice', on: today }, system);
    await cases.apply(caseId, { type: 'advance_notice_received', on: today }, system);
    await cases.apply(caseId, { type: 'statement_submitted', on: today }, system);
    const legal = clients['dr-legal']!;
    const page = await legal.request('GET', `/staff/cases/${caseId}`);
    expect(page.body).toContain('name="revisedFineYuan"');
    expect(page.body).toContain('调整后的罚款（元');
    const csrf = /id="review-form"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const form = (fields: Record<string, string>) =>
      legal.request('POST', `/staff/cases/${caseId}/legal-review`, {
        _csrf: csrf,
        outcome: 'partly_accept',
        reasons: '当事人及时清理',
        conclusion: 'approved',
        ...fields,
      });
    const before = await eventCount(caseId);
    for (const bad of ['30.505', '-5', '三十']) {
      const res = await form({ revisedFineYuan: bad });
      expect(res.statusCode, bad).toBe(400);
      expect(res.body).toContain('id="review-error"');
    }
    expect((await form({ revisedFineYuan: '150' })).statusCode).toBe(400);
    expect(await eventCount(caseId)).toBe(before);
    // 30元 would be below the statutory minimum of 50元: a reduced penalty needs its approval.
    expect((await form({ revisedFineYuan: '30' })).statusCode).toBe(400);
    const ok = await form({ revisedFineYuan: '60.50' });
    expect(ok.statusCode).toBe(303);
    const snapshot = (await caseRow(caseId)).snapshot;
    expect(snapshot.legalReview.review).toMatchObject({ accepted: true, revisedFineFen: 60_50 });
    // The API takes 元 as well, with the same refusal.
    const api = await legal.request('POST', `/api/cases/${caseId}/legal-review`, {
      conclusion: 'approved',
      opinion: OPINION,
      outcome: 'partly_accept',
      reasons: ['x'],
      revisedFineYuan: '0.001',
    });
    expect(api.statusCode).toBe(400);
    const preview = await clients['dr-head']!.request('GET', `/api/cases/${caseId}/decision-preview`);
    expect(preview.json()).toMatchObject({
      fineFen: 60_50,
      amount: '60.50元',
      amountInCapitals: '陆拾元伍角整',
    });
  });
});
