import type { QueryResultRow } from 'pg';
import type { Pool } from './pool.js';

/** Runs one query and gives back its rows: what the statistics repositories need of a database. */
export interface RowQuery {
  query<T extends QueryResultRow>(text: string, values?: unknown[]): Promise<{ rows: T[] }>;
}

/**
 * Queries with just-in-time compilation off, for reports over many rows. Postgres decides to compile a query by
 * its estimated cost, and an aggregate over a year of violations costs enough to trigger it; compiling then takes
 * longer (about a second) than running the query. The setting is the session's, put back before the connection
 * returns to the pool.
 */
export function withoutJit(pool: Pool): RowQuery {
  return {
    async query<T extends QueryResultRow>(text: string, values?: unknown[]) {
      const client = await pool.connect();
      try {
        await client.query('set jit = off');
        return await client.query<T>(text, values);
      } finally {
        await client.query('reset jit').catch(() => undefined);
        client.release();
      }
    },
  };
}
