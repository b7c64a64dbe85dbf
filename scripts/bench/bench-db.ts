import pg from 'pg';
import { runMigrations } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { MIGRATIONS_DIR } from '../../src/shared/paths.js';

/** A fresh, migrated database for one benchmark run, dropped afterwards (benchmarks never touch real data). */
export async function benchDatabase(
  name: string,
  adminUrl = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
): Promise<{ pool: Pool; url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const pool = createPool(url, 10);
  await runMigrations(pool, MIGRATIONS_DIR);
  return {
    pool,
    url,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}
