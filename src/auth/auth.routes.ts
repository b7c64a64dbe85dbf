import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { TooManyRequestsError } from '../shared/errors.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import { requireStaff, SESSION_COOKIE, staffOf } from './auth.plugin.js';
import type { AuthService } from './auth.service.js';

export interface AuthRoutesDeps {
  config: Config;
  auth: AuthService;
  /** counts sign-in attempts per address across accounts */
  limiter: RateLimiter;
}

const Principal = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  districtId: Type.Union([Type.String(), Type.Null()]),
});

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, description: 'Staff username' }),
    password: Type.String({ minLength: 1, maxLength: 256, description: 'Password' }),
    _csrf: Type.Optional(Type.String({ maxLength: 200, description: 'CSRF token (form posts)' })),
  },
  { additionalProperties: false },
);

const PasswordChangeBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64, description: 'Staff username' }),
    currentPassword: Type.String({ minLength: 1, maxLength: 256, description: 'The password now in force' }),
    newPassword: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'The new password (12+ characters)',
    }),
    _csrf: Type.Optional(Type.String({ maxLength: 200, description: 'CSRF token (form posts)' })),
  },
  { additionalProperties: false },
);

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesDeps> = async (app, deps) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: deps.config.cookieSecure,
    maxAge: deps.config.sessionTtlMinutes * 60,
  };

  const { limiter } = deps;

  // per address and account: guesses at one account are slowed (a spray over accounts is limited below)
  const signInRateLimit = {
    max: deps.config.loginRateLimitPerMinute,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => {
      const body: unknown = request.body;
      const user =
        typeof body === 'object' && body !== null && 'username' in body && typeof body.username === 'string'
          ? body.username.toLowerCase().slice(0, 64)
          : '';
      return `login:${request.ip}:${user}`;
    },
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new TooManyRequestsError(
        `登录尝试过于频繁，请在 ${seconds} 秒后再试 (too many sign-in attempts; try again in ${seconds} s)`,
      );
    },
  };

  app.get(
    '/auth/csrf',
    {
      schema: {
        tags: ['auth'],
        summary: 'A CSRF token for the next state-changing request',
        response: { 200: Type.Object({ token: Type.String() }) },
      },
    },
    async (_request, reply) => ({ token: reply.generateCsrf() }),
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in',
        body: LoginBody,
        response: { 200: Type.Object({ user: Principal }) },
      },
      preValidation: app.csrfProtection,
      config: { rateLimit: signInRateLimit },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      await limiter.hit(`login-ip:${request.ip}`, deps.config.loginRateLimitPerMinute * 6, 60);
      const { token, principal } = await deps.auth.login(username, password, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return { user: principal };
    },
  );

  app.post(
    '/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: "Replace one's own password (required after an admin set it) and sign in",
        body: PasswordChangeBody,
        response: { 200: Type.Object({ user: Principal }) },
      },
      preValidation: app.csrfProtection,
      config: { rateLimit: signInRateLimit },
    },
    async (request, reply) => {
      const { username, currentPassword, newPassword } = request.body;
      await limiter.hit(`login-ip:${request.ip}`, deps.config.loginRateLimitPerMinute * 6, 60);
      const { token, principal } = await deps.auth.changePassword(username, currentPassword, newPassword, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? '',
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return { user: principal };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out' }, preValidation: app.csrfProtection },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deps.auth.logout(token, request.staff);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.post(
    '/auth/lang',
    {
      schema: {
        tags: ['auth'],
        summary:
          'The language of the staff pages for the signed-in member of staff, remembered on the account',
        body: Type.Object(
          { lang: Type.Union([Type.Literal('zh'), Type.Literal('en')]) },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(),
    },
    async (request, reply) => {
      await deps.auth.setLang(staffOf(request), request.body.lang);
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in staff member',
        response: { 200: Type.Object({ user: Principal }) },
      },
      preHandler: requireStaff(),
    },
    async (request) => ({ user: staffOf(request) }),
  );
};
