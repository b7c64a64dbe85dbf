import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { buildApp } from '../../src/app/api.js';
import { createAuthService } from '../../src/auth/auth.service.js';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { loadConfig } from '../../src/config/config.js';
import type { Pool } from '../../src/db/pool.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/shared/redis.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';

/**
 * The API as the benchmarks run it: the real app on a benchmark's own database, queue prefix and data folder,
 * logging nothing. `close()` stops the app and its Redis connection (the database is the benchmark's to drop).
 */
export async function benchApp(opts: {
  pool: Pool;
  databaseUrl: string;
  dataDir: string;
  /** the queue prefix's stem; the process id is added */
  prefix: string;
  blobs?: BlobStore;
}): Promise<{ app: FastifyInstance; redis: Redis; close(): Promise<void> }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: opts.databaseUrl,
    QUEUE_PREFIX: `${opts.prefix}${process.pid}`,
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: 'silent',
  });
  const redis = createRedis(config.redisUrl, 'request');
  const app = await buildApp(
    {
      config,
      pool: opts.pool,
      redis,
      queues: new Queues(redis, config.queuePrefix),
      blobs: opts.blobs ?? new FsBlobStore(opts.dataDir),
      cameraPolicy: accessPolicyFromEnv({}),
      auth: createAuthService(opts.pool, 60),
    },
    { logger: false },
  );
  return {
    app,
    redis,
    async close() {
      await app.close();
      redis.disconnect();
    },
  };
}

const cookieOf = (setCookie: string | string[] | undefined): string =>
  [setCookie ?? []]
    .flat()
    .map((c) => c.split(';')[0])
    .join('; ');

/** Signs a member of staff in through the app's own routes; the cookie header of the session. */
export async function benchSignIn(app: FastifyInstance, username: string, password: string): Promise<string> {
  const csrf = await app.inject({ method: 'GET', url: '/auth/csrf' });
  const csrfCookie = cookieOf(csrf.headers['set-cookie']);
  const res = await app.inject({
    method: 'POST',
    url: '/auth/login',
    headers: { cookie: csrfCookie, 'x-csrf-token': (csrf.json() as { token: string }).token },
    payload: { username, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body.slice(0, 200)}`);
  return `${csrfCookie}; ${cookieOf(res.headers['set-cookie'])}`;
}
