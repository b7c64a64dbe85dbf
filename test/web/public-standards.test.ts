import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCatalogue } from '../../src/law/catalogue-store.js';
import { createTestContext, type TestContext } from '../support/test-app.js';

/**
 * The published standards, without signing in, from the catalogue in force: the matters handled by non-site
 * enforcement, the benchmark per type and party kind with its tiers, and the no-penalty list, as Chinese-first
 * pages and as JSON, each with the catalogue version and the day it took effect.
 */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx?.close());

const get = (url: string) => ctx.app.inject({ method: 'GET', url });

describe('published standards', () => {
  it('lists the matters with their provisions and fine ranges, with the version in force', async () => {
    const catalogue = await currentCatalogue();
    const res = await get('/api/public/matters');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: catalogue.version, effectiveFrom: catalogue.effectiveFrom });
    expect(body.matters.map((m: { code: string }) => m.code)).toEqual(
      catalogue.violationTypes.map((t) => t.code),
    );
    const stall = body.matters.find((m: { code: string }) => m.code === 'street_stall');
    expect(stall).toMatchObject({
      shortName: '无序设摊',
      penaltyProvision: '《上海市市容环境卫生管理条例》第二十五条第二款',
      fineRanges: [
        { partyKind: 'individual', partyKindName: '个人', range: '50元至500元' },
        { partyKind: 'unit', partyKindName: '单位', range: '50元至500元' },
      ],
    });
    const page = await get('/public/matters');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('城市管理非现场执法事项目录');
    expect(page.body).toContain(`data-version="${catalogue.version}"`);
    expect(page.body).toContain(`${catalogue.effectiveFrom} 起施行`);
    expect(page.body).toContain('data-code="illegal_dumping"');
  });

  it('publishes the benchmark per type and party kind with every tier', async () => {
    const catalogue = await currentCatalogue();
    const body = (await get('/api/public/benchmark')).json();
    expect(body.version).toBe(catalogue.version);
    const dumpingUnit = body.benchmark.find(
      (b: { code: string; partyKind: string }) => b.code === 'illegal_dumping' && b.partyKind === 'unit',
    );
    expect(dumpingUnit.statutoryRange).toBe('5,000元至50,000元');
    expect(dumpingUnit.tiers.map((t: { id: string }) => t.id)).toEqual(
      catalogue.violationTypes.find((t) => t.code === 'illegal_dumping')!.tiers.map((t) => t.id),
    );
    expect(dumpingUnit.tiers.find((t: { id: string }) => t.id === 'first_offence')).toMatchObject({
      conditions: '十二个月内无同类违法决定（初次违法）',
    });
    expect(dumpingUnit.tiers.find((t: { id: string }) => t.id === 'first_offence').penalty).toContain(
      '罚款5,000元至20,000元，一般为10,000元',
    );
    const individual = body.benchmark.find(
      (b: { code: string; partyKind: string }) =>
        b.code === 'illegal_dumping' && b.partyKind === 'individual',
    );
    expect(individual.statutoryRange).toBe('200元以下');
    const page = await get('/public/benchmark');
    expect(page.body).toContain('行政处罚裁量基准');
    expect(page.body).toContain('data-party-kind="unit"');
  });

  it('publishes the no-penalty list: the statutory exemptions and each no-penalty tier', async () => {
    const body = (await get('/api/public/no-penalty')).json();
    expect(body.noPenalty[0]).toMatchObject({ basis: '《中华人民共和国行政处罚法》第三十三条第二款' });
    const stall = body.noPenalty.filter((n: { code: string }) => n.code === 'street_stall');
    expect(stall.map((n: { situation: string }) => n.situation)).toEqual([
      '违法行为轻微并及时改正',
      '初次违法、危害后果轻微并及时改正',
    ]);
    expect(stall[1].conditions).toBe(
      '十二个月内无同类违法决定（初次违法），及时改正，危害后果轻微或者没有危害后果',
    );
    const page = await get('/public/no-penalty');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('不予处罚清单');
    expect(page.body).toContain('初次违法、危害后果轻微并及时改正');
  });
});
