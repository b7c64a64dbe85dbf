import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { createAuthService } from '../../src/auth/auth.service.js';
import { hashPassword } from '../../src/auth/password.js';
import type { StaffRole } from '../../src/auth/principal.js';
import { insertStaffUser } from '../../src/auth/staff-user.repo.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Pool } from '../../src/db/pool.js';
import { buildApp } from '../../src/app/api.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/shared/redis.js';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { REPO_ROOT, SHARED_DIR } from '../../src/shared/paths.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { createBlobStore } from '../../src/storage/create-blob-store.js';
import os from 'node:os';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { createTestDatabase, uniqueQueuePrefix, type TestDatabase } from './test-db.js';

export interface TestContext {
  db: TestDatabase;
  pool: Pool;
  redis: Redis;
  queues: Queues;
  config: Config;
  /** The filesystem store under DATA_DIR unless the env passed in says BLOB_STORE=s3. */
  blobs: BlobStore;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** A real app on a fresh database and queue prefix, for one test file. */
export async function createTestContext(
  env: Record<string, string> = {},
  options: { logStream?: DestinationStream } = {},
): Promise<TestContext> {
  const db = await createTestDatabase();
  const prefix = uniqueQueuePrefix();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    QUEUE_PREFIX: prefix,
    DATA_DIR: path.join(os.tmpdir(), `enf-${prefix}`),
    ...env,
  });
  const redis = createRedis(config.redisUrl, 'request');
  // The request client has no offline queue: a rate limit checked before it connects would fail the request.
  if (redis.status !== 'ready') await once(redis, 'ready');
  const workerRedis = createRedis(config.redisUrl, 'worker');
  const queues = new Queues(workerRedis, prefix);
  const blobs = createBlobStore(config, db.pool);
  const app = await buildApp(
    {
      config,
      pool: db.pool,
      redis,
      queues,
      blobs,
      cameraPolicy: accessPolicyFromEnv({
        CAMERA_ALLOW_LOOPBACK: 'true',
        CAMERA_LOCAL_FILE_ROOTS: [SHARED_DIR, REPO_ROOT, os.tmpdir()].join(','),
        CAMERA_FOLDER_ROOTS: os.tmpdir(),
        ...env,
      }),
      auth: createAuthService(db.pool, config.sessionTtlMinutes, {
        maxFailures: config.loginLockoutFailures,
        lockMinutes: config.loginLockoutMinutes,
      }),
    },
    options.logStream ? { logger: { level: 'info' }, logStream: options.logStream } : { logger: false },
  );
  await app.ready();
  return {
    db,
    pool: db.pool,
    redis,
    queues,
    config,
    blobs,
    app,
    async close() {
      await app.close();
      await queues.close();
      // remove this file's keys so repeated runs leave Redis clean
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      workerRedis.disconnect();
      await db.drop();
      await rm(config.dataDir, { recursive: true, force: true });
    },
  };
}

export async function seedDistrict(pool: Pool, id: string, name = id): Promise<void> {
  await pool.query(
    'insert into districts (id, name, case_prefix) values ($1, $2, $3) on conflict do nothing',
    [id, name, id.slice(0, 2)],
  );
}

// Hashing is deliberately slow; tests that seed many users share one hash per password.
const hashes = new Map<string, Promise<string>>();

export async function seedStaff(
  pool: Pool,
  username: string,
  role: StaffRole,
  districtId: string | null,
  password = 'a long test password',
): Promise<{ id: string; username: string; password: string }> {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  const id = await insertStaffUser(pool, {
    username,
    displayName: username,
    passwordHash: await hashes.get(password)!,
    role,
    districtId,
  });
  return { id, username, password };
}

/** A signed-in browser-like client: keeps cookies and sends the CSRF token on state-changing requests. */
export class TestClient {
  private cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly app: FastifyInstance) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    if (method !== 'GET' && !this.csrf) {
      const r = await this.app.inject({
        method: 'GET',
        url: '/auth/csrf',
        headers: { cookie: this.cookieHeader() },
      });
      this.keepCookies(r.headers['set-cookie']);
      this.csrf = (r.json() as { token: string }).token;
    }
    const res = await this.app.inject({
      method,
      url,
      payload: body as never,
      headers: {
        cookie: this.cookieHeader(),
        ...(method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
    });
    this.keepCookies(res.headers['set-cookie']);
    return res;
  }

  async login(username: string, password: string) {
    const res = await this.request('POST', '/auth/login', { username, password });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    return this;
  }
}
