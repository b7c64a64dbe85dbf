import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** The citizen portal: notice links, sessions and the limits that keep guessing and crawling slow. */
export const portalSchema = {
  portalTokenTtlDays: Type.Integer({
    minimum: 1,
    maximum: 730,
    description: 'PORTAL_TOKEN_TTL_DAYS: how long a notice link works',
  }),
  portalSessionTtlMinutes: Type.Integer({
    minimum: 5,
    maximum: 24 * 60,
    description: 'PORTAL_SESSION_TTL_MINUTES',
  }),
  portalVerifyLimitPerToken: Type.Integer({
    minimum: 1,
    maximum: 100,
    description: 'PORTAL_VERIFY_LIMIT_PER_TOKEN: second-factor tries per link per 15 minutes',
  }),
  portalVerifyLimitPerAddress: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    description: 'PORTAL_VERIFY_LIMIT_PER_ADDRESS: second-factor tries per client address per 15 minutes',
  }),
  portalVerifyFloorMs: Type.Integer({
    minimum: 0,
    maximum: 5_000,
    description: 'PORTAL_VERIFY_FLOOR_MS: every second-factor answer takes at least this long',
  }),
  portalRequestsPerMinute: Type.Integer({
    minimum: 10,
    maximum: 100_000,
    description:
      'PORTAL_REQUESTS_PER_MINUTE: pages, documents and images one portal session may ask for per minute',
  }),
};

export function readPortal(env: EnvReader) {
  return {
    portalTokenTtlDays: env.int('PORTAL_TOKEN_TTL_DAYS', 120),
    portalSessionTtlMinutes: env.int('PORTAL_SESSION_TTL_MINUTES', 30),
    portalVerifyLimitPerToken: env.int('PORTAL_VERIFY_LIMIT_PER_TOKEN', 5),
    portalVerifyLimitPerAddress: env.int('PORTAL_VERIFY_LIMIT_PER_ADDRESS', 30),
    portalVerifyFloorMs: env.int('PORTAL_VERIFY_FLOOR_MS', 250),
    portalRequestsPerMinute: env.int('PORTAL_REQUESTS_PER_MINUTE', 120),
  };
}
