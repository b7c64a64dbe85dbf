import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** The process itself and the API's HTTP listener. */
export const serverSchema = {
  nodeEnv: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    description: 'NODE_ENV',
  }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { description: 'LOG_LEVEL' },
  ),
  httpHost: Type.String({ minLength: 1, description: 'HTTP_HOST: address the API listens on' }),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535, description: 'HTTP_PORT' }),
  publicBaseUrl: Type.String({ pattern: '^https?://', description: 'PUBLIC_BASE_URL: used in notice links' }),
  trustProxy: Type.Boolean({ description: 'TRUST_PROXY: honour X-Forwarded-For from a reverse proxy' }),
};

export function readServer(env: EnvReader) {
  const httpPort = env.int('HTTP_PORT', 3000);
  return {
    nodeEnv: env.nodeEnv,
    logLevel: env.get('LOG_LEVEL', env.nodeEnv === 'test' ? 'warn' : 'info'),
    httpHost: env.get('HTTP_HOST', '127.0.0.1'),
    httpPort,
    publicBaseUrl: env.get('PUBLIC_BASE_URL', `http://localhost:${httpPort}`),
    trustProxy: env.bool('TRUST_PROXY', false),
  };
}

/** The public base URL without a trailing slash, for building links under it. */
export const baseUrl = (server: { publicBaseUrl: string }): string => server.publicBaseUrl.replace(/\/$/, '');
