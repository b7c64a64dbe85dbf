import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { BlobStore } from './blob-store.js';
import { postgresBlobKeyLock } from './blob-key-lock.repo.js';
import { FsBlobStore } from './fs-blob-store.adapter.js';
import { createS3Client, S3BlobStore } from './s3-blob-store.adapter.js';

export type BlobStoreConfig = Pick<
  Config,
  | 'blobStore'
  | 'dataDir'
  | 's3Endpoint'
  | 's3Bucket'
  | 's3Region'
  | 's3AccessKeyId'
  | 's3SecretAccessKey'
  | 's3ForcePathStyle'
  | 's3KeyPrefix'
  | 's3ConditionalWrites'
  | 's3ConnectTimeoutMs'
  | 's3RequestTimeoutMs'
  | 's3MaxAttempts'
>;

/**
 * The blob store every process of one deployment shares: a directory (which must then be the same filesystem for
 * every process, e.g. one machine or an NFS mount) or an S3 bucket. The Postgres pool serialises "create unless it
 * exists" on stores that ignore conditional writes.
 */
export function createBlobStore(config: BlobStoreConfig, pool: Pool): BlobStore {
  if (config.blobStore === 'fs') return new FsBlobStore(config.dataDir);
  return new S3BlobStore({
    client: createS3Client({
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      accessKeyId: config.s3AccessKeyId,
      secretAccessKey: config.s3SecretAccessKey,
      forcePathStyle: config.s3ForcePathStyle,
      connectTimeoutMs: config.s3ConnectTimeoutMs,
      requestTimeoutMs: config.s3RequestTimeoutMs,
      maxAttempts: config.s3MaxAttempts,
    }),
    bucket: config.s3Bucket,
    keyPrefix: config.s3KeyPrefix,
    conditionalWrites: config.s3ConditionalWrites,
    keyLock: postgresBlobKeyLock(pool),
  });
}
