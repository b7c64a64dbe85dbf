import { describe, expect, it } from 'vitest';
import { noStallZone, rectangle } from '../rules/scene.fixtures.js';
import { DEFAULT_RULES_CONFIG, rulesConfigWith } from './rules-config.schema.js';
import { rulesConfigWarnFirstFaults, zonesWarnFirstFaults } from './warn-first-setting.js';
import { validateRulesConfig } from './zone-validation.js';

describe('warn-first by default', () => {
  it('is on for stalls, shop fronts and dumping', () => {
    expect(DEFAULT_RULES_CONFIG.defaults.no_stall.warnFirst).toBe(true);
    expect(DEFAULT_RULES_CONFIG.defaults.shop_front.warnFirst).toBe(true);
    expect(DEFAULT_RULES_CONFIG.defaults.dumping_spot.warnFirst).toBe(true);
    expect(DEFAULT_RULES_CONFIG.defaults.dumping_spot.graceSeconds).toBeGreaterThan(0);
    expect(rulesConfigWarnFirstFaults(DEFAULT_RULES_CONFIG)).toEqual([]);
  });

  it('is turned off for a kind only with a reason that is not blank', () => {
    const off = rulesConfigWith({ defaults: { no_stall: { warnFirst: false } } });
    expect(validateRulesConfig(off)).toEqual([]);
    expect(rulesConfigWarnFirstFaults(off)).toEqual([
      expect.stringMatching(/defaults\.no_stall\.warnFirst is false without a reason/),
    ]);
    const blank = rulesConfigWith({ defaults: { no_stall: { warnFirst: false, warnFirstOffReason: ' ' } } });
    expect(rulesConfigWarnFirstFaults(blank)).toHaveLength(1);
    const reasoned = rulesConfigWith({
      defaults: { no_stall: { warnFirst: false, warnFirstOffReason: '直接处罚' } },
    });
    expect(validateRulesConfig(reasoned)).toEqual([]);
    expect(rulesConfigWarnFirstFaults(reasoned)).toEqual([]);
  });

  it('is turned off in a zone only with a reason', () => {
    const zone = noStallZone({ points: rectangle(0.1, 0.5, 0.4, 0.9), name: '东门' });
    expect(zonesWarnFirstFaults([zone])).toEqual([]);
    const [fault] = zonesWarnFirstFaults([{ ...zone, warnFirst: false }]);
    expect(fault).toMatchObject({ field: 'warnFirstOffReason' });
    expect(fault!.message).toMatch(/^zone '东门': warn-first is turned off without a reason/);
    expect(zonesWarnFirstFaults([{ ...zone, warnFirst: false, warnFirstOffReason: '试点路段' }])).toEqual([]);
  });
});
