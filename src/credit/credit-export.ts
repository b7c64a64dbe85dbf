import type { CreditItemRow } from './credit.repo.js';

/*
 * One record of the export to the public credit platform (公共信用信息服务平台), modelled on the administrative
 * penalty fields of the "双公示" data standard. The platform's own interface must be confirmed with it before
 * use; docs/credit.md lists each field. What is exported is what the public page shows: an individual's name
 * and number masked. Each state of an item is one record: published, withdrawn (APL art. 48; SH credit
 * regulation art. 37: to be deleted) or repaired (art. 38: to leave the query interface).
 */

export interface CreditRecord {
  /** publish | withdraw | repair */
  operation: 'publish' | 'withdraw' | 'repair';
  /** our item id: the key the platform updates by */
  recordId: string;
  /** 行政处罚决定书文号 */
  decisionNumber: string;
  /** 行政相对人名称 (an individual's masked) */
  partyName: string;
  /** 行政相对人类别: 法人及非法人组织 | 自然人 */
  partyCategory: '法人及非法人组织' | '自然人';
  /** 统一社会信用代码 (a unit) or 证件号码 masked (a person) */
  partyCode: string;
  /** 违法行为类型 */
  violationType: string;
  /** 处罚依据 */
  penaltyBasis: string;
  /** 处罚类别 */
  penaltyCategory: '罚款';
  /** 罚款金额（元）, two decimals */
  fineYuan: string;
  /** 处罚决定日期 */
  decidedOn: string;
  /** 公示截止期 */
  publishUntil: string;
  /** 处罚机关 (the district) */
  districtId: string;
  /** 撤回或修复日期 */
  removedOn: string | null;
  /** 撤回或修复的理由 */
  removalReason: string | null;
  /** the catalogue of publication rules applied */
  rulesVersion: string;
}

export const CREDIT_RECORD_FIELDS = [
  'operation',
  'recordId',
  'decisionNumber',
  'partyName',
  'partyCategory',
  'partyCode',
  'violationType',
  'penaltyBasis',
  'penaltyCategory',
  'fineYuan',
  'decidedOn',
  'publishUntil',
  'districtId',
  'removedOn',
  'removalReason',
  'rulesVersion',
] as const satisfies readonly (keyof CreditRecord)[];

export function toCreditRecord(item: CreditItemRow): CreditRecord {
  return {
    operation: item.status === 'published' ? 'publish' : item.status === 'withdrawn' ? 'withdraw' : 'repair',
    recordId: item.id,
    decisionNumber: item.caseNumber,
    partyName: item.shownName,
    partyCategory: item.partyKind === 'unit' ? '法人及非法人组织' : '自然人',
    partyCode: item.shownCode,
    violationType: item.matter,
    penaltyBasis: item.basis,
    penaltyCategory: '罚款',
    fineYuan: (item.fineFen / 100).toFixed(2),
    decidedOn: item.decidedOn,
    publishUntil: item.publishUntil,
    districtId: item.districtId,
    removedOn: item.removedOn,
    removalReason: item.removalReason,
    rulesVersion: item.rulesVersion,
  };
}

/** JSON Lines: one record a line, UTF-8. */
export function toJsonLines(records: readonly CreditRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

/** CSV (RFC 4180) with a header line; a cell starting with = + - @ is prefixed with ' against formula injection. */
export function toCsv(records: readonly CreditRecord[]): string {
  const cell = (v: string | null) => {
    const s = v ?? '';
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [CREDIT_RECORD_FIELDS.join(',')];
  for (const r of records) lines.push(CREDIT_RECORD_FIELDS.map((f) => cell(r[f])).join(','));
  return lines.join('\r\n') + '\r\n';
}
