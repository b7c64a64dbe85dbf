import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideBenchmark } from './benchmark.js';
import { CATALOGUE_DIR, loadCatalogueFile } from './law-config.adapter.js';
import { findViolationType, type ViolationType } from './catalogue.js';
import {
  benchmarkInputFrom,
  CIRCUMSTANCES,
  circumstanceReasons,
  CircumstanceError,
  normaliseCircumstances,
} from './circumstances.js';

let stall: ViolationType;
beforeAll(async () => {
  stall = findViolationType(await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json')), 'street_stall');
});

const fine = (recorded: Parameters<typeof benchmarkInputFrom>[0], prior = 0) =>
  decideBenchmark(stall, { partyKind: 'individual', ...benchmarkInputFrom(recorded, prior) });

describe('recorded circumstances', () => {
  it('without any, give the inputs the filing used before: not minor, slight harm, not corrected', () => {
    expect(benchmarkInputFrom([], 2)).toEqual({
      priorViolations: 2,
      correctedInTime: false,
      circumstances: {
        minorViolation: false,
        harm: 'slight',
        noFaultProven: false,
        mitigating: [],
        aggravating: [],
      },
    });
    expect(fine([]).fineFen).toBe(100_00);
  });

  it('apply each APL art. 32 mitigation as the band floor, and an aggravating factor as its ceiling', () => {
    for (const code of [
      'eliminated_harm',
      'coerced',
      'confessed_unknown_violation',
      'meritorious_cooperation',
    ]) {
      expect(CIRCUMSTANCES[code]!.kind).toBe('mitigating');
      const decision = fine([{ code, basis: '询问笔录第2页' }]);
      expect(decision.fineFen, code).toBe(50_00);
      expect(decision.reasons.join('')).toContain('从轻');
    }
    expect(fine([{ code: 'refused_correction', basis: '复查画面' }]).fineFen).toBe(200_00);
  });

  it('reach the no-penalty tiers: minor, corrected in time and no harm (APL art. 33)', () => {
    const decision = fine([
      { code: 'minor', basis: '占道面积不足一平方米' },
      { code: 'corrected_in_time', basis: '宽限期内清理', seenBy: 'camera_recheck' },
      { code: 'no_harm', basis: '未影响通行' },
    ]);
    expect(decision).toMatchObject({ penalty: 'none', fineFen: 0, tierId: 'statutory_minor_corrected' });
    expect(fine([{ code: 'no_fault', basis: '监控显示物品系他人放置' }]).penalty).toBe('none');
  });

  it('refuse an unknown code, a missing basis, a correction without how it was seen, contradictions', () => {
    expect(() => normaliseCircumstances([{ code: 'good_citizen', basis: 'x' }])).toThrow(CircumstanceError);
    expect(() => normaliseCircumstances([{ code: 'toString', basis: 'x' }])).toThrow(/unknown circumstance/);
    expect(() => normaliseCircumstances([{ code: 'minor', basis: '  ' }])).toThrow(/needs its basis/);
    expect(() => normaliseCircumstances([{ code: 'corrected_in_time', basis: 'x' }])).toThrow(/seenBy/);
    expect(() =>
      normaliseCircumstances([
        { code: 'no_harm', basis: 'x' },
        { code: 'significant_harm', basis: 'y' },
      ]),
    ).toThrow(/contradict/);
    expect(() =>
      normaliseCircumstances([
        { code: 'minor', basis: 'x' },
        { code: 'minor', basis: 'y' },
      ]),
    ).toThrow(/twice/);
  });

  it('refuse "first offence" when the record shows decided violations', () => {
    expect(() => benchmarkInputFrom([{ code: 'first_offence', basis: '查询记录' }], 1)).toThrow(
      /不是初次违法/,
    );
    expect(benchmarkInputFrom([{ code: 'first_offence', basis: '查询记录' }], 0).priorViolations).toBe(0);
  });

  it('write a sentence for each, with its law, basis, how the correction was seen and the note', () => {
    expect(
      circumstanceReasons([
        { code: 'corrected_in_time', basis: '10:20 已清理', seenBy: 'camera_recheck', note: '当事人配合' },
      ]),
    ).toEqual([
      '经审查认定及时改正（《中华人民共和国行政处罚法》第三十三条第一款；《上海市浦东新区城市管理领域非现场执法规定》第十五条）：10:20 已清理，复查画面显示已改正；当事人配合',
    ]);
  });
});
