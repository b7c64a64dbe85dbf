import type { Redis } from 'ioredis';
import { createAuthService } from './auth/auth.service.js';
import { loadConfigOrExit, type Config } from './config/config.js';
import { accessPolicyFromEnv, type CompiledAccessPolicy } from './ingest/access-policy.js';
import { createPool, type Pool } from './db/pool.js';
import type { AppDeps } from './http/deps.js';
import { Queues } from './queue/queues.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createRedis } from './shared/redis.js';
import type { BlobStore } from './storage/blob-store.js';
import { createBlobStore } from './storage/create-blob-store.js';

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
  close(): Promise<void>;
}

export function createRuntime(processName: string, env: NodeJS.ProcessEnv = process.env): Runtime {
  const config = loadConfigOrExit(env);
  const logger = createLogger(config.logLevel, processName);
  let cameraPolicy: CompiledAccessPolicy;
  try {
    cameraPolicy = accessPolicyFromEnv(env);
  } catch (err) {
    console.error(`configuration error: ${(err as Error).message}`);
    process.exit(78);
  }
  const pool = createPool(config.databaseUrl, config.databasePoolSize);
  const redis = createRedis(config.redisUrl, 'request');
  const queueRedis = createRedis(config.redisUrl, 'worker');
  const queues = new Queues(queueRedis, config.queuePrefix);
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
      auth: createAuthService(pool, config.sessionTtlMinutes),
    }),
    async close() {
      await queues.close();
      await pool.end();
      redis.disconnect();
      queueRedis.disconnect();
    },
  };
}
