import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrationsChecksum, runMigrations } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { MIGRATIONS_DIR } from '../../src/shared/paths.js';

/**
 * Each integration test file gets its own database, cloned from a migrated template. The template is named after
 * the migrations' checksum, so changing a migration builds a new one; building happens once, under an advisory
 * lock, however many test files start at the same time.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TEMPLATE_LOCK = 7_310_420_900;

function urlFor(dbName: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  return url.toString();
}

async function ensureTemplate(admin: pg.Client): Promise<string> {
  const name = `enf_tpl_${(await migrationsChecksum(MIGRATIONS_DIR)).slice(0, 16)}`;
  await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`create database "${name}"`);
      const pool = createPool(urlFor(name), 2);
      try {
        await runMigrations(pool, MIGRATIONS_DIR);
      } catch (err) {
        await pool.end();
        await admin.query(`drop database "${name}"`);
        throw err;
      }
      await pool.end();
    }
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
  }
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = `enf_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    const template = await ensureTemplate(admin);
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const pool = createPool(url, 10);
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function uniqueQueuePrefix(): string {
  return `test_${randomBytes(5).toString('hex')}`;
}
