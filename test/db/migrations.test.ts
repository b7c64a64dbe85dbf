import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { MIGRATIONS_DIR } from '../../src/shared/paths.js';
import { ADMIN_URL } from '../support/test-db.js';

// This file migrates an empty database itself instead of cloning the template.
const name = `enf_mig_${randomBytes(4).toString('hex')}`;
const url = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function schemaFingerprint(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ f: string }>(
    `select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by table_name, column_name) as f
       from information_schema.columns where table_schema = 'public'`,
  );
  return rows[0]!.f;
}

describe('migrations', () => {
  beforeAll(() => admin(`create database "${name}"`));
  afterAll(() => admin(`drop database if exists "${name}" with (force)`));

  it('two runs started at once both succeed and apply each file once', async () => {
    const a = createPool(url, 2);
    const b = createPool(url, 2);
    try {
      const [ra, rb] = await Promise.all([
        runMigrations(a, MIGRATIONS_DIR),
        runMigrations(b, MIGRATIONS_DIR),
      ]);
      const appliedTotal = ra.applied.length + rb.applied.length;
      const { rows } = await a.query<{ n: number }>('select count(*)::int as n from schema_migrations');
      expect(appliedTotal).toBe(rows[0]!.n);
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('running again changes nothing', async () => {
    const pool = createPool(url, 2);
    try {
      const before = await schemaFingerprint(pool);
      const { applied } = await runMigrations(pool, MIGRATIONS_DIR);
      expect(applied).toEqual([]);
      expect(await schemaFingerprint(pool)).toBe(before);
    } finally {
      await pool.end();
    }
  });

  it('refuses to go on when an applied file was edited', async () => {
    const pool = createPool(url, 2);
    try {
      await pool.query(`update schema_migrations set checksum = 'edited' where version = 1`);
      await expect(runMigrations(pool, MIGRATIONS_DIR)).rejects.toThrow(/was edited after it was applied/);
    } finally {
      await pool.end();
    }
  });
});
