import { describe, expect, it } from 'vitest';
import {
  CaseNumberError,
  formatCaseNumber,
  formatCaseNumberAscii,
  parseCaseNumber,
  SHANGHAI_DISTRICTS,
} from './case-number.js';

describe('case numbers', () => {
  const number = { districtCode: 'PD', year: 2026, sequence: 123 };

  it('writes the document form and the ASCII form', () => {
    expect(formatCaseNumber(number)).toBe('沪浦城管非现〔2026〕第000123号');
    expect(formatCaseNumberAscii(number)).toBe('SH-PD-2026-000123');
  });

  it('reads back either form to the same facts', () => {
    expect(parseCaseNumber('沪浦城管非现〔2026〕第000123号')).toEqual(number);
    expect(parseCaseNumber('SH-PD-2026-000123')).toEqual(number);
    for (const district of SHANGHAI_DISTRICTS) {
      const round = { districtCode: district.code, year: 2027, sequence: 999_999 };
      expect(parseCaseNumber(formatCaseNumber(round))).toEqual(round);
    }
  });

  it('gives every district its own abbreviation and code', () => {
    expect(new Set(SHANGHAI_DISTRICTS.map((d) => d.abbreviation)).size).toBe(SHANGHAI_DISTRICTS.length);
    expect(new Set(SHANGHAI_DISTRICTS.map((d) => d.code)).size).toBe(SHANGHAI_DISTRICTS.length);
  });

  it('rejects out-of-range parts and text that is not a case number', () => {
    expect(() => formatCaseNumber({ ...number, sequence: 0 })).toThrow(/sequence must be 1..999999/);
    expect(() => formatCaseNumber({ ...number, districtCode: 'XX' })).toThrow(/unknown district code "XX"/);
    expect(() => parseCaseNumber('沪X城管非现〔2026〕第000123号')).toThrow(/unknown district "X"/);
    expect(() => parseCaseNumber('PD-2026-123')).toThrow(CaseNumberError);
  });
});
