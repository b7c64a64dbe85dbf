import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/private-redis.js';

/**
 * The Postgres a chaos run starts for itself and may kill: a cluster of its own made with Debian's initdb/pg_ctl
 * when they are there (as the `postgres` user when run as root). Its Redis is a durable PrivateRedis
 * (scripts/support/private-redis.ts).
 */

const run = promisify(execFile);

function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

export interface ChaosPostgres {
  url: string;
  /** false when the run uses the local server (with a database of its own), which it must not restart */
  restartable: boolean;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A private cluster when one can be made, otherwise a database of this run's own on the local server. */
export async function startPostgres(dir: string, log: (l: string) => void): Promise<ChaosPostgres> {
  const bin = pgBinDir();
  const asRoot = process.getuid?.() === 0;
  if (bin) {
    try {
      const port = await freePort();
      const data = path.join(dir, 'pgdata');
      await mkdir(data, { recursive: true });
      const as = async (cmd: string, args: string[]) => {
        if (!asRoot) return run(path.join(bin, cmd), args);
        return run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]);
      };
      if (asRoot) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: gid } = await run('id', ['-g', 'postgres']);
        await chown(dir, Number(stdout.trim()), Number(gid.trim()));
        await chown(data, Number(stdout.trim()), Number(gid.trim()));
      }
      await as('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
      const start = () =>
        as('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'postgres.log'), '-w', 'start']);
      await start();
      log(`private Postgres cluster on 127.0.0.1:${port}`);
      return {
        url: `postgres://postgres@127.0.0.1:${port}/chaos`,
        restartable: true,
        async restart() {
          // immediate: the server stops as if it crashed, and recovers from its WAL on start.
          await as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
          await start();
        },
        async stop() {
          await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
        },
      };
    } catch (error) {
      log(`no private Postgres cluster (${(error as Error).message.split('\n')[0]}); using the local server`);
    }
  }
  const name = `enf_chaos_${process.pid}`;
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    restartable: false,
    async restart() {
      throw new Error('the local Postgres is shared and is not restarted');
    },
    async stop() {
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`).finally(() => admin.end());
    },
  };
}
