import { describe, expect, it } from 'vitest';
import { auditRowHash, canonicalJson, GENESIS_HASH, type AuditFields } from './audit-hash.js';

const row: AuditFields = {
  at: '2026-11-27T10:00:00.000Z',
  actorKind: 'staff',
  actorId: 'u1',
  action: 'camera.update',
  subjectKind: 'camera',
  subjectId: 'c1',
  districtId: 'pudong',
  data: { b: 1, a: [2, { d: null, c: 'x' }] },
};

describe('audit hashing', () => {
  it('is independent of key order', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(auditRowHash(GENESIS_HASH, row)).toBe(
      auditRowHash(GENESIS_HASH, { ...row, data: { a: [2, { c: 'x', d: null }], b: 1 } }),
    );
  });

  it('changes with any field and with the previous hash', () => {
    const h = auditRowHash(GENESIS_HASH, row);
    expect(auditRowHash(GENESIS_HASH, { ...row, action: 'camera.delete' })).not.toBe(h);
    expect(auditRowHash(GENESIS_HASH, { ...row, data: { b: 2, a: [2, { d: null, c: 'x' }] } })).not.toBe(h);
    expect(auditRowHash('f'.repeat(64), row)).not.toBe(h);
  });
});
