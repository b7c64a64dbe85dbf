import { formatCaseNumber, parseCaseNumber } from '../cases/case-number.js';

/**
 * Reading a case number as a party types it from paper: full-width letters and digits, spaces, lower case, and
 * the brackets a phone keyboard offers instead of 〔 〕 are all accepted. The answer is the document form stored
 * with the case, or null for anything that is not a case number (which is refused like an unknown one).
 */
export function readCaseNumber(typed: string): string | null {
  const text = typed
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[[【(（［]/g, '〔')
    .replace(/[\]】)）］]/g, '〕')
    .toUpperCase();
  try {
    return formatCaseNumber(parseCaseNumber(text));
  } catch {
    return null;
  }
}
