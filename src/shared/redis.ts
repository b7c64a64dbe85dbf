import { Redis } from 'ioredis';

/**
 * BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must wait out a Redis restart); clients
 * that answer requests (readiness, rate limits) should fail fast instead, so they get a small retry budget.
 */
export function createRedis(url: string, purpose: 'worker' | 'request'): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    connectTimeout: 5_000,
    lazyConnect: false,
  });
  // Connection loss is reported by the commands that fail (and by readiness); ioredis reconnects by itself.
  client.on('error', () => undefined);
  return client;
}
