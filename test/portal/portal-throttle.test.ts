import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { BatchedRateLimiter } from '../../src/shared/batched-rate-limiter.js';
import { TooManyRequestsError } from '../../src/shared/errors.js';
import { RateLimiter } from '../../src/shared/rate-limiter.js';
import { createRedis } from '../../src/shared/redis.js';

/**
 * The per-session page limit counts in the process and sends to Redis in batches (BatchedRateLimiter): exact
 * within a process, and a second API process learns the first's count from Redis.
 */

let redis: Redis;
const prefix = `test_throttle_${randomBytes(4).toString('hex')}`;
const SEND_MS = 50;

beforeAll(async () => {
  redis = createRedis(loadConfig({}).redisUrl, 'request');
  if (redis.status !== 'ready') await once(redis, 'ready');
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'ok',
    (error: unknown) => (error instanceof TooManyRequestsError ? 429 : Promise.reject(error)),
  );

describe('the batched per-session limit', () => {
  it('lets exactly max attempts through in one process, and the count reaches Redis', async () => {
    const shared = new RateLimiter(redis, prefix);
    const limiter = new BatchedRateLimiter(shared, SEND_MS);
    const results = [];
    for (let i = 0; i < 7; i++) results.push(await outcome(limiter.hit('one', 5, 60)));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 429, 429]);
    // Concurrent attempts are counted alike.
    const burst = await Promise.all(Array.from({ length: 8 }, () => outcome(limiter.hit('burst', 5, 60))));
    expect(burst.filter((r) => r === 'ok')).toHaveLength(5);
    await sleep(SEND_MS * 3);
    expect((await shared.add('one', 0, 60)).count).toBe(7);
    expect((await shared.add('burst', 0, 60)).count).toBe(8);
    expect(await redis.ttl(`${prefix}:limit:one`)).toBeGreaterThan(50);
  });

  it("holds across processes: each learns the others' attempts from Redis", async () => {
    const a = new BatchedRateLimiter(new RateLimiter(redis, prefix), SEND_MS);
    const b = new BatchedRateLimiter(new RateLimiter(redis, prefix), SEND_MS);
    for (let i = 0; i < 6; i++) expect(await outcome(a.hit('two', 10, 60))).toBe('ok');
    await sleep(SEND_MS * 3);
    // b's first attempt of the window reads a's six from Redis.
    const fromB = [];
    for (let i = 0; i < 5; i++) fromB.push(await outcome(b.hit('two', 10, 60)));
    expect(fromB).toEqual(['ok', 'ok', 'ok', 'ok', 429]);
    // a learns b's attempts with its next send, and refuses from then on.
    await outcome(a.hit('two', 10, 60));
    await sleep(SEND_MS * 3);
    expect(await outcome(a.hit('two', 10, 60))).toBe(429);
  });
});
