import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createAuthService } from '../../src/auth/auth.service.js';
import { loadConfig } from '../../src/config/config.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { buildApp } from '../../src/http/app.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/shared/redis.js';
import { accessPolicyFromEnv } from '../../src/ingest/access-policy.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/**
 * Readiness against services that really go away: a redis-server of this test's own on a spare port, and the real
 * Postgres reached through a TCP relay that the test can cut and restore.
 */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) resolve(child);
    });
    child.on('error', reject);
  });
}

class Relay {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}
  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
  }
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server!.close(r));
  }
}

let db: TestDatabase;
let app: FastifyInstance;
let pool: Pool;
let requestRedis: Redis;
let redis: ChildProcess;
let redisPort: number;
let relay: Relay;

async function ready() {
  const res = await app.inject({ method: 'GET', url: '/health/ready' });
  return { code: res.statusCode, body: res.json() };
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T = await fn();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    last = await fn();
  }
  return last;
}

beforeAll(async () => {
  redisPort = await freePort();
  redis = await startRedis(redisPort);
  relay = new Relay(await freePort(), 5432);
  await relay.open();
  db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${relay.port}/${db.name}`,
  });
  pool = createPool(config.databaseUrl, 4);
  requestRedis = createRedis(config.redisUrl, 'request');
  app = await buildApp(
    {
      config,
      pool,
      redis: requestRedis,
      queues: new Queues(requestRedis, 'unused'),
      blobs: new FsBlobStore(config.dataDir),
      cameraPolicy: accessPolicyFromEnv({}),
      auth: createAuthService(pool, 60),
    },
    { logger: false },
  );
}, 60_000);

afterAll(async () => {
  await app.close();
  requestRedis.disconnect();
  await pool.end().catch(() => undefined);
  await relay.cut().catch(() => undefined);
  redis.kill('SIGKILL');
  await db.drop();
});

describe('readiness', () => {
  it('is ready when both services answer', async () => {
    // a process that has not connected yet is rightly not ready; it becomes ready once both connections are up
    expect(await eventually(ready, (r) => r.code === 200)).toMatchObject({
      code: 200,
      body: { status: 'ready' },
    });
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
  });

  it('reports Redis down, with the reason, and recovers when it returns', async () => {
    redis.kill('SIGKILL');
    const down = await eventually(ready, (r) => r.code === 503);
    expect(down.code).toBe(503);
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.redis.error).toBeTruthy();
    expect(down.body.checks.postgres.ok).toBe(true);
    redis = await startRedis(redisPort);
    const back = await eventually(ready, (r) => r.code === 200);
    expect(back.body.status).toBe('ready');
  });

  it('reports Postgres down, with the reason, and recovers when it returns', async () => {
    await relay.cut();
    const down = await eventually(ready, (r) => r.code === 503);
    expect(down.body.checks.postgres.ok).toBe(false);
    expect(down.body.checks.postgres.error).toBeTruthy();
    expect(down.body.checks.redis.ok).toBe(true);
    await relay.open();
    const back = await eventually(ready, (r) => r.code === 200);
    expect(back.body.status).toBe('ready');
  });
});
