import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PORTAL_SESSION_COOKIE, sameOrigin } from '../portal/portal-pages.routes.js';
import { portalErrorPage } from '../portal/portal-pages.view.js';
import type { PortalSessionService } from '../portal/portal-session.service.js';
import { ForbiddenError } from '../shared/errors.js';
import { sendPage } from '../web/layout.js';
import { isShown } from './credit-rules.js';
import type { CreditRepairService } from './credit-repair.service.js';
import type { CreditService } from './credit.service.js';
import { portalCreditView } from './credit.view.js';

/**
 * The party's credit page under its notice link (/n/<token>/credit): the published item of the case and the
 * repair application. Only with the portal session of that link (the second factor); otherwise back to the link.
 */

export interface CreditPortalDeps {
  sessions: PortalSessionService;
  credit: CreditService;
  creditRepairs: CreditRepairService;
}

const Token = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
const portal = { errorPage: { view: portalErrorPage } };

export const creditPortalPageRoutes: FastifyPluginAsyncTypebox<CreditPortalDeps> = async (app, deps) => {
  app.get(
    '/n/:token/credit',
    {
      schema: { hide: true, params: Token, querystring: Type.Object({ done: Type.Optional(Type.String()) }) },
      config: portal,
    },
    async (request, reply) => {
      const { token } = request.params;
      const access = await deps.sessions.resolve(token, request.cookies[PORTAL_SESSION_COOKIE]);
      if (!access) return reply.redirect(`/n/${token}`, 303);
      const found = await deps.creditRepairs.itemOfCase(access.session.case_id);
      const own = found && found.item.partyId === access.session.party_id ? found : null;
      return sendPage(
        reply,
        portalCreditView({
          token,
          item: own?.item ?? null,
          pending: own?.pending ?? null,
          shown: own ? isShown(own.item, deps.credit.today()) : false,
          requestKey: randomUUID(),
          done: request.query.done === 'repair',
        }),
      );
    },
  );

  app.post(
    '/n/:token/credit/repair',
    {
      schema: {
        hide: true,
        params: Token,
        body: Type.Object({
          reason: Type.String({ minLength: 1, maxLength: 2000 }),
          requestKey: Type.String({ pattern: '^[A-Za-z0-9._:-]{8,128}$' }),
        }),
      },
      config: portal,
    },
    async (request, reply) => {
      const { token } = request.params;
      if (!sameOrigin(request.headers.origin, request.headers.host))
        throw new ForbiddenError('cross-site request refused');
      const access = await deps.sessions.resolve(token, request.cookies[PORTAL_SESSION_COOKIE], {
        fresh: true,
      });
      if (!access) return reply.redirect(`/n/${token}`, 303);
      await deps.creditRepairs.applyFromPortal(access.session.case_id, access.session.party_id, request.body);
      return reply.redirect(`/n/${token}/credit?done=repair`, 303);
    },
  );
};
