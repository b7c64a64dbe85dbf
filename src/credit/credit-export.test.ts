import { describe, expect, it } from 'vitest';
import { CREDIT_RECORD_FIELDS, toCreditRecord, toCsv, toJsonLines } from './credit-export.js';
import type { CreditItemRow } from './credit.repo.js';

const item: CreditItemRow = {
  id: '11111111-1111-4111-8111-111111111111',
  caseId: '22222222-2222-4222-8222-222222222222',
  districtId: 'pudong',
  partyId: null,
  partyKind: 'person',
  shownName: '张**',
  shownCode: '310115********1234',
  caseNumber: '沪浦城管非现〔2026〕第000001号',
  violationType: 'illegal_dumping',
  matter: '乱倒垃圾',
  basis: '《上海市市容环境卫生管理条例》第二十八条',
  fineFen: 5050,
  decidedOn: '2026-12-07',
  rulesVersion: '2026.1',
  publishFrom: '2026-12-07',
  publishUntil: '2027-12-07',
  status: 'published',
  removedAt: null,
  removedOn: null,
  removalReason: null,
  removalDueOn: null,
  publishedAt: new Date('2026-12-07T01:00:00Z'),
};

describe('the credit platform export', () => {
  it('maps an item to the documented fields, an individual as published (masked)', () => {
    const record = toCreditRecord(item);
    expect(Object.keys(record).sort()).toEqual([...CREDIT_RECORD_FIELDS].sort());
    expect(record).toMatchObject({
      operation: 'publish',
      partyCategory: '自然人',
      partyCode: '310115********1234',
      fineYuan: '50.50',
    });
    expect(toCreditRecord({ ...item, status: 'withdrawn' }).operation).toBe('withdraw');
    expect(toCreditRecord({ ...item, status: 'repaired', partyKind: 'unit' })).toMatchObject({
      operation: 'repair',
      partyCategory: '法人及非法人组织',
    });
  });

  it('writes JSON Lines and CSV, quoting and defusing formula cells', () => {
    const records = [
      toCreditRecord(item),
      toCreditRecord({ ...item, removalReason: '=HYPERLINK("x"), 理由' }),
    ];
    const lines = toJsonLines(records).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(records);
    expect(toJsonLines([])).toBe('');
    const csv = toCsv(records).split('\r\n');
    expect(csv[0]).toBe(CREDIT_RECORD_FIELDS.join(','));
    expect(csv[2]).toContain(`"'=HYPERLINK(""x""), 理由"`);
  });
});
