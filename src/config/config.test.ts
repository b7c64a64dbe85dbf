import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives working local defaults', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toMatch(/^postgres:\/\/.*127\.0\.0\.1/);
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.httpPort).toBe(3000);
    expect(c.cookieSecure).toBe(false);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ HTTP_PORT: 'eighty' })).toThrow(/HTTP_PORT/);
    expect(() => loadConfig({ HTTP_PORT: '70000' })).toThrow(/HTTP_PORT/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ COOKIE_SECURE: 'maybe' })).toThrow(ConfigError);
  });

  it('refuses to run production with the development cookie secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/COOKIE_SECRET/);
    const c = loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40) });
    expect(c.cookieSecure).toBe(true);
  });

  it('chooses the blob store, and says which S3 setting is missing or wrong', () => {
    expect(loadConfig({}).blobStore).toBe('fs');
    const s3 = {
      BLOB_STORE: 's3',
      S3_BUCKET: 'city-evidence',
      S3_ENDPOINT: 'https://oss.example.cn',
      S3_FORCE_PATH_STYLE: 'true',
      S3_KEY_PREFIX: 'pudong/',
    };
    expect(loadConfig(s3)).toMatchObject({
      blobStore: 's3',
      s3Bucket: 'city-evidence',
      s3ForcePathStyle: true,
      s3KeyPrefix: 'pudong/',
      s3ConditionalWrites: 'auto',
    });
    expect(() => loadConfig({ BLOB_STORE: 's3' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ BLOB_STORE: 'nfs' })).toThrow(/BLOB_STORE/);
    expect(() => loadConfig({ ...s3, S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ ...s3, S3_KEY_PREFIX: 'no-slash' })).toThrow(/S3_KEY_PREFIX/);
    expect(() => loadConfig({ ...s3, S3_ENDPOINT: 'ftp://x' })).toThrow(/S3_ENDPOINT/);
    expect(() => loadConfig({ ...s3, S3_CONDITIONAL_WRITES: 'maybe' })).toThrow(/S3_CONDITIONAL_WRITES/);
    // A secret without its key id (or the other way round) is a mistake, and the message does not repeat it.
    const half = () => loadConfig({ ...s3, S3_SECRET_ACCESS_KEY: 'very-secret-value' });
    expect(half).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
    expect(half).not.toThrow(/very-secret-value/);
  });
});
