import type { Redis } from 'ioredis';
import { createAuthService } from '../auth/auth.service.js';
import { loadConfigOrExit, type Config } from '../config/config.js';
import type { Environment } from '../config/env.js';
import { compileAccessPolicy, type CompiledAccessPolicy } from '../ingest/access-policy.js';
import { createPool, type Pool } from '../db/pool.js';
import type { AppDeps } from './deps.js';
import { holdQueuePrefix, QueueInstanceError } from '../queue/queue-instance.js';
import { readQueueInstanceId } from '../queue/queue-instance.repo.js';
import { Queues } from '../queue/queues.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { exitProcess } from '../shared/process-exit.js';
import { createRedis } from '../shared/redis.js';
import type { BlobStore } from '../storage/blob-store.js';
import { createBlobStore } from '../storage/create-blob-store.js';

/** The long-lived resources of one process (API or worker), created once and closed once. */
export interface Runtime {
  config: Config;
  logger: Logger;
  pool: Pool;
  /** fail-fast client for request-time use */
  redis: Redis;
  /** blocking-capable client for BullMQ queues and workers */
  queueRedis: Redis;
  queues: Queues;
  blobs: BlobStore;
  cameraPolicy: CompiledAccessPolicy;
  appDeps(): AppDeps;
  /**
   * Workers: claims the queue prefix for this database, now and after every reconnect; a prefix that holds
   * another instance's jobs stops the process (exit 78, a configuration fault that a restart does not mend).
   */
  claimQueues(): Promise<void>;
  close(): Promise<void>;
}

/** `env` defaults to the process's environment (see loadConfig). */
export function createRuntime(processName: string, env?: Environment): Runtime {
  const config = loadConfigOrExit(env);
  const logger = createLogger(config.logLevel, processName);
  // checked when the configuration was read; compiling it again cannot fail
  const cameraPolicy = compileAccessPolicy(config.cameraAccess);
  const pool = createPool(config.databaseUrl, config.databasePoolSize);
  exitOnFatal(logger);
  const redis = createRedis(config.redisUrl, 'request', logger);
  const queueRedis = createRedis(config.redisUrl, 'worker', logger);
  const queues = new Queues(queueRedis, config.queuePrefix, {
    instance: () => readQueueInstanceId(pool),
    logger,
  });
  let releaseClaim: (() => void) | null = null;
  const foreign = (error: QueueInstanceError): void => {
    logger.fatal({ prefix: error.prefix, instance: error.ours, holder: error.holder }, error.message);
    exitProcess(logger, 78);
  };
  const blobs = createBlobStore(config, pool);
  logger.info(
    config.blobStore === 's3'
      ? {
          blobStore: 's3',
          endpoint: config.s3Endpoint || 'aws',
          bucket: config.s3Bucket,
          prefix: config.s3KeyPrefix,
        }
      : { blobStore: 'fs', dataDir: config.dataDir },
    'blob store',
  );
  return {
    config,
    logger,
    pool,
    redis,
    queueRedis,
    queues,
    blobs,
    cameraPolicy,
    appDeps: () => ({
      config,
      pool,
      redis,
      queues,
      blobs,
      cameraPolicy,
      auth: createAuthService(pool, config.sessionTtlMinutes, {
        maxFailures: config.loginLockoutFailures,
        lockMinutes: config.loginLockoutMinutes,
      }),
    }),
    async claimQueues() {
      const id = await readQueueInstanceId(pool);
      try {
        releaseClaim = await holdQueuePrefix(queueRedis, config.queuePrefix, id, foreign, (err) =>
          logger.warn({ err: err.message }, 'queue prefix not claimed again; next reconnect tries'),
        );
      } catch (error) {
        if (error instanceof QueueInstanceError) foreign(error);
        throw error;
      }
      logger.info({ prefix: config.queuePrefix, instance: id }, 'queue prefix claimed');
    },
    async close() {
      releaseClaim?.();
      await queues.close();
      await pool.end();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}

/**
 * A fault nothing in the process catches leaves it in an unknown state: say so as one JSON line and exit non-zero,
 * so that the supervisor (compose, systemd, the demo) starts a fresh one.
 */
function exitOnFatal(logger: Logger): void {
  let dying = false;
  const die = (kind: string) => (err: unknown) => {
    logger.fatal({ err }, `${kind}; exiting to be restarted`);
    if (dying) return;
    dying = true;
    exitProcess(logger, 1);
  };
  process.on('uncaughtException', die('uncaught exception'));
  process.on('unhandledRejection', die('unhandled rejection'));
}
