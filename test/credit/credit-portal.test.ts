import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseService } from '../../src/cases/case.service.js';
import { CreditService } from '../../src/credit/credit.service.js';
import { LEGAL_OPINION } from '../support/case-fixtures.js';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';

/** The party's credit page under its notice link and its repair application: only with the link's session. */
let world: PortalWorld;

beforeAll(async () => {
  world = await startPortalWorld();
});
afterAll(() => world?.close());

async function decidedWithLink() {
  const { token, caseId } = await caseWithLink(world, { kind: 'unit' }, 'shop_encroachment');
  const cases = new CaseService(world.ctx.pool);
  const on = cases.today();
  const state = (await world.ctx.pool.query('select status from cases where id = $1', [caseId])).rows[0]
    .status;
  const events = [
    { type: 'send_advance_notice', on },
    { type: 'advance_notice_received', on },
    { type: 'rights_waived', on, waiverReference: '放弃陈述申辩声明书 测试-009' },
    { type: 'legal_review', on, conclusion: 'approved', opinion: LEGAL_OPINION, reviewerId: 'test-legal' },
    { type: 'decide', on, deciderId: 'test-head' },
  ] as const;
  for (const event of state === 'filed' ? events : events.slice(1))
    await cases.apply(caseId, event, { kind: 'system', id: 'test' });
  return { token, caseId };
}

describe('credit repair from the portal', () => {
  it('shows the party its item and takes its application once; a stranger is sent to the second factor', async () => {
    const { token, caseId } = await decidedWithLink();
    await new CreditService(world.ctx.pool).publishDue();
    const item = (await world.ctx.pool.query('select id from credit_items where case_id = $1', [caseId]))
      .rows[0];
    expect(item).toBeDefined();

    const stranger = new PartyBrowser(world.baseUrl);
    expect((await stranger.get(`/n/${token}/credit`)).status).toBe(303);
    const refused = await stranger.post(`/n/${token}/credit/repair`, {
      reason: '已整改',
      requestKey: 'portal-key-0001',
    });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe(`/n/${token}`);

    const party = new PartyBrowser(world.baseUrl);
    expect((await party.verify(token, '8000')).status).toBe(303);
    const page = await party.get(`/n/${token}/credit`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('id="credit-repair-form"');
    expect(body).toContain('data-shown="true"');

    const form = { reason: '已自行拆除占道设施并缴纳罚款', requestKey: 'portal-key-0002' };
    const applied = await party.post(`/n/${token}/credit/repair`, form);
    expect(applied.status).toBe(303);
    expect(applied.headers.get('location')).toBe(`/n/${token}/credit?done=repair`);
    // a replay of the same form is the same application
    expect((await party.post(`/n/${token}/credit/repair`, form)).status).toBe(303);
    const rows = await world.ctx.pool.query('select source, status from credit_repairs where item_id = $1', [
      item.id,
    ]);
    expect(rows.rows).toEqual([{ source: 'portal', status: 'pending' }]);
    expect(await (await party.get(`/n/${token}/credit`)).text()).toContain('id="credit-pending"');

    // a second application with a new key while one waits: 409, nothing stored
    const second = await party.post(`/n/${token}/credit/repair`, { ...form, requestKey: 'portal-key-0003' });
    expect(second.status).toBe(409);
    expect(
      (
        await world.ctx.pool.query('select count(*)::int as n from credit_repairs where item_id = $1', [
          item.id,
        ])
      ).rows[0].n,
    ).toBe(1);
  });
});
