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
  queuePrefix: Type.String({
    pattern: '^[a-zA-Z0-9_:-]{1,64}$',
    description: 'QUEUE_PREFIX: BullMQ key prefix',
  }),
  dataDir: Type.String({ minLength: 1, description: 'DATA_DIR: root of the filesystem blob store' }),
  cookieSecret: Type.String({
    minLength: 32,
    description: 'COOKIE_SECRET: signs cookies (at least 32 chars)',
  }),
  cookieSecure: Type.Boolean({ description: 'COOKIE_SECURE: send cookies over HTTPS only' }),
  sessionTtlMinutes: Type.Integer({ minimum: 5, maximum: 7 * 24 * 60, description: 'SESSION_TTL_MINUTES' }),
  loginRateLimitPerMinute: Type.Integer({
    minimum: 1,
    maximum: 1000,
    description: 'LOGIN_RATE_LIMIT_PER_MINUTE',
  }),
  trustProxy: Type.Boolean({ description: 'TRUST_PROXY: honour X-Forwarded-For from a reverse proxy' }),
  sealPrivateKeyFile: Type.String({
    description:
      'SEAL_PRIVATE_KEY_FILE: Ed25519 PKCS#8 PEM of the agency seal; empty outside production: a key generated once under DATA_DIR',
  }),
  caseSweepIntervalS: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    description: 'CASE_SWEEP_INTERVAL_S: how often the case sweep runs',
  }),
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
  deliveryAttempts: Type.Integer({
    minimum: 1,
    maximum: 50,
    description: 'DELIVERY_ATTEMPTS: tries per online delivery before postal fallback',
  }),
  deliveryBackoffMs: Type.Integer({
    minimum: 10,
    maximum: 86_400_000,
    description: 'DELIVERY_BACKOFF_MS: first retry delay, doubled each time',
  }),
  deliveryStaleS: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    description:
      'DELIVERY_STALE_S: a delivery still pending this long after it was made has its job checked by the case sweep (enqueued again when lost, postal fallback when failed)',
  }),
  jobLockMs: Type.Integer({
    minimum: 1_000,
    maximum: 600_000,
    description:
      'JOB_LOCK_MS: how long a job stays locked without renewal (jobs with a longer lock of their own keep it); a job held by a process that died is taken again after this, checked as often',
  }),
  smsGatewayUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'SMS_GATEWAY_URL: base URL of the SMS gateway API; empty disables SMS',
  }),
  smsGatewayAccount: Type.String({ description: 'SMS_GATEWAY_ACCOUNT: account id sent with each request' }),
  smsGatewaySecret: Type.String({
    description: 'SMS_GATEWAY_SECRET: HMAC key for requests and delivery receipts',
  }),
  pushGatewayUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'PUSH_GATEWAY_URL: base URL of the app push API; empty disables push',
  }),
  pushGatewayAccount: Type.String({ description: 'PUSH_GATEWAY_ACCOUNT' }),
  pushGatewaySecret: Type.String({ description: 'PUSH_GATEWAY_SECRET: HMAC key for requests and receipts' }),
  smtpUrl: Type.String({
    pattern: '^(smtps?://.*)?$',
    description: 'SMTP_URL: e.g. smtp://user:pass@mail.example:587; empty disables e-mail',
  }),
  mailFrom: Type.String({ minLength: 3, description: 'MAIL_FROM: sender address of notice e-mails' }),
  paymentSandbox: Type.Boolean({
    description:
      'PAYMENT_SANDBOX: serve the sandbox payment provider under /sandbox/pay (never in production unless set)',
  }),
  paymentGatewayName: Type.String({
    pattern: '^[a-z0-9_-]{1,32}$',
    description: 'PAYMENT_GATEWAY_NAME: recorded on payments and callbacks',
  }),
  paymentGatewayUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'PAYMENT_GATEWAY_URL: base URL of the payment provider API; empty disables online payment',
  }),
  paymentGatewayMerchant: Type.String({
    minLength: 1,
    description: 'PAYMENT_GATEWAY_MERCHANT: merchant id at the provider',
  }),
  paymentGatewaySecret: Type.String({
    description:
      'PAYMENT_GATEWAY_SECRET: HMAC key shared with the provider (at least 16 characters when a provider is set)',
  }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEV_COOKIE_SECRET = 'development-only-cookie-secret-change-me-0123456789';
const DEV_PAYMENT_SECRET = 'development-only-payment-secret-0123456789';

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
  const publicBaseUrl = get('PUBLIC_BASE_URL', `http://localhost:${httpPort}`);
  const paymentSandbox = parseBool('PAYMENT_SANDBOX', get('PAYMENT_SANDBOX', production ? 'false' : 'true'));
  // The sandbox plays the provider inside this app with a development secret; production refuses that secret
  // and, without a configured provider, simply offers no online payment.
  const paymentGatewaySecret = get('PAYMENT_GATEWAY_SECRET', paymentSandbox ? DEV_PAYMENT_SECRET : '');
  if (production && paymentGatewaySecret === DEV_PAYMENT_SECRET) {
    throw new ConfigError('PAYMENT_GATEWAY_SECRET must be set to a private value in production');
  }
  const raw = {
    nodeEnv,
    logLevel: get('LOG_LEVEL', nodeEnv === 'test' ? 'warn' : 'info'),
    httpHost: get('HTTP_HOST', '127.0.0.1'),
    httpPort,
    publicBaseUrl,
    databaseUrl: get('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/enforcement'),
    databasePoolSize: parseInt10('DATABASE_POOL_SIZE', get('DATABASE_POOL_SIZE', '10')),
    redisUrl: get('REDIS_URL', 'redis://127.0.0.1:6379'),
    queuePrefix: get('QUEUE_PREFIX', 'enf'),
    dataDir: get('DATA_DIR', 'var/data'),
    cookieSecret,
    cookieSecure: parseBool('COOKIE_SECURE', get('COOKIE_SECURE', production ? 'true' : 'false')),
    sessionTtlMinutes: parseInt10('SESSION_TTL_MINUTES', get('SESSION_TTL_MINUTES', '480')),
    loginRateLimitPerMinute: parseInt10(
      'LOGIN_RATE_LIMIT_PER_MINUTE',
      get('LOGIN_RATE_LIMIT_PER_MINUTE', '5'),
    ),
    trustProxy: parseBool('TRUST_PROXY', get('TRUST_PROXY', 'false')),
    sealPrivateKeyFile: get('SEAL_PRIVATE_KEY_FILE', ''),
    caseSweepIntervalS: parseInt10('CASE_SWEEP_INTERVAL_S', get('CASE_SWEEP_INTERVAL_S', '30')),
    portalTokenTtlDays: parseInt10('PORTAL_TOKEN_TTL_DAYS', get('PORTAL_TOKEN_TTL_DAYS', '120')),
    portalSessionTtlMinutes: parseInt10(
      'PORTAL_SESSION_TTL_MINUTES',
      get('PORTAL_SESSION_TTL_MINUTES', '30'),
    ),
    portalVerifyLimitPerToken: parseInt10(
      'PORTAL_VERIFY_LIMIT_PER_TOKEN',
      get('PORTAL_VERIFY_LIMIT_PER_TOKEN', '5'),
    ),
    portalVerifyLimitPerAddress: parseInt10(
      'PORTAL_VERIFY_LIMIT_PER_ADDRESS',
      get('PORTAL_VERIFY_LIMIT_PER_ADDRESS', '30'),
    ),
    portalVerifyFloorMs: parseInt10('PORTAL_VERIFY_FLOOR_MS', get('PORTAL_VERIFY_FLOOR_MS', '250')),
    deliveryAttempts: parseInt10('DELIVERY_ATTEMPTS', get('DELIVERY_ATTEMPTS', '6')),
    deliveryBackoffMs: parseInt10('DELIVERY_BACKOFF_MS', get('DELIVERY_BACKOFF_MS', '30000')),
    deliveryStaleS: parseInt10('DELIVERY_STALE_S', get('DELIVERY_STALE_S', '120')),
    jobLockMs: parseInt10('JOB_LOCK_MS', get('JOB_LOCK_MS', '30000')),
    smsGatewayUrl: get('SMS_GATEWAY_URL', ''),
    smsGatewayAccount: get('SMS_GATEWAY_ACCOUNT', ''),
    smsGatewaySecret: get('SMS_GATEWAY_SECRET', ''),
    pushGatewayUrl: get('PUSH_GATEWAY_URL', ''),
    pushGatewayAccount: get('PUSH_GATEWAY_ACCOUNT', ''),
    pushGatewaySecret: get('PUSH_GATEWAY_SECRET', ''),
    smtpUrl: get('SMTP_URL', ''),
    mailFrom: get('MAIL_FROM', 'notices@localhost'),
    paymentSandbox,
    paymentGatewayName: get('PAYMENT_GATEWAY_NAME', paymentSandbox ? 'sandbox' : 'hmac'),
    paymentGatewayUrl: get(
      'PAYMENT_GATEWAY_URL',
      paymentSandbox ? `${publicBaseUrl.replace(/\/$/, '')}/sandbox/pay/api` : '',
    ),
    paymentGatewayMerchant: get('PAYMENT_GATEWAY_MERCHANT', 'city-enforcement'),
    paymentGatewaySecret,
  };
  if (raw.paymentGatewayUrl && raw.paymentGatewaySecret.length < 16) {
    throw new ConfigError(
      'invalid configuration: PAYMENT_GATEWAY_SECRET must have at least 16 characters when PAYMENT_GATEWAY_URL is set',
    );
  }
  const firstError = Value.Errors(ConfigSchema, raw).First();
  if (firstError) {
    const field = firstError.path.replace(/^\//, '');
    const variable = (ConfigSchema.properties as Record<string, { description?: string }>)[
      field
    ]?.description?.split(':')[0];
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
