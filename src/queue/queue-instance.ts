import type { Redis } from 'ioredis';

/**
 * One queue prefix serves one database. The first process to start writes the database's instance id under
 * `<prefix>:instance`; a process of another database (a second deployment, a fresh database pointed at an old
 * Redis) finds a different id there and must not take those jobs: it would judge, file and send against rows that
 * are not the ones the jobs name.
 */

export class QueueInstanceError extends Error {
  override name = 'QueueInstanceError';
  constructor(
    readonly prefix: string,
    readonly ours: string,
    readonly holder: string,
  ) {
    super(
      `Redis holds the jobs of another instance under the queue prefix "${prefix}" (instance ${holder}; this database is instance ${ours}): ` +
        'give this deployment its own QUEUE_PREFIX, or delete the keys of the old one',
    );
  }
}

const CLAIM = `local held = redis.call('get', KEYS[1])
if not held then redis.call('set', KEYS[1], ARGV[1]) return ARGV[1] end
return held`;

export const instanceKey = (prefix: string): string => `${prefix}:instance`;

/** Claims the prefix for this instance, or throws naming the instance that holds it. */
export async function claimQueuePrefix(redis: Redis, prefix: string, instanceId: string): Promise<void> {
  const holder = (await redis.eval(CLAIM, 1, instanceKey(prefix), instanceId)) as string;
  if (holder !== instanceId) throw new QueueInstanceError(prefix, instanceId, holder);
}

/**
 * Claims the prefix now and again each time the connection is ready after a reconnect (a Redis that restarted
 * empty has lost the claim; another deployment may have taken the prefix meanwhile). `onForeign` hears of a
 * claim lost to another instance after start; the first claim throws instead.
 */
export async function holdQueuePrefix(
  redis: Redis,
  prefix: string,
  instanceId: string,
  onForeign: (error: QueueInstanceError) => void,
  onError: (error: Error) => void,
): Promise<() => void> {
  await claimQueuePrefix(redis, prefix, instanceId);
  const again = () => {
    claimQueuePrefix(redis, prefix, instanceId).catch((error: Error) =>
      error instanceof QueueInstanceError ? onForeign(error) : onError(error),
    );
  };
  redis.on('ready', again);
  return () => redis.off('ready', again);
}
