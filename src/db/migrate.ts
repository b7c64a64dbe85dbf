import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from './pool.js';

/**
 * Forward-only migrations: numbered .sql files, each run in its own transaction, under a Postgres advisory lock
 * so that two processes starting at once run each file exactly once (the second waits, then finds nothing to do).
 * A file's checksum is recorded; an applied file that was edited afterwards stops the runner.
 */
const LOCK_KEY = 7_310_420_001;
const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (!match) throw new MigrationError(`migration file name "${name}" is not NNNN_words.sql`);
    const sql = await readFile(path.join(dir, name), 'utf8');
    files.push({
      version: Number(match[1]),
      name,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  files.forEach((f, i) => {
    if (f.version !== i + 1)
      throw new MigrationError(`migrations must be numbered 1..n without gaps; found ${f.name}`);
  });
  return files;
}

export async function migrationsChecksum(dir: string): Promise<string> {
  const files = await readMigrations(dir);
  return createHash('sha256')
    .update(files.map((f) => `${f.name}:${f.checksum}`).join('\n'))
    .digest('hex');
}

export async function runMigrations(pool: Pool, dir: string): Promise<{ applied: string[] }> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists schema_migrations (
      version integer primary key, name text not null, checksum text not null,
      applied_at timestamptz not null default now())`);
    const { rows } = await client.query<{ version: number; name: string; checksum: string }>(
      'select version, name, checksum from schema_migrations order by version',
    );
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const file of files) {
      const prior = done.get(file.version);
      if (prior) {
        if (prior.checksum !== file.checksum) {
          throw new MigrationError(
            `migration ${file.name} was edited after it was applied; add a new file instead`,
          );
        }
        continue;
      }
      try {
        await client.query('begin');
        await client.query(file.sql);
        await client.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          file.version,
          file.name,
          file.checksum,
        ]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw new MigrationError(`migration ${file.name} failed: ${(err as Error).message}`);
      }
      applied.push(file.name);
    }
    const unknown = rows.filter((r) => !files.some((f) => f.version === r.version));
    if (unknown.length > 0) {
      throw new MigrationError(
        `database has migrations this code does not know: ${unknown.map((u) => u.name).join(', ')}`,
      );
    }
    return { applied };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}

/** Creates the database named in the URL if it does not exist (for a fresh machine). */
export async function ensureDatabase(databaseUrl: string, connect: (url: string) => Pool): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-zA-Z0-9_]+$/.test(name))
    throw new MigrationError(`database name "${name}" has unexpected characters`);
  url.pathname = '/postgres';
  const admin = connect(url.toString());
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`create database "${name}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created by a concurrent process meanwhile
      });
    }
  } finally {
    await admin.end();
  }
}
