import { Type } from '@sinclair/typebox';
import { ConfigError, type EnvReader } from './env.js';

/** A development secret so a fresh checkout can sign hotline requests; production refuses it. */
export const DEV_HOTLINE_SECRET = 'development-only-hotline-secret-0123456789';

/** The city hotline (12345): the shared secret its complaint hand-overs are signed with. */
export const hotlineSchema = {
  hotlineSecret: Type.String({
    description:
      'HOTLINE_SECRET: HMAC key shared with the city hotline system for POST /api/hotline/complaints (at least 16 characters; empty refuses every hand-over)',
  }),
};

export function readHotline(env: EnvReader) {
  const hotlineSecret = env.get('HOTLINE_SECRET', env.production ? '' : DEV_HOTLINE_SECRET);
  if (env.production && hotlineSecret === DEV_HOTLINE_SECRET)
    throw new ConfigError('HOTLINE_SECRET must be set to a private value in production');
  if (hotlineSecret && hotlineSecret.length < 16)
    throw new ConfigError('invalid configuration: HOTLINE_SECRET must have at least 16 characters');
  return { hotlineSecret };
}
