import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { UnauthorizedError } from '../shared/errors.js';
import { assertRole, type StaffPrincipal, type StaffRole } from './principal.js';
import type { AuthService } from './auth.service.js';

export const SESSION_COOKIE = 'sid';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, resolved from the session cookie; null when there is none. */
    staff: StaffPrincipal | null;
  }
}

/** Resolves the staff session on every request; routes then demand what they need with `requireStaff`. */
export const staffSessionPlugin = fp(async (app: FastifyInstance, opts: { auth: AuthService }) => {
  app.decorateRequest('staff', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.staff = token ? await opts.auth.principalFor(token) : null;
  });
});

/** preHandler: a signed-in staff member with one of the roles (any role when none are given). */
export function requireStaff(...roles: StaffRole[]): preHandlerAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.staff) throw new UnauthorizedError();
    if (roles.length > 0) assertRole(request.staff, roles);
  };
}

export function staffOf(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new UnauthorizedError();
  return request.staff;
}
