import { auditRowHash, GENESIS_HASH, type AuditFields } from './audit-hash.js';
import type { Pool, Queryable } from '../db/pool.js';

export type AuditEntry = Omit<
  AuditFields,
  'at' | 'actorId' | 'subjectKind' | 'subjectId' | 'districtId' | 'data'
> & {
  actorId?: string | null;
  subjectKind?: string | null;
  subjectId?: string | null;
  districtId?: string | null;
  data?: Record<string, unknown>;
};

// Appends are serialised by a transaction-scoped advisory lock so each row can chain to the one before it.
// Callers write their audit row last in their transaction to keep the lock short.
const AUDIT_LOCK_KEY = 7_310_420_002;

/** Appends one row. `db` must be a client inside a transaction (the lock lasts until it commits). */
export async function appendAudit(db: Queryable, entry: AuditEntry, now: Date = new Date()): Promise<void> {
  await db.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  const last = await db.query<{ hash: string }>('select hash from audit_log order by id desc limit 1');
  const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
  const fields: AuditFields = {
    at: now.toISOString(),
    actorKind: entry.actorKind,
    actorId: entry.actorId ?? null,
    action: entry.action,
    subjectKind: entry.subjectKind ?? null,
    subjectId: entry.subjectId ?? null,
    districtId: entry.districtId ?? null,
    data: entry.data ?? {},
  };
  await db.query(
    `insert into audit_log (at, actor_kind, actor_id, action, subject_kind, subject_id, district_id, data, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      fields.at,
      fields.actorKind,
      fields.actorId,
      fields.action,
      fields.subjectKind,
      fields.subjectId,
      fields.districtId,
      JSON.stringify(fields.data),
      prevHash,
      auditRowHash(prevHash, fields),
    ],
  );
}

/** Appends one row in its own transaction, for callers that have none. */
export async function appendAuditNow(pool: Pool, entry: AuditEntry): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await appendAudit(client, entry);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export interface AuditVerification {
  rowsChecked: number;
  ok: boolean;
  firstBrokenId: number | null;
  reason: string | null;
}

interface AuditRow {
  id: number;
  at: Date;
  actor_kind: AuditFields['actorKind'];
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  district_id: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

/** Walks the chain in id order, in pages, and reports the first row whose link or content does not match. */
export async function verifyAuditChain(db: Queryable, pageSize = 5_000): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let rowsChecked = 0;
  for (;;) {
    const { rows } = await db.query<AuditRow>('select * from audit_log where id > $1 order by id limit $2', [
      lastId,
      pageSize,
    ]);
    if (rows.length === 0) return { rowsChecked, ok: true, firstBrokenId: null, reason: null };
    for (const row of rows) {
      rowsChecked++;
      if (row.prev_hash !== prevHash) {
        return {
          rowsChecked,
          ok: false,
          firstBrokenId: row.id,
          reason: 'link to the previous row does not match',
        };
      }
      const expected = auditRowHash(prevHash, {
        at: row.at.toISOString(),
        actorKind: row.actor_kind,
        actorId: row.actor_id,
        action: row.action,
        subjectKind: row.subject_kind,
        subjectId: row.subject_id,
        districtId: row.district_id,
        data: row.data,
      });
      if (expected !== row.hash) {
        return {
          rowsChecked,
          ok: false,
          firstBrokenId: row.id,
          reason: 'row content does not match its hash',
        };
      }
      prevHash = row.hash;
      lastId = row.id;
    }
  }
}
