import { describe, expect, it } from 'vitest';
import { readCaseNumber } from './case-lookup.js';

describe('readCaseNumber', () => {
  it('reads the document form and the ASCII form into the document form', () => {
    expect(readCaseNumber('沪浦城管非现〔2026〕第000123号')).toBe('沪浦城管非现〔2026〕第000123号');
    expect(readCaseNumber('SH-PD-2026-000123')).toBe('沪浦城管非现〔2026〕第000123号');
  });

  it('accepts what a phone keyboard types: spaces, lower case, full-width characters, other brackets', () => {
    expect(readCaseNumber(' sh-pd-2026-000123 ')).toBe('沪浦城管非现〔2026〕第000123号');
    expect(readCaseNumber('ＳＨ－ＰＤ－２０２６－０００１２３')).toBe('沪浦城管非现〔2026〕第000123号');
    expect(readCaseNumber('沪浦城管非现[2026]第000123号')).toBe('沪浦城管非现〔2026〕第000123号');
    expect(readCaseNumber('沪浦城管非现（2026）第 000123 号')).toBe('沪浦城管非现〔2026〕第000123号');
  });

  it('gives null for anything else', () => {
    for (const text of ['', '123', 'SH-ZZ-2026-000123', '沪浦城管非现〔2026〕第0号', 'x'.repeat(40)])
      expect(readCaseNumber(text)).toBeNull();
  });
});
