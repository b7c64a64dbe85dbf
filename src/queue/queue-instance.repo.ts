import type { Queryable } from '../db/pool.js';

/**
 * The name this database gives its queued work: the random id written when the database was created, joined to
 * the database's own oid so that a copy restored from a dump (or a test database cloned from a template) gets a
 * name of its own although it carries the same row.
 */
export async function readQueueInstanceId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `select q.instance_id || to_hex(d.oid::bigint) as id
       from queue_instance q, pg_database d where d.datname = current_database()`,
  );
  if (!rows[0]) throw new Error('queue_instance has no row: run the migrations');
  return rows[0].id;
}
