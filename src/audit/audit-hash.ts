import { createHash } from 'node:crypto';

/** The fields of an audit row that its hash covers. */
export interface AuditFields {
  at: string;
  actorKind: 'staff' | 'party' | 'system';
  actorId: string | null;
  action: string;
  subjectKind: string | null;
  subjectId: string | null;
  districtId: string | null;
  data: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so that jsonb's key reordering cannot change a row's hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditRowHash(prevHash: string, fields: AuditFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(
      canonicalJson([
        fields.at,
        fields.actorKind,
        fields.actorId,
        fields.action,
        fields.subjectKind,
        fields.subjectId,
        fields.districtId,
        fields.data,
      ]),
    )
    .digest('hex');
}
