import { describe, expect, it } from 'vitest';
import { gradeOf, MAX_TOTAL, scoreSheet, ScoringError, summarise } from './scoring.js';

describe('the scoring sheet', () => {
  it('totals the five items to at most 100', () => {
    expect(MAX_TOTAL).toBe(100);
    expect(scoreSheet({ facts: 25, evidence: 20, procedure: 18, law: 20, documents: 8 }).total).toBe(91);
  });

  it('refuses a missing, fractional, negative, too high or unknown item', () => {
    const ok = { facts: 25, evidence: 20, procedure: 18, law: 20, documents: 8 };
    expect(() => scoreSheet({ ...ok, documents: undefined })).toThrow(ScoringError);
    expect(() => scoreSheet({ ...ok, law: 1.5 })).toThrow(ScoringError);
    expect(() => scoreSheet({ ...ok, law: -1 })).toThrow(ScoringError);
    expect(() => scoreSheet({ ...ok, documents: 11 })).toThrow(/documents: a whole number from 0 to 10/);
    expect(() => scoreSheet({ ...ok, style: 3 })).toThrow(/unknown/);
  });

  it('grades and summarises per unit and per reviewer', () => {
    expect([gradeOf(90), gradeOf(89), gradeOf(75), gradeOf(74)]).toEqual([
      'excellent',
      'pass',
      'pass',
      'fail',
    ]);
    const sheets = [
      { districtId: 'pudong', reviewerId: 'a', total: 90 },
      { districtId: 'pudong', reviewerId: 'b', total: 71 },
      { districtId: 'jingan', reviewerId: 'a', total: 80 },
    ];
    expect(summarise(sheets, 'districtId')).toEqual([
      { key: 'jingan', sheets: 1, average: 80, lowest: 80, failed: 0 },
      { key: 'pudong', sheets: 2, average: 80.5, lowest: 71, failed: 1 },
    ]);
    expect(summarise(sheets, 'reviewerId').map((s) => [s.key, s.average])).toEqual([
      ['a', 85],
      ['b', 71],
    ]);
  });
});
