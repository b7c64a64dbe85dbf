/*
 * Check characters of the two identifiers a party is registered under: the unified social credit code of a unit
 * (GB 32100-2015) and the citizen identity number of a person (GB 11643-1999). Both end in a check character
 * computed from the others, which catches nearly every mistyped or transposed character at the counter.
 */

/** The 31 characters a credit code may use: digits and capitals without I, O, S, V and Z. */
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters of a credit code, or null when one is not allowed. */
export function creditCodeCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARS.indexOf(first17[i]!);
    if (value < 0) return null;
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31]!;
}

/** Upper case without spaces: codes are often typed in lower case or copied with spaces. */
export function normaliseCode(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/**
 * A well-formed unified social credit code: 18 characters of the code's alphabet, the registering authority and
 * unit type, a six-digit administrative division, and the weighted mod-31 check character.
 */
export function isValidCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}/.test(code)) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character for the first 17 digits of an identity number, or null when they are not 17 digits. */
export function idNumberCheckChar(first17: string): string | null {
  if (!/^[0-9]{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** A well-formed 18-character citizen identity number: a real date of birth and the mod-11 check character. */
export function isValidIdNumber(id: string): boolean {
  if (!/^[1-9][0-9]{16}[0-9X]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  return idNumberCheckChar(id.slice(0, 17)) === id[17];
}

/** The fault of a party's identifier, or null when it is well-formed for its kind. */
export function identifierFault(
  kind: 'person' | 'unit',
  code: string,
): 'malformed_credit_code' | 'malformed_id_number' | null {
  if (kind === 'unit') return isValidCreditCode(code) ? null : 'malformed_credit_code';
  return isValidIdNumber(code) ? null : 'malformed_id_number';
}
