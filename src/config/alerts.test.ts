import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS } from './alerts.js';
import { ConfigError, loadConfig } from './config.js';

describe('alert settings', () => {
  it('have working defaults', () => {
    expect(loadConfig({}).alerts).toEqual(DEFAULT_ALERT_SETTINGS);
  });

  it('read numbers, lists and switches', () => {
    const a = loadConfig({
      ALERT_VOLUME_Z: '3.5',
      ALERT_FP_RATE: '0.25',
      ALERT_FP_RESOLVE_RATE: '0.2',
      ALERT_CHANNELS: 'sms, webhook',
      ALERT_WEBHOOK_URL: 'https://hooks.example.gov.cn/alerts',
      ALERT_WEBHOOK_SECRET: 's3cret',
      ALERT_WEBHOOK_ALLOW_PRIVATE: 'true',
    }).alerts;
    expect(a).toMatchObject({
      volumeZ: 3.5,
      fpRate: 0.25,
      channels: ['sms', 'webhook'],
      webhookAllowPrivate: true,
    });
  });

  it.each([
    [{ ALERT_CAMERA_OFFLINE_S: 'ten' }, /ALERT_CAMERA_OFFLINE_S/],
    [{ ALERT_EVALUATE_EVERY_S: '1' }, /ALERT_EVALUATE_EVERY_S/],
    [{ ALERT_FP_RATE: '2' }, /ALERT_FP_RATE/],
    [{ ALERT_CHANNELS: 'sms,fax' }, /ALERT_CHANNELS/],
    [{ ALERT_VOLUME_RESOLVE_Z: '5' }, /ALERT_VOLUME_RESOLVE_Z/],
    [{ ALERT_VOLUME_MIN_WEEKS: '9' }, /ALERT_VOLUME_MIN_WEEKS/],
    [{ ALERT_WEBHOOK_URL: 'https://hooks.example.gov.cn/a' }, /ALERT_WEBHOOK_SECRET/],
    [{ ALERT_WEBHOOK_URL: 'http://', ALERT_WEBHOOK_SECRET: 'x' }, /ALERT_WEBHOOK_URL/],
    [{ ALERT_WEBHOOK_URL: 'ftp://hooks.example.gov.cn/a', ALERT_WEBHOOK_SECRET: 'x' }, /ALERT_WEBHOOK_URL/],
  ])('refuse %j naming the variable', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
