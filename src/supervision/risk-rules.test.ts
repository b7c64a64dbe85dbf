import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RISK_RULES_DIR } from './risk-rules-config.adapter.js';
import {
  lowerFor,
  parseRiskRules,
  raiseFor,
  riskRulesInForce,
  rulesForDistrict,
  RiskRulesError,
  type CleanWindowFacts,
  type RiskRules,
} from './risk-rules.js';

const shipped = parseRiskRules(
  JSON.parse(readFileSync(path.join(RISK_RULES_DIR, '2026.1.json'), 'utf8')) as unknown,
);
const rules = rulesForDistrict(shipped, 'pudong');
const clean: CleanWindowFacts = {
  cyclesAtLevel: 2,
  compliantInspections: 1,
  problemInspections: 0,
  raisingEvents: 0,
  cameraClean: false,
};

describe('shop risk rules: the shipped version', () => {
  it('has the plan defaults: medium to start, 2 working days / 1 week / 1 month', () => {
    expect(rules.version).toBe('2026.1');
    expect(rules.initialLevel).toBe('medium');
    expect(rules.cycles).toEqual({ high: { workingDays: 2 }, medium: { days: 7 }, low: { months: 1 } });
  });

  it('refuses a malformed file, naming the field', () => {
    expect(() => parseRiskRules({ ...shipped, initialLevel: 'purple' })).toThrow(RiskRulesError);
    expect(() => parseRiskRules({ ...shipped, cycles: { ...shipped.cycles, high: { weeks: 1 } } })).toThrow(
      /cycles/,
    );
    expect(() => parseRiskRules({ ...shipped, raise: { ...shipped.raise, caseFiled: 5 } })).toThrow(
      RiskRulesError,
    );
  });
});

describe('versions and districts', () => {
  const v2: RiskRules = {
    ...shipped,
    version: '2026.2',
    effectiveFrom: '2026-09-01',
    districts: { xuhui: { initialLevel: 'low', lower: { cleanCycles: 4, requireCameraObservation: true } } },
  };

  it('takes the newest version in force on the day', () => {
    expect(riskRulesInForce([shipped, v2], '2026-08-31').version).toBe('2026.1');
    expect(riskRulesInForce([v2, shipped], '2026-09-01').version).toBe('2026.2');
    expect(() => riskRulesInForce([v2], '2026-01-01')).toThrow(/no shop risk rules/);
  });

  it('lets a district override a part and keeps the rest', () => {
    const xuhui = rulesForDistrict(v2, 'xuhui');
    expect(xuhui.initialLevel).toBe('low');
    expect(xuhui.lower.cleanCycles).toBe(4);
    expect(xuhui.cycles).toEqual(shipped.cycles);
    expect(rulesForDistrict(v2, 'pudong').initialLevel).toBe('medium');
  });
});

describe('raising', () => {
  it('a filed case raises two steps, a substantiated complaint or a problem found one', () => {
    expect(raiseFor('low', 'caseFiled', rules)).toEqual({ to: 'high', rule: 'raise.caseFiled' });
    expect(raiseFor('low', 'complaintSubstantiated', rules)).toEqual({
      to: 'medium',
      rule: 'raise.complaintSubstantiated',
    });
    expect(raiseFor('medium', 'problemFound', rules)?.to).toBe('high');
  });

  it('high stays high, and a rule of 0 steps changes nothing', () => {
    expect(raiseFor('high', 'caseFiled', rules)).toBeNull();
    expect(
      raiseFor('low', 'problemFound', { ...rules, raise: { ...rules.raise, problemFound: 0 } }),
    ).toBeNull();
  });
});

describe('lowering', () => {
  it('goes down one step after the clean cycles', () => {
    expect(lowerFor('high', clean, rules)).toEqual({ to: 'medium', rule: 'lower.cleanCycles' });
    expect(lowerFor('medium', clean, rules)?.to).toBe('low');
    expect(lowerFor('low', clean, rules)).toBeNull();
  });

  it('not before the cycles are complete, nor with a problem, a case or complaint, or no inspection', () => {
    expect(lowerFor('high', { ...clean, cyclesAtLevel: 1 }, rules)).toBeNull();
    expect(lowerFor('high', { ...clean, problemInspections: 1 }, rules)).toBeNull();
    expect(lowerFor('high', { ...clean, raisingEvents: 1 }, rules)).toBeNull();
    expect(lowerFor('high', { ...clean, compliantInspections: 0 }, rules)).toBeNull();
  });

  it('asks for the camera only where the district rules say so', () => {
    const strict = { ...rules, lower: { cleanCycles: 2, requireCameraObservation: true } };
    expect(lowerFor('medium', clean, strict)).toBeNull();
    expect(lowerFor('medium', { ...clean, cameraClean: true }, strict)?.to).toBe('low');
  });
});
