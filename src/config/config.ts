import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { STAFF_ROLES } from '../auth/principal.js';

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
  blobStore: Type.Union([Type.Literal('fs'), Type.Literal('s3')], {
    description: 'BLOB_STORE: fs (a directory under DATA_DIR, shared by every process) or s3 (a bucket)',
  }),
  s3Endpoint: Type.String({
    pattern: '^(https?://[^/]+/?)?$',
    description: 'S3_ENDPOINT: URL of an S3-compatible service; empty for Amazon S3',
  }),
  s3Bucket: Type.String({
    pattern: '^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$',
    description: 'S3_BUCKET: the bucket that holds frames, evidence and documents',
  }),
  s3Region: Type.String({ minLength: 1, description: 'S3_REGION' }),
  s3AccessKeyId: Type.String({ description: 'S3_ACCESS_KEY_ID: empty for the SDK credential chain' }),
  s3SecretAccessKey: Type.String({ description: 'S3_SECRET_ACCESS_KEY' }),
  s3ForcePathStyle: Type.Boolean({
    description: 'S3_FORCE_PATH_STYLE: address the bucket in the path (most self-hosted stores)',
  }),
  s3KeyPrefix: Type.String({
    pattern: '^([A-Za-z0-9_][A-Za-z0-9._-]*/)*$',
    description: 'S3_KEY_PREFIX: prepended to every object key, empty or ending in "/"',
  }),
  s3ConditionalWrites: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], {
    description: 'S3_CONDITIONAL_WRITES: whether the store honours If-None-Match: * (auto probes once)',
  }),
  s3ConnectTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    description: 'S3_CONNECT_TIMEOUT_MS',
  }),
  s3RequestTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    description: 'S3_REQUEST_TIMEOUT_MS: a request with no answer for this long fails',
  }),
  s3MaxAttempts: Type.Integer({
    minimum: 1,
    maximum: 10,
    description: 'S3_MAX_ATTEMPTS: tries per request before the operation fails',
  }),
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
  portalRequestsPerMinute: Type.Integer({
    minimum: 10,
    maximum: 100_000,
    description:
      'PORTAL_REQUESTS_PER_MINUTE: pages, documents and images one portal session may ask for per minute',
  }),
  paymentCallbackRefusedPerMinute: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    description:
      'PAYMENT_CALLBACK_REFUSED_PER_MINUTE: refused (unsigned or forged) payment callbacks kept per client address per minute; more are answered 429 and not stored',
  }),
  paymentCallbackRefusedKeep: Type.Integer({
    minimum: 10,
    maximum: 10_000_000,
    description:
      'PAYMENT_CALLBACK_REFUSED_KEEP: how many refused payment callbacks are kept for inspection; older ones are removed',
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
  detectModel: Type.String({
    pattern: '^[a-z0-9._-]{0,64}$',
    description: 'DETECT_MODEL: model name under models/ (empty: the default model)',
  }),
  detectThreads: Type.Integer({
    minimum: 0,
    maximum: 256,
    description: 'DETECT_THREADS: onnxruntime threads per inference (0: all cores but one)',
  }),
  detectConcurrency: Type.Integer({
    minimum: 1,
    maximum: 64,
    description: 'DETECT_CONCURRENCY: frames a detect worker has in hand at once',
  }),
  detectCloseTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    description:
      'DETECT_CLOSE_TIMEOUT_MS: how long a stopping detect worker waits for the inference in progress',
  }),
  detectFaultExitAfterRuns: Type.Integer({
    minimum: 0,
    description:
      'DETECT_FAULT_EXIT_AFTER_RUNS: fault injection (tests, chaos; refused in production): the inference thread ends after this many runs',
  }),
  detectFaultHoldRunMs: Type.Integer({
    minimum: 0,
    maximum: 600_000,
    description:
      'DETECT_FAULT_HOLD_RUN_MS: fault injection (tests, chaos; refused in production): each inference holds its thread this much longer',
  }),
  apiMetrics: Type.Boolean({ description: 'API_METRICS: serve Prometheus metrics on the API at /metrics' }),
  metricsToken: Type.String({
    pattern: '^(.{16,})?$',
    description:
      'METRICS_TOKEN: when set (at least 16 characters), /metrics answers only with "Authorization: Bearer <token>"',
  }),
  metricsHost: Type.String({
    minLength: 1,
    description: "METRICS_HOST: address the workers' metrics servers listen on",
  }),
  ingestMetricsPort: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()], {
    description: 'INGEST_METRICS_PORT: metrics port of an ingest worker; off disables, 0 takes any free port',
  }),
  detectMetricsPort: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()], {
    description: 'DETECT_METRICS_PORT: metrics port of a detect worker; off disables, 0 takes any free port',
  }),
  rulesMetricsPort: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()], {
    description: 'RULES_METRICS_PORT: metrics port of a rules worker; off disables, 0 takes any free port',
  }),
  notifyMetricsPort: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()], {
    description: 'NOTIFY_METRICS_PORT: metrics port of a notify worker; off disables, 0 takes any free port',
  }),
  queueBoard: Type.Union([Type.Literal('off'), Type.Literal('read-only'), Type.Literal('writable')], {
    description: "QUEUE_BOARD: the admins' queue board at /admin/queues: off, read-only or writable",
  }),
  oidcIssuer: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'OIDC_ISSUER: OpenID Connect issuer URL for staff sign-in; empty: local accounts only',
  }),
  oidcClientId: Type.String({ description: 'OIDC_CLIENT_ID' }),
  oidcClientSecret: Type.String({ description: 'OIDC_CLIENT_SECRET' }),
  oidcRedirectUrl: Type.String({
    pattern: '^https?://',
    description:
      'OIDC_REDIRECT_URL: where the provider sends staff back (default PUBLIC_BASE_URL/auth/oidc/callback)',
  }),
  oidcTokenAuth: Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post')], {
    description: 'OIDC_TOKEN_AUTH: how the client authenticates at the token endpoint',
  }),
  oidcScopes: Type.String({ pattern: '(^| )openid( |$)', description: 'OIDC_SCOPES: must include openid' }),
  oidcRoleClaim: Type.String({
    minLength: 1,
    description: 'OIDC_ROLE_CLAIM: claim holding the staff role(s)',
  }),
  oidcRoleMap: Type.Record(Type.String(), Type.String(), {
    description: 'OIDC_ROLE_MAP: claim value=role pairs, comma-separated; empty: values are role names',
  }),
  oidcDistrictClaim: Type.String({
    minLength: 1,
    description: 'OIDC_DISTRICT_CLAIM: claim holding the district',
  }),
  oidcDistrictMap: Type.Record(Type.String(), Type.String(), {
    description:
      'OIDC_DISTRICT_MAP: claim value=district id pairs, comma-separated; empty: values are district ids',
  }),
  oidcUsernameClaim: Type.String({
    minLength: 1,
    description: "OIDC_USERNAME_CLAIM: claim shown as the staff member's name (falls back to sub)",
  }),
  oidcAllowHttp: Type.Boolean({
    description:
      'OIDC_ALLOW_HTTP: talk to an issuer over plain HTTP (tests and local providers; never in production)',
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

/** A port, or null for `off`. */
function parsePort(name: string, raw: string): number | null {
  return /^off$/i.test(raw.trim()) ? null : parseInt10(name, raw);
}

/** `a=b,c=d` pairs (spaces around them ignored). */
function parsePairs(name: string, raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0 || eq === part.length - 1)
      throw new ConfigError(`${name} must be value=target pairs, got "${part}"`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const STAFF_ROLE_NAMES: readonly string[] = STAFF_ROLES;

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
    blobStore: get('BLOB_STORE', 'fs'),
    s3Endpoint: get('S3_ENDPOINT', ''),
    s3Bucket: get('S3_BUCKET', ''),
    s3Region: get('S3_REGION', 'us-east-1'),
    s3AccessKeyId: get('S3_ACCESS_KEY_ID', ''),
    s3SecretAccessKey: get('S3_SECRET_ACCESS_KEY', ''),
    s3ForcePathStyle: parseBool('S3_FORCE_PATH_STYLE', get('S3_FORCE_PATH_STYLE', 'false')),
    s3KeyPrefix: get('S3_KEY_PREFIX', ''),
    s3ConditionalWrites: get('S3_CONDITIONAL_WRITES', 'auto'),
    s3ConnectTimeoutMs: parseInt10('S3_CONNECT_TIMEOUT_MS', get('S3_CONNECT_TIMEOUT_MS', '3000')),
    s3RequestTimeoutMs: parseInt10('S3_REQUEST_TIMEOUT_MS', get('S3_REQUEST_TIMEOUT_MS', '30000')),
    s3MaxAttempts: parseInt10('S3_MAX_ATTEMPTS', get('S3_MAX_ATTEMPTS', '3')),
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
    portalRequestsPerMinute: parseInt10(
      'PORTAL_REQUESTS_PER_MINUTE',
      get('PORTAL_REQUESTS_PER_MINUTE', '120'),
    ),
    paymentCallbackRefusedPerMinute: parseInt10(
      'PAYMENT_CALLBACK_REFUSED_PER_MINUTE',
      get('PAYMENT_CALLBACK_REFUSED_PER_MINUTE', '30'),
    ),
    paymentCallbackRefusedKeep: parseInt10(
      'PAYMENT_CALLBACK_REFUSED_KEEP',
      get('PAYMENT_CALLBACK_REFUSED_KEEP', '1000'),
    ),
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
    detectModel: get('DETECT_MODEL', ''),
    detectThreads: parseInt10('DETECT_THREADS', get('DETECT_THREADS', '0')),
    detectConcurrency: parseInt10('DETECT_CONCURRENCY', get('DETECT_CONCURRENCY', '3')),
    detectCloseTimeoutMs: parseInt10('DETECT_CLOSE_TIMEOUT_MS', get('DETECT_CLOSE_TIMEOUT_MS', '10000')),
    detectFaultExitAfterRuns: parseInt10(
      'DETECT_FAULT_EXIT_AFTER_RUNS',
      get('DETECT_FAULT_EXIT_AFTER_RUNS', '0'),
    ),
    detectFaultHoldRunMs: parseInt10('DETECT_FAULT_HOLD_RUN_MS', get('DETECT_FAULT_HOLD_RUN_MS', '0')),
    apiMetrics: parseBool('API_METRICS', get('API_METRICS', 'true')),
    metricsToken: get('METRICS_TOKEN', ''),
    metricsHost: get('METRICS_HOST', '127.0.0.1'),
    ingestMetricsPort: parsePort('INGEST_METRICS_PORT', get('INGEST_METRICS_PORT', '9101')),
    detectMetricsPort: parsePort('DETECT_METRICS_PORT', get('DETECT_METRICS_PORT', '9102')),
    rulesMetricsPort: parsePort('RULES_METRICS_PORT', get('RULES_METRICS_PORT', '9103')),
    notifyMetricsPort: parsePort('NOTIFY_METRICS_PORT', get('NOTIFY_METRICS_PORT', '9104')),
    queueBoard: get('QUEUE_BOARD', 'read-only'),
    oidcIssuer: get('OIDC_ISSUER', ''),
    oidcClientId: get('OIDC_CLIENT_ID', ''),
    oidcClientSecret: get('OIDC_CLIENT_SECRET', ''),
    oidcRedirectUrl: get('OIDC_REDIRECT_URL', `${publicBaseUrl.replace(/\/$/, '')}/auth/oidc/callback`),
    oidcTokenAuth: get('OIDC_TOKEN_AUTH', 'client_secret_basic'),
    oidcScopes: get('OIDC_SCOPES', 'openid profile'),
    oidcRoleClaim: get('OIDC_ROLE_CLAIM', 'roles'),
    oidcRoleMap: parsePairs('OIDC_ROLE_MAP', get('OIDC_ROLE_MAP', '')),
    oidcDistrictClaim: get('OIDC_DISTRICT_CLAIM', 'district'),
    oidcDistrictMap: parsePairs('OIDC_DISTRICT_MAP', get('OIDC_DISTRICT_MAP', '')),
    oidcUsernameClaim: get('OIDC_USERNAME_CLAIM', 'preferred_username'),
    oidcAllowHttp: parseBool('OIDC_ALLOW_HTTP', get('OIDC_ALLOW_HTTP', 'false')),
  };
  if (production && (raw.detectFaultExitAfterRuns > 0 || raw.detectFaultHoldRunMs > 0)) {
    throw new ConfigError('DETECT_FAULT_* variables inject faults and are refused in production');
  }
  if (raw.oidcIssuer && !raw.oidcClientId) {
    throw new ConfigError('invalid configuration: OIDC_CLIENT_ID must be set when OIDC_ISSUER is set');
  }
  if (production && raw.oidcAllowHttp) {
    throw new ConfigError('invalid configuration: OIDC_ALLOW_HTTP may not be true in production');
  }
  const badRole = Object.values(raw.oidcRoleMap).find((r) => !STAFF_ROLE_NAMES.includes(r));
  if (badRole !== undefined) {
    throw new ConfigError(
      `invalid configuration: OIDC_ROLE_MAP maps to "${badRole}", which is not one of ${STAFF_ROLE_NAMES.join(', ')}`,
    );
  }
  if (raw.paymentGatewayUrl && raw.paymentGatewaySecret.length < 16) {
    throw new ConfigError(
      'invalid configuration: PAYMENT_GATEWAY_SECRET must have at least 16 characters when PAYMENT_GATEWAY_URL is set',
    );
  }
  if (raw.blobStore === 's3' && raw.s3Bucket === '') {
    throw new ConfigError('invalid configuration: S3_BUCKET must be set when BLOB_STORE=s3');
  }
  if ((raw.s3AccessKeyId === '') !== (raw.s3SecretAccessKey === '')) {
    throw new ConfigError(
      'invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together or not at all',
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
