import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** Redis and the BullMQ queues every worker serves. */
export const queuesSchema = {
  redisUrl: Type.String({ pattern: '^rediss?://', description: 'REDIS_URL' }),
  queuePrefix: Type.String({
    pattern: '^[a-zA-Z0-9_:-]{1,64}$',
    description: 'QUEUE_PREFIX: BullMQ key prefix',
  }),
  jobLockMs: Type.Integer({
    minimum: 1_000,
    maximum: 600_000,
    description:
      'JOB_LOCK_MS: how long a job stays locked without renewal (jobs with a longer lock of their own keep it); a job held by a process that died is taken again after this, checked as often',
  }),
};

export function readQueues(env: EnvReader) {
  return {
    redisUrl: env.get('REDIS_URL', 'redis://127.0.0.1:6379'),
    queuePrefix: env.get('QUEUE_PREFIX', 'enf'),
    jobLockMs: env.int('JOB_LOCK_MS', 30_000),
  };
}
