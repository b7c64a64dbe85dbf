import { withTransaction, type Pool } from '../db/pool.js';

/**
 * Serialises writers of one blob key across every process and machine that shares the database. The S3 adapter
 * needs it only for stores that ignore `If-None-Match: *`: there, "create unless it exists" is a HEAD then a PUT,
 * and two writers of the same key must not both see it missing.
 */
export interface BlobKeyLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

// The first half of the two-part advisory lock key: the blob-key space, apart from the project's other locks
// (which use single 64-bit keys, a separate space in Postgres).
const BLOB_LOCK_CLASS = 73_104_203;

/**
 * A transaction-scoped advisory lock on the key's hash: released by commit, rollback or a dropped connection, so
 * a writer that dies mid-write never leaves the key locked. A hash collision only makes two keys wait for each
 * other, never lets two writers of one key through.
 */
export function postgresBlobKeyLock(pool: Pool): BlobKeyLock {
  return {
    withLock: (key, fn) =>
      withTransaction(pool, async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [BLOB_LOCK_CLASS, key]);
        return fn();
      }),
  };
}
