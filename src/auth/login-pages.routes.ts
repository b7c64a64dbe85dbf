import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Config } from '../config/config.js';
import { sendPage } from '../web/layout.js';
import { loginView } from './login-pages.view.js';

export interface LoginPageDeps {
  config: Pick<Config, 'oidcIssuer'>;
}

/** The page to return to after signing in: a path on this site, else the staff home. */
function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/(?![/\\])/.test(next) ? next : '/staff';
}

/** The staff sign-in page. */
export const loginPageRoutes: FastifyPluginAsyncTypebox<LoginPageDeps> = async (app, { config }) => {
  app.get(
    '/login',
    { schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String()) }) } },
    async (request, reply) =>
      sendPage(
        reply,
        loginView({
          // Passed on to the identity provider's flow, which checks it again.
          oidcNext: config.oidcIssuer ? safeNext(request.query.next) : null,
          csrfToken: reply.generateCsrf(),
        }),
      ),
  );
};
