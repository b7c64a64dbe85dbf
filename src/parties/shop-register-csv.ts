import { isEmailAddress } from '../shared/email-address.js';
import { isValidCreditCode, normaliseCode } from './identity-codes.js';

/*
 * The shop register as a CSV file (docs/parties.md): a header row naming the columns in Chinese, then one shop a
 * row. A file-level fault (no header, an unknown or missing column, too many rows) refuses the file; a row-level
 * fault refuses that row only, with its line number and reason, and the other rows go on.
 */

export const CSV_COLUMNS = {
  name: '名称',
  creditCode: '统一社会信用代码',
  address: '地址',
  phone: '联系电话',
  email: '电子邮箱',
} as const;

const REQUIRED: (keyof typeof CSV_COLUMNS)[] = ['name', 'creditCode', 'address'];
export const MAX_CSV_ROWS = 5000;
export const MAX_CSV_CHARS = 900_000;

export type RefusalReason =
  | 'missing_name'
  | 'missing_address'
  | 'too_long'
  | 'malformed_credit_code'
  | 'malformed_phone'
  | 'malformed_email'
  | 'wrong_column_count'
  | 'duplicate_code_in_register'
  | 'duplicate_code_in_file'
  | 'duplicate_name_address';

export interface ShopRow {
  line: number;
  name: string;
  creditCode: string;
  address: string;
  phone: string | null;
  email: string | null;
}

export interface RefusedRow {
  line: number;
  name: string;
  creditCode: string;
  reason: RefusalReason;
}

export class CsvFileError extends Error {}

/** Splits CSV text into records (RFC 4180: quoted fields, doubled quotes, CRLF or LF), each with its first line. */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]!.trim() !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new CsvFileError(`a quoted field opened on line ${recordLine} is never closed`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Reads the shop rows of a register file; each row is checked on its own. */
export function readShopRegister(text: string): { rows: ShopRow[]; refused: RefusedRow[] } {
  if (text.length > MAX_CSV_CHARS)
    throw new CsvFileError(`the file is larger than ${MAX_CSV_CHARS} characters`);
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw new CsvFileError('the file is empty');
  const names = header.fields.map((f) => f.trim());
  const known = Object.values(CSV_COLUMNS) as string[];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new CsvFileError(`unknown column: ${unknown.join(', ')}`);
  const index = (key: keyof typeof CSV_COLUMNS) => names.indexOf(CSV_COLUMNS[key]);
  const missing = REQUIRED.filter((k) => index(k) < 0).map((k) => CSV_COLUMNS[k]);
  if (missing.length > 0) throw new CsvFileError(`missing column: ${missing.join(', ')}`);
  if (new Set(names).size !== names.length) throw new CsvFileError('a column is named twice');
  if (records.length > MAX_CSV_ROWS) throw new CsvFileError(`the file has more than ${MAX_CSV_ROWS} rows`);

  const rows: ShopRow[] = [];
  const refused: RefusedRow[] = [];
  for (const { line, fields } of records) {
    const cell = (key: keyof typeof CSV_COLUMNS) => {
      const at = index(key);
      return at < 0 ? '' : (fields[at] ?? '').trim();
    };
    const row: ShopRow = {
      line,
      name: cell('name'),
      creditCode: normaliseCode(cell('creditCode')),
      address: cell('address'),
      phone: cell('phone').replace(/[\s-]/g, '') || null,
      email: cell('email') || null,
    };
    const reason = rowFault(row, fields.length === names.length);
    if (reason)
      refused.push({ line, name: row.name.slice(0, 200), creditCode: row.creditCode.slice(0, 40), reason });
    else rows.push(row);
  }
  return { rows, refused };
}

function rowFault(row: ShopRow, columnsMatch: boolean): RefusalReason | null {
  if (!columnsMatch) return 'wrong_column_count';
  if (!row.name) return 'missing_name';
  if (!row.address) return 'missing_address';
  if (row.name.length > 200 || row.address.length > 500 || (row.email?.length ?? 0) > 200) return 'too_long';
  if (!isValidCreditCode(row.creditCode)) return 'malformed_credit_code';
  if (row.phone && !/^\+?[0-9]{6,15}$/.test(row.phone)) return 'malformed_phone';
  if (row.email && !isEmailAddress(row.email)) return 'malformed_email';
  return null;
}

/** The key under which two shops count as the same place: name and address without spaces or case. */
export function nameAddressKey(name: string, address: string): string {
  const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  return `${squash(name)}\u0001${squash(address)}`;
}

/**
 * Splits well-formed rows into those to import and those refused as duplicates: of a code or a name and address
 * already in the register, or of an earlier row of the same file.
 */
export function planShopImport(
  rows: readonly ShopRow[],
  register: { codes: ReadonlySet<string>; nameAddresses: ReadonlySet<string> },
): { accepted: ShopRow[]; refused: RefusedRow[] } {
  const accepted: ShopRow[] = [];
  const refused: RefusedRow[] = [];
  const codes = new Set<string>();
  const places = new Set<string>();
  for (const row of rows) {
    const place = nameAddressKey(row.name, row.address);
    const reason: RefusalReason | null = register.codes.has(row.creditCode)
      ? 'duplicate_code_in_register'
      : codes.has(row.creditCode)
        ? 'duplicate_code_in_file'
        : register.nameAddresses.has(place) || places.has(place)
          ? 'duplicate_name_address'
          : null;
    if (reason) refused.push({ line: row.line, name: row.name, creditCode: row.creditCode, reason });
    else {
      accepted.push(row);
      codes.add(row.creditCode);
      places.add(place);
    }
  }
  return { accepted, refused };
}
