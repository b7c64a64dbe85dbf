/**
 * Case numbers, one series per district and year with no gaps. The counter itself is a database row taken
 * under a lock when a case is filed; this module only writes and reads the two forms of the number:
 *
 * - the document form printed on every document: `沪浦城管非现〔2026〕第000123号`
 *   (沪 = Shanghai, 浦 = the district's one-character abbreviation, 城管非现 = urban-management non-site case,
 *   〔year〕 in hexagonal brackets as official document numbers are written, then the 6-digit sequence);
 * - the ASCII form for URLs, file names and logs: `SH-PD-2026-000123`.
 *
 * Both carry the same three facts, so either converts to the other without a lookup.
 */

export interface District {
  /** Two-letter code used in the ASCII form and in configuration. */
  code: string;
  name: string;
  /** One-character abbreviation used in the document form. */
  abbreviation: string;
}

export const SHANGHAI_DISTRICTS: readonly District[] = [
  { code: 'HP', name: '黄浦区', abbreviation: '黄' },
  { code: 'XH', name: '徐汇区', abbreviation: '徐' },
  { code: 'CN', name: '长宁区', abbreviation: '长' },
  { code: 'JA', name: '静安区', abbreviation: '静' },
  { code: 'PT', name: '普陀区', abbreviation: '普' },
  { code: 'HK', name: '虹口区', abbreviation: '虹' },
  { code: 'YP', name: '杨浦区', abbreviation: '杨' },
  { code: 'MH', name: '闵行区', abbreviation: '闵' },
  { code: 'BS', name: '宝山区', abbreviation: '宝' },
  { code: 'JD', name: '嘉定区', abbreviation: '嘉' },
  { code: 'PD', name: '浦东新区', abbreviation: '浦' },
  { code: 'JS', name: '金山区', abbreviation: '金' },
  { code: 'SJ', name: '松江区', abbreviation: '松' },
  { code: 'QP', name: '青浦区', abbreviation: '青' },
  { code: 'FX', name: '奉贤区', abbreviation: '奉' },
  { code: 'CM', name: '崇明区', abbreviation: '崇' },
];

export const MAX_SEQUENCE = 999_999;

export interface CaseNumber {
  districtCode: string;
  year: number;
  /** 1-based position in the district's series for the year. */
  sequence: number;
}

export class CaseNumberError extends Error {
  override name = 'CaseNumberError';
}

export function findDistrict(code: string): District {
  const district = SHANGHAI_DISTRICTS.find((candidate) => candidate.code === code);
  if (!district) {
    throw new CaseNumberError(
      `unknown district code "${code}" (known: ${SHANGHAI_DISTRICTS.map((d) => d.code).join(', ')})`,
    );
  }
  return district;
}

function check(number: CaseNumber): District {
  const district = findDistrict(number.districtCode);
  if (!Number.isInteger(number.year) || number.year < 2000 || number.year > 2099) {
    throw new CaseNumberError(`case number year must be 2000..2099, got ${number.year}`);
  }
  if (!Number.isInteger(number.sequence) || number.sequence < 1 || number.sequence > MAX_SEQUENCE) {
    throw new CaseNumberError(`case number sequence must be 1..${MAX_SEQUENCE}, got ${number.sequence}`);
  }
  return district;
}

const pad = (sequence: number): string => sequence.toString().padStart(6, '0');

export function formatCaseNumber(number: CaseNumber): string {
  const district = check(number);
  return `沪${district.abbreviation}城管非现〔${number.year}〕第${pad(number.sequence)}号`;
}

export function formatCaseNumberAscii(number: CaseNumber): string {
  check(number);
  return `SH-${number.districtCode}-${number.year}-${pad(number.sequence)}`;
}

const DOCUMENT_FORM = /^沪(.)城管非现〔(\d{4})〕第(\d{6})号$/u;
const ASCII_FORM = /^SH-([A-Z]{2})-(\d{4})-(\d{6})$/;

/** Reads either form; throws naming the text when it is neither. */
export function parseCaseNumber(text: string): CaseNumber {
  const trimmed = text.trim();
  const ascii = ASCII_FORM.exec(trimmed);
  if (ascii) {
    const parsed = { districtCode: ascii[1]!, year: Number(ascii[2]), sequence: Number(ascii[3]) };
    check(parsed);
    return parsed;
  }
  const documentForm = DOCUMENT_FORM.exec(trimmed);
  if (documentForm) {
    const district = SHANGHAI_DISTRICTS.find((candidate) => candidate.abbreviation === documentForm[1]);
    if (!district)
      throw new CaseNumberError(`case number "${text}" names an unknown district "${documentForm[1]}"`);
    const parsed = {
      districtCode: district.code,
      year: Number(documentForm[2]),
      sequence: Number(documentForm[3]),
    };
    check(parsed);
    return parsed;
  }
  throw new CaseNumberError(
    `"${text}" is not a case number (expected 沪浦城管非现〔2026〕第000123号 or SH-PD-2026-000123)`,
  );
}
