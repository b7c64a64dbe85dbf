import type { Queryable } from './pool.js';

/** Resolves when Postgres answers a trivial query; rejects with the driver's error otherwise. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('select 1');
}
