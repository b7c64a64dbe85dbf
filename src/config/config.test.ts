import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig, loadConfigOrExit } from './config.js';

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

  it('reads the rules worker section and names the variable of a bad value', () => {
    expect(loadConfig({}).rulesWorker).toMatchObject({ frameRetentionMinutes: 60, gapTimeoutSeconds: 90 });
    expect(loadConfig({ RULES_GAP_TIMEOUT_SECONDS: '20' }).rulesWorker.gapTimeoutSeconds).toBe(20);
    expect(() => loadConfig({ FRAME_RETENTION_MINUTES: 'an hour' })).toThrow(/FRAME_RETENTION_MINUTES/);
    expect(() => loadConfig({ EVIDENCE_CONCURRENCY: '17' })).toThrow(ConfigError);
    expect(() => loadConfig({ EVIDENCE_CONCURRENCY: '17' })).toThrow(/EVIDENCE_CONCURRENCY/);
  });

  it('reads the voice call setting of warnings (off unless asked for) and names a bad value', () => {
    expect(loadConfig({}).warningVoiceCall).toBe('off');
    expect(loadConfig({ WARNING_VOICE_CALL: 'task' }).warningVoiceCall).toBe('task');
    expect(() => loadConfig({ WARNING_VOICE_CALL: 'robot' })).toThrow(/WARNING_VOICE_CALL/);
  });

  it('reads the detect worker section and names the variable of a bad value', () => {
    expect(loadConfig({ DETECT_CONCURRENCY: '2' }).detectConcurrency).toBe(2);
    expect(() => loadConfig({ DETECT_THREADS: 'many' })).toThrow(/DETECT_THREADS/);
    expect(() => loadConfig({ DETECT_CONCURRENCY: '0' })).toThrow(/DETECT_CONCURRENCY/);
    expect(() => loadConfig({ DETECT_MODEL: '../elsewhere' })).toThrow(/DETECT_MODEL/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(40), DETECT_FAULT_HOLD_RUN_MS: '5' }),
    ).toThrow(/DETECT_FAULT_/);
  });

  it('reads the camera access section and names the variable of a bad value', () => {
    const c = loadConfig({
      CAMERA_ALLOW_CIDRS: '203.0.113.0/24, 198.51.100.7',
      CAMERA_ALLOW_LOOPBACK: 'true',
    });
    expect(c.cameraAccess.allowCidrs).toEqual(['203.0.113.0/24', '198.51.100.7']);
    expect(c.cameraAccess.allowLoopback).toBe(true);
    expect(c.cameraAccess.allowPrivate).toBe(true);
    expect(() => loadConfig({ CAMERA_DENY_CIDRS: '10.0.0.0/8,nonsense' })).toThrow(/CAMERA_DENY_CIDRS/);
    expect(() => loadConfig({ CAMERA_FOLDER_ROOTS: 'relative/dir' })).toThrow(/CAMERA_FOLDER_ROOTS/);
    expect(() => loadConfig({ CAMERA_ALLOW_MULTICAST: 'perhaps' })).toThrow(/CAMERA_ALLOW_MULTICAST/);
  });

  it('reads the document font from the configuration', () => {
    expect(loadConfig({})).toMatchObject({ documentCjkFont: '', documentCjkFontName: '' });
    const c = loadConfig({ DOCUMENT_CJK_FONT: '/fonts/a.ttc', DOCUMENT_CJK_FONT_NAME: 'A-Regular' });
    expect(c).toMatchObject({ documentCjkFont: '/fonts/a.ttc', documentCjkFontName: 'A-Regular' });
  });

  it('stops a process with exit code 78 and the variable named', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => {
      throw new Error('exited');
    }) as never);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(() => loadConfigOrExit({ RULES_CONCURRENCY: '0' })).toThrow('exited');
      expect(exit).toHaveBeenCalledWith(78);
      expect(error).toHaveBeenCalledWith(expect.stringMatching(/RULES_CONCURRENCY/));
    } finally {
      exit.mockRestore();
      error.mockRestore();
    }
  });
});
