import { Type } from '@sinclair/typebox';
import { ConfigError, type EnvReader } from './env.js';

/**
 * Credit publication's export to the public credit platform, and the sender of complaint replies (both run by
 * the notify worker). No real endpoint is assumed: each target is off until configured.
 */
export const creditSchema = {
  creditPlatform: Type.Union([Type.Literal('off'), Type.Literal('file'), Type.Literal('http')], {
    description:
      'CREDIT_PLATFORM: off, file (batches written to CREDIT_EXPORT_DIR) or http (pushed to CREDIT_PLATFORM_URL)',
  }),
  creditExportDir: Type.String({ description: 'CREDIT_EXPORT_DIR: folder of the file export' }),
  creditExportFormat: Type.Union([Type.Literal('jsonl'), Type.Literal('csv')], {
    description: 'CREDIT_EXPORT_FORMAT: jsonl or csv',
  }),
  creditPlatformUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'CREDIT_PLATFORM_URL: where the HTTP push posts (the outbound URL guard applies)',
  }),
  creditPlatformSecret: Type.String({
    description: 'CREDIT_PLATFORM_SECRET: HMAC key of the push (16+ characters)',
  }),
  creditSweepIntervalS: Type.Integer({
    minimum: 10,
    maximum: 86_400,
    description: 'CREDIT_SWEEP_INTERVAL_S: how often decisions are published and changes exported',
  }),
  hotlineReplyUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description:
      'HOTLINE_REPLY_URL: where complaint outcomes are pushed to the hotline (signed with HOTLINE_SECRET); empty: the hotline fetches them',
  }),
  complaintReplyIntervalS: Type.Integer({
    minimum: 5,
    maximum: 86_400,
    description: 'COMPLAINT_REPLY_INTERVAL_S: how often waiting complaint replies are sent',
  }),
};

export function readCredit(env: EnvReader) {
  const creditPlatform = env.get('CREDIT_PLATFORM', 'off');
  const creditPlatformSecret = env.get('CREDIT_PLATFORM_SECRET', '');
  const creditPlatformUrl = env.get('CREDIT_PLATFORM_URL', '');
  if (creditPlatform === 'http' && (!creditPlatformUrl || creditPlatformSecret.length < 16))
    throw new ConfigError(
      'invalid configuration: CREDIT_PLATFORM=http needs CREDIT_PLATFORM_URL and a CREDIT_PLATFORM_SECRET of 16+ characters',
    );
  return {
    creditPlatform,
    creditExportDir: env.get('CREDIT_EXPORT_DIR', 'data/credit-export'),
    creditExportFormat: env.get('CREDIT_EXPORT_FORMAT', 'jsonl'),
    creditPlatformUrl,
    creditPlatformSecret,
    creditSweepIntervalS: env.int('CREDIT_SWEEP_INTERVAL_S', 300),
    hotlineReplyUrl: env.get('HOTLINE_REPLY_URL', ''),
    complaintReplyIntervalS: env.int('COMPLAINT_REPLY_INTERVAL_S', 60),
  };
}
