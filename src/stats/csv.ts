/**
 * CSV for Excel: a byte-order mark first (so Excel reads UTF-8 Chinese), CRLF line ends, quotes where needed, and
 * text cells that a spreadsheet would take as a formula (starting with = + - @, a tab or a carriage return)
 * prefixed with an apostrophe (OWASP, "CSV injection"). Numbers are written as numbers and never prefixed.
 */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made harmless for a spreadsheet. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
