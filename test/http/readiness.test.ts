import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { createAuthService } from '../../src/auth/auth.service.js';
import { loadConfig } from '../../src/config/config.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { buildApp } from '../../src/app/api.js';
import { Queues } from '../../src/queue/queues.js';
import { createRedis } from '../../src/shared/redis.js';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { TestClient } from '../support/test-app.js';

/**
 * Readiness against services that really go away: a redis-server of this test's own, killed and started again, and
 * the real Postgres, cut off and restored. Both are reached through a TCP relay that listens on one port for the
 * whole test: a port given back and bound again later could meanwhile be taken by anyone on this machine.
 */
function startRedis(socketPath: string): Promise<ChildProcess> {
  // A unix socket only (port 0: no TCP at all), in this test's own directory: nothing else can take it.
  const child = spawn(
    'redis-server',
    ['--port', '0', '--unixsocket', socketPath, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let said = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      said += d.toString();
      if (/ready to accept connections/i.test(said)) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`redis-server exited (${code ?? signal}): ${said}`)));
  });
}

/** Kills a process and resolves once it is gone. */
async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Forwards TCP connections to a target; while cut, it drops every connection at once, like a dead service. */
class Relay {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private cutOff = false;
  port = 0;

  constructor(private readonly target: net.NetConnectOpts) {
    this.server = net.createServer((client) => {
      if (this.cutOff) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      // A dead upstream (refused, reset) closes the client's side too, so the client sees the loss.
      upstream.on('close', () => client.destroy());
      client.on('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
  }

  async open(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((r) => this.server.close(r));
  }
}

let db: TestDatabase;
let app: FastifyInstance;
let pool: Pool;
let requestRedis: Redis;
let redis: ChildProcess;
let scratch: string;
let redisSocket: string;
let redisRelay: Relay;
let relay: Relay;

/** A sign-in attempt (Redis for its rate limit, then Postgres for the account) while a service is away. */
async function signInWhileAway() {
  const res = await new TestClient(app).request('POST', '/auth/login', {
    username: 'someone',
    password: 'a password long enough',
  });
  return {
    status: res.statusCode,
    code: (res.json() as { error?: string }).error,
    retry: res.headers['retry-after'],
  };
}

async function ready() {
  const res = await app.inject({ method: 'GET', url: '/health/ready' });
  return { code: res.statusCode, body: res.json() };
}

/** Asks until the answer is the one awaited; the bound is far beyond a reconnect on a busy machine. */
async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T = await fn();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    last = await fn();
  }
  return last;
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'readiness-'));
  redisSocket = path.join(scratch, 'redis.sock');
  redis = await startRedis(redisSocket);
  redisRelay = new Relay({ path: redisSocket });
  await redisRelay.open();
  relay = new Relay({ host: '127.0.0.1', port: 5432 });
  await relay.open();
  db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    REDIS_URL: `redis://127.0.0.1:${redisRelay.port}`,
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
  await relay.close().catch(() => undefined);
  await redisRelay.close().catch(() => undefined);
  if (redis) await kill(redis);
  await db.drop();
  await rm(scratch, { recursive: true, force: true });
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
  }, 60_000);

  it('reports Redis down, with the reason, and recovers when it returns', async () => {
    await kill(redis);
    const down = await eventually(
      ready,
      (r) => r.code === 503 && !r.body.checks.redis.ok && r.body.checks.postgres.ok,
    );
    expect(down.code).toBe(503);
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.redis.error).toBeTruthy();
    expect(down.body.checks.postgres.ok).toBe(true);
    // a request that needs Redis is told to come back, not given a 500
    expect(await signInWhileAway()).toEqual({ status: 503, code: 'service_unavailable', retry: '10' });
    redis = await startRedis(redisSocket);
    const back = await eventually(ready, (r) => r.code === 200);
    expect(back.body.status).toBe('ready');
  }, 120_000);

  it('reports Postgres down, with the reason, and recovers when it returns', async () => {
    relay.cut();
    const down = await eventually(
      ready,
      (r) => r.code === 503 && !r.body.checks.postgres.ok && r.body.checks.redis.ok,
    );
    expect(down.body.checks.postgres.ok).toBe(false);
    expect(down.body.checks.postgres.error).toBeTruthy();
    expect(down.body.checks.redis.ok).toBe(true);
    // a request that needs Postgres is told to come back, not given a 500
    expect(await signInWhileAway()).toEqual({ status: 503, code: 'service_unavailable', retry: '10' });
    relay.restore();
    const back = await eventually(ready, (r) => r.code === 200);
    expect(back.body.status).toBe('ready');
  }, 120_000);
});
