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
export const AUDIT_LOCK_KEY = 7_310_420_002;

/** Appends one row. `db` must be a client inside a transaction (the lock lasts until it commits). */
export async function appendAudit(db: Queryable, entry: AuditEntry, now: Date = new Date()): Promise<void> {
  await db.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // Recorded views waiting in the outbox go into the chain first, so the chain keeps them before any later step.
  const prevHash = await foldOutbox(db, await lastHash(db), FOLD_WITH_APPEND);
  await insertChained(db, prevHash, [toFields(entry, now)]);
}

async function lastHash(db: Queryable): Promise<string> {
  const last = await db.query<{ hash: string }>('select hash from audit_log order by id desc limit 1');
  return last.rows[0]?.hash ?? GENESIS_HASH;
}

function toFields(entry: AuditEntry, at: Date): AuditFields {
  return {
    at: at.toISOString(),
    actorKind: entry.actorKind,
    actorId: entry.actorId ?? null,
    action: entry.action,
    subjectKind: entry.subjectKind ?? null,
    subjectId: entry.subjectId ?? null,
    districtId: entry.districtId ?? null,
    data: entry.data ?? {},
  };
}

/** Inserts rows chained one after the other in one statement; returns the last row's hash. */
async function insertChained(db: Queryable, prevHash: string, rows: AuditFields[]): Promise<string> {
  if (rows.length === 0) return prevHash;
  const values: unknown[] = [];
  const tuples: string[] = [];
  let prev = prevHash;
  for (const fields of rows) {
    const hash = auditRowHash(prev, fields);
    const base = values.length;
    tuples.push(`(${Array.from({ length: 10 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
    values.push(
      fields.at,
      fields.actorKind,
      fields.actorId,
      fields.action,
      fields.subjectKind,
      fields.subjectId,
      fields.districtId,
      JSON.stringify(fields.data),
      prev,
      hash,
    );
    prev = hash;
  }
  await db.query(
    `insert into audit_log (at, actor_kind, actor_id, action, subject_kind, subject_id, district_id, data, prev_hash, hash)
     values ${tuples.join(', ')}`,
    values,
  );
  return prev;
}

/*
 * The outbox. A party opening a page is recorded (APL art. 47) but must not queue behind the chain's one lock:
 * at a crowd's rate that lock became the portal's and the staff's bottleneck. So a view is a plain insert into
 * audit_outbox, committed before the page is served (nothing is lost if the process dies), and rows are
 * moved into the chain in id order, in batches, under the lock: by the next appendAudit, and by a timer of
 * the API process (flushAuditOutbox). Until then a view is in the outbox, not yet in the chain.
 */
const FOLD_WITH_APPEND = 200;
const FOLD_BATCH = 1000;

interface OutboxRow {
  id: string;
  at: Date;
  actor_kind: AuditFields['actorKind'];
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  district_id: string | null;
  data: Record<string, unknown>;
}

/** Records entries for the chain without taking its lock, in one statement; they reach audit_log at a fold. */
export async function enqueueAudit(
  db: Queryable,
  entries: readonly { entry: AuditEntry; at: Date }[],
): Promise<void> {
  if (entries.length === 0) return;
  const values: unknown[] = [];
  const tuples = entries.map(({ entry, at }) => {
    const f = toFields(entry, at);
    const base = values.length;
    values.push(f.at, f.actorKind, f.actorId, f.action, f.subjectKind, f.subjectId, f.districtId);
    values.push(JSON.stringify(f.data));
    return `(${Array.from({ length: 8 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
  });
  await db.query(
    `insert into audit_outbox (at, actor_kind, actor_id, action, subject_kind, subject_id, district_id, data)
     values ${tuples.join(', ')}`,
    values,
  );
}

/** Moves up to `limit` outbox rows into the chain; the caller holds the lock. Returns the new last hash. */
async function foldOutbox(db: Queryable, prevHash: string, limit: number): Promise<string> {
  const { rows } = await db.query<OutboxRow>(
    `delete from audit_outbox where id in (select id from audit_outbox order by id limit $1) returning *`,
    [limit],
  );
  if (rows.length === 0) return prevHash;
  rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  return insertChained(
    db,
    prevHash,
    rows.map((r) => ({
      at: r.at.toISOString(),
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      action: r.action,
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      districtId: r.district_id,
      data: r.data,
    })),
  );
}

/** Folds the whole outbox into the chain, a batch per transaction; returns how many rows moved. */
export async function flushAuditOutbox(pool: Pool): Promise<number> {
  let moved = 0;
  for (;;) {
    const client = await pool.connect();
    let batch = 0;
    try {
      await client.query('begin');
      const pending = await client.query<{ n: number }>(
        `select count(*)::int as n from (select 1 from audit_outbox limit $1) p`,
        [FOLD_BATCH],
      );
      batch = pending.rows[0]!.n;
      if (batch > 0) {
        await client.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
        await foldOutbox(client, await lastHash(client), FOLD_BATCH);
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    moved += batch;
    if (batch < FOLD_BATCH) return moved;
  }
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
