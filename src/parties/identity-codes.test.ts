import { describe, expect, it } from 'vitest';
import {
  creditCodeCheckChar,
  identifierFault,
  idNumberCheckChar,
  isValidCreditCode,
  isValidIdNumber,
  normaliseCode,
} from './identity-codes.js';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts the standard example and codes built with their mod-31 check character', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    for (const first17 of [
      '91310115MA1K00000',
      '92310115MA1H2B3C4',
      '91310000MA1FL0000',
      '12310000425005555',
    ]) {
      const code = first17 + creditCodeCheckChar(first17)!;
      expect(code).toHaveLength(18);
      expect(isValidCreditCode(code)).toBe(true);
    }
    expect(creditCodeCheckChar('91310115MA1K00000')).toBe('3');
    expect(creditCodeCheckChar('91310000MA1FL0000')).toBe('N');
  });

  it('a check character of 31 - 0 is written 0', () => {
    // search a body whose weighted sum is a multiple of 31
    let found = '';
    for (let n = 0; n < 1000 && !found; n++) {
      const body = `9131011500000${String(n).padStart(4, '0')}`;
      if (creditCodeCheckChar(body) === '0') found = body;
    }
    expect(found).not.toBe('');
    expect(isValidCreditCode(`${found}0`)).toBe(true);
  });

  it('refuses a wrong check character, a transposition, a wrong length and letters outside the alphabet', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000010Y43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y433')).toBe(false);
    expect(isValidCreditCode('91350100I000100Y43')).toBe(false);
    expect(isValidCreditCode('91350100O000100Y43')).toBe(false);
    expect(isValidCreditCode('91350100m000100y43')).toBe(false);
    expect(isValidCreditCode('9135A100M000100Y43')).toBe(false);
    expect(isValidCreditCode('')).toBe(false);
    expect(creditCodeCheckChar('9135010')).toBeNull();
    expect(creditCodeCheckChar('91350100Z000100Y4')).toBeNull();
  });

  it('normalises case and spaces before the check', () => {
    expect(normaliseCode(' 91350100m000100y43 ')).toBe('91350100M000100Y43');
    expect(normaliseCode('9135 0100 M000 100Y 43')).toBe('91350100M000100Y43');
  });
});

describe('citizen identity number (GB 11643-1999)', () => {
  it('accepts numbers with their mod-11 check character, X included', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('310115199001010010')).toBe(true);
    expect(isValidIdNumber('310115198807070026')).toBe(true);
    expect(idNumberCheckChar('31011519900101001')).toBe('0');
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
  });

  it('refuses a wrong check digit, an impossible birth date, letters and wrong lengths', () => {
    expect(isValidIdNumber('310115199001010011')).toBe(false);
    expect(isValidIdNumber('110105194912310020')).toBe(false);
    expect(isValidIdNumber('11010519491231002x')).toBe(false);
    const feb30 = '31011519900230001';
    expect(isValidIdNumber(feb30 + idNumberCheckChar(feb30)!)).toBe(false);
    const month13 = '31011519901301001';
    expect(isValidIdNumber(month13 + idNumberCheckChar(month13)!)).toBe(false);
    expect(isValidIdNumber('31011519900101001')).toBe(false);
    expect(isValidIdNumber('3101151990010100100')).toBe(false);
    expect(isValidIdNumber('010115199001010010')).toBe(false);
    expect(idNumberCheckChar('3101151990010100A')).toBeNull();
  });

  it('names the fault by the party kind', () => {
    expect(identifierFault('unit', '91350100M000100Y43')).toBeNull();
    expect(identifierFault('unit', '310115199001010010')).toBe('malformed_credit_code');
    expect(identifierFault('person', '310115199001010010')).toBeNull();
    expect(identifierFault('person', '91350100M000100Y43')).toBe('malformed_id_number');
  });
});
