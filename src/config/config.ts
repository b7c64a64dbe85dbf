import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * Process configuration, read once from the environment at start-up. Every field has a working default for a
 * local machine (Postgres and Redis on 127.0.0.1) so that a fresh checkout runs; a bad value stops the process
 * with a message naming the variable.
 */
const ConfigSchema = Type.Object({
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
  databaseUrl: Type.String({ pattern: '^postgres(ql)?://', description: 'DATABASE_URL' }),
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 200, description: 'DATABASE_POOL_SIZE' }),
  redisUrl: Type.String({ pattern: '^rediss?://', description: 'REDIS_URL' }),
  queuePrefix: Type.String({ pattern: '^[a-zA-Z0-9_:-]{1,64}$', description: 'QUEUE_PREFIX: BullMQ key prefix' }),
  dataDir: Type.String({ minLength: 1, description: 'DATA_DIR: root of the filesystem blob store' }),
  cookieSecret: Type.String({ minLength: 32, description: 'COOKIE_SECRET: signs cookies (at least 32 chars)' }),
  cookieSecure: Type.Boolean({ description: 'COOKIE_SECURE: send cookies over HTTPS only' }),
  sessionTtlMinutes: Type.Integer({ minimum: 5, maximum: 7 * 24 * 60, description: 'SESSION_TTL_MINUTES' }),
  loginRateLimitPerMinute: Type.Integer({ minimum: 1, maximum: 1000, description: 'LOGIN_RATE_LIMIT_PER_MINUTE' }),
  trustProxy: Type.Boolean({ description: 'TRUST_PROXY: honour X-Forwarded-For from a reverse proxy' }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEV_COOKIE_SECRET = 'development-only-cookie-secret-change-me-0123456789';

function parseBool(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parseInt10(name: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  return Number.parseInt(raw, 10);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const get = (name: string, fallback: string): string => {
    const v = env[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const nodeEnv = get('NODE_ENV', 'development');
  const production = nodeEnv === 'production';
  const httpPort = parseInt10('HTTP_PORT', get('HTTP_PORT', '3000'));
  const cookieSecret = get('COOKIE_SECRET', production ? '' : DEV_COOKIE_SECRET);
  if (production && cookieSecret === DEV_COOKIE_SECRET) {
    throw new ConfigError('COOKIE_SECRET must be set to a private value in production');
  }
  const raw = {
    nodeEnv,
    logLevel: get('LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info'),
    httpHost: get('HTTP_HOST', '127.0.0.1'),
    httpPort,
    publicBaseUrl: get('PUBLIC_BASE_URL', `http://localhost:${httpPort}`),
    databaseUrl: get('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/enforcement'),
    databasePoolSize: parseInt10('DATABASE_POOL_SIZE', get('DATABASE_POOL_SIZE', '10')),
    redisUrl: get('REDIS_URL', 'redis://127.0.0.1:6379'),
    queuePrefix: get('QUEUE_PREFIX', 'enf'),
    dataDir: get('DATA_DIR', 'var/data'),
    cookieSecret,
    cookieSecure: parseBool('COOKIE_SECURE', get('COOKIE_SECURE', production ? 'true' : 'false')),
    sessionTtlMinutes: parseInt10('SESSION_TTL_MINUTES', get('SESSION_TTL_MINUTES', '480')),
    loginRateLimitPerMinute: parseInt10('LOGIN_RATE_LIMIT_PER_MINUTE', get('LOGIN_RATE_LIMIT_PER_MINUTE', '5')),
    trustProxy: parseBool('TRUST_PROXY', get('TRUST_PROXY', 'false')),
  };
  const firstError = Value.Errors(ConfigSchema, raw).First();
  if (firstError) {
    const field = firstError.path.replace(/^\//, '');
    const variable = (ConfigSchema.properties as Record<string, { description?: string }>)[field]?.description
      ?.split(':')[0];
    throw new ConfigError(
      `invalid configuration: ${variable ?? field} = ${JSON.stringify(firstError.value)} (${firstError.message})`,
    );
  }
  return raw as Config;
}

/** For process entry points: print the reason and exit instead of throwing a stack trace at an operator. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
