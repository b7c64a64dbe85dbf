import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  countPriorViolations,
  decideBenchmark,
  hearingRightApplies,
  lookBackStart,
  type BenchmarkInput,
} from './benchmark.js';
import { CATALOGUE_DIR, loadCatalogueFile } from './law-config.adapter.js';
import { findViolationType, type Catalogue, type ViolationType } from './catalogue.js';

let catalogue: Catalogue;
let stall: ViolationType;
let dumping: ViolationType;
let construction: ViolationType;
beforeAll(async () => {
  catalogue = await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json'));
  stall = findViolationType(catalogue, 'street_stall');
  dumping = findViolationType(catalogue, 'illegal_dumping');
  construction = findViolationType(catalogue, 'construction_waste');
});

const input = (overrides: Partial<BenchmarkInput> = {}): BenchmarkInput => ({
  partyKind: 'individual',
  priorViolations: 0,
  correctedInTime: false,
  circumstances: { minorViolation: false, harm: 'slight' },
  ...overrides,
});

describe('discretion benchmark tiers', () => {
  it('does not fine a minor violation corrected in time with no harm, whatever the catalogue says (APL art. 33)', () => {
    const decision = decideBenchmark(
      stall,
      input({
        priorViolations: 3,
        correctedInTime: true,
        circumstances: { minorViolation: true, harm: 'none' },
      }),
    );
    expect(decision).toMatchObject({ tierId: 'statutory_minor_corrected', penalty: 'none', fineFen: 0 });
    expect(decision.reasons.join()).toContain('《中华人民共和国行政处罚法》第三十三条第一款');
  });

  it('does not fine a first offence with slight harm corrected in time (benchmark tier)', () => {
    const decision = decideBenchmark(stall, input({ correctedInTime: true }));
    expect(decision).toMatchObject({ tierId: 'first_slight_harm_corrected', fineFen: 0 });
  });

  it('fines a first offence in the lower band', () => {
    const decision = decideBenchmark(stall, input());
    expect(decision).toMatchObject({
      tierId: 'first_offence',
      penalty: 'fine',
      fineFen: 100_00,
      bandFen: { minFen: 50_00, maxFen: 200_00 },
    });
    expect(decision.reasons[0]).toBe('当事人十二个月内无同类违法记录');
    expect(decision.reasons.at(-1)).toBe('拟处罚款100元');
  });

  it('fines a repeat within 12 months higher, and a third time higher still', () => {
    const once = decideBenchmark(stall, input({ priorViolations: 1 }));
    const many = decideBenchmark(stall, input({ priorViolations: 4 }));
    expect(once.tierId).toBe('repeat_once');
    expect(many.tierId).toBe('repeat_multiple');
    expect(once.fineFen).toBeGreaterThan(decideBenchmark(stall, input()).fineFen);
    expect(many.fineFen).toBeGreaterThan(once.fineFen);
    expect(many.fineFen).toBeLessThanOrEqual(stall.fineRangeFen.individual!.maxFen);
  });

  it('a repeat offender who corrects in time but not minor is still fined', () => {
    expect(decideBenchmark(stall, input({ priorViolations: 1, correctedInTime: true })).penalty).toBe('fine');
  });

  it('uses the band floor for a statutory mitigating circumstance and the ceiling for an aggravating one', () => {
    const mitigated = decideBenchmark(
      stall,
      input({ circumstances: { minorViolation: false, harm: 'slight', mitigating: ['eliminated_harm'] } }),
    );
    const aggravated = decideBenchmark(
      stall,
      input({
        circumstances: { minorViolation: false, harm: 'slight', aggravating: ['refused_correction'] },
      }),
    );
    const both = decideBenchmark(
      stall,
      input({
        circumstances: {
          minorViolation: false,
          harm: 'slight',
          mitigating: ['coerced'],
          aggravating: ['refused_correction'],
        },
      }),
    );
    expect(mitigated.fineFen).toBe(50_00);
    expect(mitigated.reasons.join()).toContain('主动消除或者减轻违法行为危害后果');
    expect(aggravated.fineFen).toBe(200_00);
    expect(both.fineFen).toBe(100_00);
  });

  it('does not fine a party who proved no fault', () => {
    const decision = decideBenchmark(
      construction,
      input({
        priorViolations: 5,
        circumstances: { minorViolation: false, harm: 'significant', noFaultProven: true },
      }),
    );
    expect(decision).toMatchObject({ tierId: 'statutory_no_fault', fineFen: 0 });
  });

  it('fines units for dumping in the unit range and individuals in the individual range', () => {
    const unit = decideBenchmark(dumping, input({ partyKind: 'unit' }));
    const person = decideBenchmark(dumping, input());
    expect(unit.fineFen).toBeGreaterThanOrEqual(5_000_00);
    expect(person.fineFen).toBeLessThanOrEqual(200_00);
  });

  it('rejects a bad prior count and an unknown circumstance', () => {
    expect(() => decideBenchmark(stall, input({ priorViolations: -1 }))).toThrow(/priorViolations/);
    expect(() =>
      decideBenchmark(
        stall,
        input({ circumstances: { minorViolation: false, harm: 'slight', mitigating: ['charm' as never] } }),
      ),
    ).toThrow(/unknown mitigating factor "charm"/);
  });
});

describe('hearing right', () => {
  it('applies at or above the threshold for the party kind', () => {
    const { procedure } = catalogue;
    expect(hearingRightApplies(procedure.hearingThresholdFen.individual, 'individual', procedure)).toBe(true);
    expect(hearingRightApplies(procedure.hearingThresholdFen.individual - 1, 'individual', procedure)).toBe(
      false,
    );
    expect(hearingRightApplies(procedure.hearingThresholdFen.individual, 'unit', procedure)).toBe(false);
  });

  it('arises for a repeat construction-waste fine on an individual', () => {
    const decision = decideBenchmark(construction, input({ priorViolations: 1 }));
    expect(hearingRightApplies(decision.fineFen, 'individual', catalogue.procedure)).toBe(true);
  });
});

describe('12-month look-back', () => {
  it('counts decided violations in the 12 months before, not on the day itself', () => {
    const dates = ['2025-03-09', '2025-03-10', '2025-12-01', '2026-03-10'];
    expect(countPriorViolations(dates, '2026-03-10')).toBe(2);
  });

  it('steps 29 February back to 28 February', () => {
    expect(lookBackStart('2028-02-29')).toBe('2027-02-28');
    expect(lookBackStart('2026-03-01')).toBe('2025-03-01');
  });
});
