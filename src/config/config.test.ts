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

  it('gives each worker kind its own metrics port, off or any free one on request', () => {
    const c = loadConfig({});
    expect([c.ingestMetricsPort, c.detectMetricsPort, c.rulesMetricsPort, c.notifyMetricsPort]).toEqual([
      9101, 9102, 9103, 9104,
    ]);
    expect(c.apiMetrics).toBe(true);
    expect(c.queueBoard).toBe('read-only');
    const d = loadConfig({ DETECT_METRICS_PORT: 'off', RULES_METRICS_PORT: '0' });
    expect(d.detectMetricsPort).toBeNull();
    expect(d.rulesMetricsPort).toBe(0);
    expect(() => loadConfig({ NOTIFY_METRICS_PORT: '99999' })).toThrow(/NOTIFY_METRICS_PORT/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ QUEUE_BOARD: 'yes' })).toThrow(/QUEUE_BOARD/);
  });

  it('reads the identity provider settings and refuses a role map to no role', () => {
    const c = loadConfig({
      PUBLIC_BASE_URL: 'https://cgj.example',
      OIDC_ISSUER: 'https://id.example',
      OIDC_CLIENT_ID: 'cgj',
      OIDC_ROLE_MAP: 'cgj-legal=legal_reviewer, cgj-admin=admin',
      OIDC_DISTRICT_MAP: '310115=pudong',
    });
    expect(c.oidcRedirectUrl).toBe('https://cgj.example/auth/oidc/callback');
    expect(c.oidcRoleMap).toEqual({ 'cgj-legal': 'legal_reviewer', 'cgj-admin': 'admin' });
    expect(c.oidcDistrictMap).toEqual({ '310115': 'pudong' });
    expect(() => loadConfig({ OIDC_ISSUER: 'https://id.example' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => loadConfig({ OIDC_ROLE_MAP: 'cgj=superuser' })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => loadConfig({ OIDC_ROLE_MAP: 'no-equals-sign' })).toThrow(/OIDC_ROLE_MAP/);
    expect(() => loadConfig({ OIDC_SCOPES: 'profile email' })).toThrow(/OIDC_SCOPES/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40), OIDC_ALLOW_HTTP: 'true' }),
    ).toThrow(/OIDC_ALLOW_HTTP/);
  });
});
