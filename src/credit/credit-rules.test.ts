import { describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../law/calendar.js';
import { addDays, weekdayOf } from '../law/local-date.js';
import {
  addMonths,
  isShown,
  maskIdNumber,
  maskPersonName,
  parsePublicationRules,
  publicationOf,
  publicParty,
  publishablePairs,
  removalLate,
  repairRemovalDueOn,
  rulesInForce,
  withdrawalDueOn,
} from './credit-rules.js';

const rules = (version: string, effectiveFrom: string, periodMonths = 12) =>
  parsePublicationRules({
    version,
    effectiveFrom,
    title: '公示事项',
    reviewNotice: '',
    matters: [
      { code: 'street_stall', publish: false, periodMonths: 0, partyKinds: [] },
      { code: 'shop_encroachment', publish: true, periodMonths, partyKinds: ['unit'] },
    ],
  });

/** Saturdays and Sundays off, nothing else: enough to see working days counted. */
const weekdays: WorkingCalendar = {
  coveredYears: [2026],
  isWorkingDay: (d) => weekdayOf(d) !== 6 && weekdayOf(d) !== 0,
  addWorkingDays(start, count) {
    let d = start;
    for (let n = 0; n < count;) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) n++;
    }
    return d;
  },
  onOrNextWorkingDay: (d) => d,
  workingDaysBetween: () => 0,
  isProvisional: () => false,
};

describe('credit publication rules', () => {
  it('publishes only the matters and party kinds the version names, for its period', () => {
    const r = rules('2026.1', '2026-01-01');
    expect(publicationOf(r, 'street_stall', 'unit', '2026-03-01')).toBeNull();
    expect(publicationOf(r, 'shop_encroachment', 'person', '2026-03-01')).toBeNull();
    expect(publicationOf(r, 'unknown', 'unit', '2026-03-01')).toBeNull();
    expect(publicationOf(r, 'shop_encroachment', 'unit', '2026-03-01')).toEqual({
      from: '2026-03-01',
      until: '2027-03-01',
      rulesVersion: '2026.1',
    });
  });

  it('lists the matter and party kind pairs some version publishes', () => {
    expect(publishablePairs([rules('2026.1', '2026-01-01')])).toEqual(['shop_encroachment:unit']);
  });

  it('takes the version in force on the decision day', () => {
    const all = [rules('2026.1', '2026-01-01', 12), rules('2026.2', '2026-07-01', 6)];
    expect(rulesInForce(all, '2025-12-31')).toBeNull();
    expect(rulesInForce(all, '2026-06-30')?.version).toBe('2026.1');
    expect(rulesInForce(all, '2026-07-01')?.version).toBe('2026.2');
  });

  it('refuses a published matter without period or party kind, and a matter listed twice', () => {
    const base = { version: 'x', effectiveFrom: '2026-01-01', title: 't', reviewNotice: '' };
    expect(() =>
      parsePublicationRules({
        ...base,
        matters: [{ code: 'a', publish: true, periodMonths: 0, partyKinds: ['unit'] }],
      }),
    ).toThrow(/no period/);
    const m = { code: 'a', publish: false, periodMonths: 0, partyKinds: [] };
    expect(() => parsePublicationRules({ ...base, matters: [m, m] })).toThrow(/twice/);
    expect(() => parsePublicationRules({ ...base, matters: [{ ...m, periodMonths: 61 }] })).toThrow();
  });

  it('adds months to the same day or the last day of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2027-12-15', 1)).toBe('2028-01-15');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-05-10', 36)).toBe('2029-05-10');
  });

  it('shows a published item within its period only', () => {
    const item = { status: 'published', publishFrom: '2026-03-01', publishUntil: '2027-03-01' };
    expect(isShown(item, '2026-02-28')).toBe(false);
    expect(isShown(item, '2026-03-01')).toBe(true);
    expect(isShown(item, '2027-03-01')).toBe(true);
    expect(isShown(item, '2027-03-02')).toBe(false);
    expect(isShown({ ...item, status: 'withdrawn' }, '2026-06-01')).toBe(false);
  });
});

describe('credit deadlines', () => {
  it('withdraws within three days of the change (APL art. 48)', () => {
    expect(withdrawalDueOn('2026-12-04')).toBe('2026-12-07');
  });

  it('removes a repaired item within three working days (SH credit reg. art. 38)', () => {
    // Friday 2026-12-04: Mon, Tue, Wed
    expect(repairRemovalDueOn('2026-12-04', weekdays)).toBe('2026-12-09');
    expect(repairRemovalDueOn('2026-12-07', weekdays)).toBe('2026-12-10');
  });

  it('flags a removal made or still missing after its due day', () => {
    expect(removalLate('2026-12-09', '2026-12-09', '2026-12-20')).toBe(false);
    expect(removalLate('2026-12-09', '2026-12-10', '2026-12-20')).toBe(true);
    expect(removalLate('2026-12-09', null, '2026-12-09')).toBe(false);
    expect(removalLate('2026-12-09', null, '2026-12-10')).toBe(true);
  });
});

describe('masking of individuals', () => {
  it('masks names and ID numbers of persons, never of units', () => {
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('欧阳小明')).toBe('欧***');
    expect(maskPersonName('李')).toBe('李*');
    expect(maskIdNumber('310115199001011234')).toBe('310115********1234');
    expect(maskIdNumber('12345')).toBe('***45');
    expect(publicParty({ kind: 'person', name: '张某某', idNumber: '31011519900101123X' })).toEqual({
      name: '张**',
      code: '310115********123X',
    });
    expect(publicParty({ kind: 'unit', name: '张记水果店', idNumber: '91310115MA1K4XXXXX' })).toEqual({
      name: '张记水果店',
      code: '91310115MA1K4XXXXX',
    });
  });
});
