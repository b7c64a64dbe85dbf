import { Type } from '@sinclair/typebox';
import { STAFF_ROLES } from '../auth/principal.js';
import { ConfigError, type EnvReader } from './env.js';
import { baseUrl } from './server.js';

const DEV_COOKIE_SECRET = 'development-only-cookie-secret-change-me-0123456789';
const STAFF_ROLE_NAMES: readonly string[] = STAFF_ROLES;

/** Staff sign-in: cookies and sessions, local accounts, and the city's identity provider (OpenID Connect). */
export const staffAuthSchema = {
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
  loginLockoutFailures: Type.Integer({
    minimum: 3,
    maximum: 100,
    description: 'LOGIN_LOCKOUT_FAILURES: wrong passwords in a row that lock an account',
  }),
  loginLockoutMinutes: Type.Integer({
    minimum: 1,
    maximum: 24 * 60,
    description: 'LOGIN_LOCKOUT_MINUTES: how long a locked account stays locked (an admin can lift it)',
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
};

export function readStaffAuth(env: EnvReader, server: { publicBaseUrl: string }) {
  const cookieSecret = env.get('COOKIE_SECRET', env.production ? '' : DEV_COOKIE_SECRET);
  if (env.production && cookieSecret === DEV_COOKIE_SECRET) {
    throw new ConfigError('COOKIE_SECRET must be set to a private value in production');
  }
  const auth = {
    cookieSecret,
    cookieSecure: env.bool('COOKIE_SECURE', env.production),
    sessionTtlMinutes: env.int('SESSION_TTL_MINUTES', 480),
    loginRateLimitPerMinute: env.int('LOGIN_RATE_LIMIT_PER_MINUTE', 5),
    loginLockoutFailures: env.int('LOGIN_LOCKOUT_FAILURES', 10),
    loginLockoutMinutes: env.int('LOGIN_LOCKOUT_MINUTES', 15),
    oidcIssuer: env.get('OIDC_ISSUER', ''),
    oidcClientId: env.get('OIDC_CLIENT_ID', ''),
    oidcClientSecret: env.get('OIDC_CLIENT_SECRET', ''),
    oidcRedirectUrl: env.get('OIDC_REDIRECT_URL', `${baseUrl(server)}/auth/oidc/callback`),
    oidcTokenAuth: env.get('OIDC_TOKEN_AUTH', 'client_secret_basic'),
    oidcScopes: env.get('OIDC_SCOPES', 'openid profile'),
    oidcRoleClaim: env.get('OIDC_ROLE_CLAIM', 'roles'),
    oidcRoleMap: env.pairs('OIDC_ROLE_MAP'),
    oidcDistrictClaim: env.get('OIDC_DISTRICT_CLAIM', 'district'),
    oidcDistrictMap: env.pairs('OIDC_DISTRICT_MAP'),
    oidcUsernameClaim: env.get('OIDC_USERNAME_CLAIM', 'preferred_username'),
    oidcAllowHttp: env.bool('OIDC_ALLOW_HTTP', false),
  };
  if (auth.oidcIssuer && !auth.oidcClientId) {
    throw new ConfigError('invalid configuration: OIDC_CLIENT_ID must be set when OIDC_ISSUER is set');
  }
  if (env.production && auth.oidcAllowHttp) {
    throw new ConfigError('invalid configuration: OIDC_ALLOW_HTTP may not be true in production');
  }
  const badRole = Object.values(auth.oidcRoleMap).find((r) => !STAFF_ROLE_NAMES.includes(r));
  if (badRole !== undefined) {
    throw new ConfigError(
      `invalid configuration: OIDC_ROLE_MAP maps to "${badRole}", which is not one of ${STAFF_ROLE_NAMES.join(', ')}`,
    );
  }
  return auth;
}
