import { Type } from '@sinclair/typebox';
import { ConfigError, type EnvReader } from './env.js';

/** Where frames, evidence and documents are kept: a directory, or an S3-compatible bucket. */
export const storageSchema = {
  dataDir: Type.String({ minLength: 1, description: 'DATA_DIR: root of the filesystem blob store' }),
  blobStore: Type.Union([Type.Literal('fs'), Type.Literal('s3')], {
    description: 'BLOB_STORE: fs (a directory under DATA_DIR, shared by every process) or s3 (a bucket)',
  }),
  s3Endpoint: Type.String({
    pattern: '^(https?://[^/]+/?)?$',
    description: 'S3_ENDPOINT: URL of an S3-compatible service; empty for Amazon S3',
  }),
  s3Bucket: Type.String({
    pattern: '^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$',
    description: 'S3_BUCKET: the bucket that holds frames, evidence and documents',
  }),
  s3Region: Type.String({ minLength: 1, description: 'S3_REGION' }),
  s3AccessKeyId: Type.String({ description: 'S3_ACCESS_KEY_ID: empty for the SDK credential chain' }),
  s3SecretAccessKey: Type.String({ description: 'S3_SECRET_ACCESS_KEY' }),
  s3ForcePathStyle: Type.Boolean({
    description: 'S3_FORCE_PATH_STYLE: address the bucket in the path (most self-hosted stores)',
  }),
  s3KeyPrefix: Type.String({
    pattern: '^([A-Za-z0-9_][A-Za-z0-9._-]*/)*$',
    description: 'S3_KEY_PREFIX: prepended to every object key, empty or ending in "/"',
  }),
  s3ConditionalWrites: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
    description: 'S3_CONDITIONAL_WRITES: whether the store honours If-None-Match: * (auto probes once)',
  }),
  s3ConnectTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    description: 'S3_CONNECT_TIMEOUT_MS',
  }),
  s3RequestTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    description: 'S3_REQUEST_TIMEOUT_MS: a request with no answer for this long fails',
  }),
  s3MaxAttempts: Type.Integer({
    minimum: 1,
    maximum: 10,
    description: 'S3_MAX_ATTEMPTS: tries per request before the operation fails',
  }),
};

export function readStorage(env: EnvReader) {
  const storage = {
    dataDir: env.get('DATA_DIR', 'var/data'),
    blobStore: env.get('BLOB_STORE', 'fs'),
    s3Endpoint: env.get('S3_ENDPOINT', ''),
    s3Bucket: env.get('S3_BUCKET', ''),
    s3Region: env.get('S3_REGION', 'us-east-1'),
    s3AccessKeyId: env.get('S3_ACCESS_KEY_ID', ''),
    s3SecretAccessKey: env.get('S3_SECRET_ACCESS_KEY', ''),
    s3ForcePathStyle: env.bool('S3_FORCE_PATH_STYLE', false),
    s3KeyPrefix: env.get('S3_KEY_PREFIX', ''),
    s3ConditionalWrites: env.get('S3_CONDITIONAL_WRITES', 'auto'),
    s3ConnectTimeoutMs: env.int('S3_CONNECT_TIMEOUT_MS', 3000),
    s3RequestTimeoutMs: env.int('S3_REQUEST_TIMEOUT_MS', 30_000),
    s3MaxAttempts: env.int('S3_MAX_ATTEMPTS', 3),
  };
  if (storage.blobStore === 's3' && storage.s3Bucket === '') {
    throw new ConfigError('invalid configuration: S3_BUCKET must be set when BLOB_STORE=s3');
  }
  if ((storage.s3AccessKeyId === '') !== (storage.s3SecretAccessKey === '')) {
    throw new ConfigError(
      'invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all',
    );
  }
  return storage;
}
