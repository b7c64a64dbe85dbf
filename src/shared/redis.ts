import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/**
 * BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must wait out a Redis restart); clients
 * that answer requests (readiness, rate limits) should fail fast instead, so they get a small retry budget.
 */
export function createRedis(url: string, purpose: 'worker' | 'request', logger?: Logger): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    connectTimeout: 5_000,
    lazyConnect: false,
  });
  // Connection loss is reported by the commands that fail (and by readiness); ioredis reconnects by itself. A
  // process with a logger says so once per outage, as a JSON line, rather than once per reconnect attempt.
  let down = false;
  client.on('error', (err: Error) => {
    if (down || !logger) return;
    down = true;
    logger.warn({ redis: purpose, err: err.message }, 'redis unreachable; reconnecting');
  });
  client.on('ready', () => {
    if (down) logger?.info({ redis: purpose }, 'redis reachable again');
    down = false;
  });
  return client;
}
