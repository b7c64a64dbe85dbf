import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { Queues } from '../queue/queues.js';
import type { AuthService } from '../auth/auth.service.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import type { BlobStore } from '../storage/blob-store.js';

/** Everything the HTTP layer needs, built once per process and passed in (tests build their own). */
export interface AppDeps {
  config: Config;
  pool: Pool;
  /** A fail-fast Redis client for request-time use (readiness, rate limits). */
  redis: Redis;
  queues: Queues;
  auth: AuthService;
  /** frames, evidence and documents */
  blobs: BlobStore;
  /** which camera URLs and paths may be used (checked when a camera is saved and on every fetch) */
  cameraPolicy: CompiledAccessPolicy;
}
