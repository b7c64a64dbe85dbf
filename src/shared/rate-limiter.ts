import type { Redis } from 'ioredis';
import { TooManyRequestsError } from './errors.js';

/**
 * A fixed-window counter in Redis, for limits that need a key the HTTP plugin cannot see (an account, a notice
 * token, a whole address across accounts). Shared by every API process, so limits hold when the API scales out.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Counts one attempt; throws 429 once `max` attempts were made within the window. */
  async hit(key: string, max: number, windowS: number): Promise<void> {
    const k = `${this.prefix}:limit:${key}`;
    const [[, count], [, ttl]] = (await this.redis.multi().incr(k).ttl(k).exec()) as [
      [null, number],
      [null, number],
    ];
    if (ttl < 0) await this.redis.expire(k, windowS);
    if (count > max)
      throw new TooManyRequestsError(`too many attempts, try again in ${ttl > 0 ? ttl : windowS} s`);
  }

  /**
   * Adds `n` attempts at once (0 reads the count); the count in the window and the seconds left of it. Used by
   * BatchedRateLimiter, which counts in the process and sends its attempts here in batches.
   */
  async add(key: string, n: number, windowS: number): Promise<{ count: number; ttlS: number }> {
    const k = `${this.prefix}:limit:${key}`;
    const [[, count], [, ttl]] = (await this.redis.multi().incrby(k, n).ttl(k).exec()) as [
      [null, number],
      [null, number],
    ];
    if (ttl < 0) await this.redis.expire(k, windowS);
    return { count, ttlS: ttl > 0 ? ttl : windowS };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:limit:${key}`);
  }
}
