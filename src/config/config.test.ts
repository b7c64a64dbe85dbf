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
});
