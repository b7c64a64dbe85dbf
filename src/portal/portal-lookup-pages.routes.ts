import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCaseNumber, parseCaseNumber } from '../cases/case-number.js';
import type { Config } from '../config/config.js';
import { ForbiddenError } from '../shared/errors.js';
import { sendPage } from '../web/layout.js';
import { askedLang, PORTAL_LANG_COOKIE, pickLang, type PortalLang } from './portal-i18n.js';
import { PORTAL_SESSION_COOKIE, sameOrigin } from './portal-pages.routes.js';
import { portalErrorPage } from './portal-pages.view.js';
import { caseLookupPage } from './portal-lookup.view.js';
import type { PortalSessionService } from './portal-session.service.js';

/**
 * Opening a case without the link: /portal/cases (the short case link) and /portal/cases/<number> (the QR code
 * on every document) show the case-number and second-factor form; a right answer opens a link of the party's
 * own under /n/, with its session, exactly as the SMS link does.
 */

export interface PortalLookupDeps {
  config: Pick<Config, 'cookieSecure' | 'portalSessionTtlMinutes'>;
  sessions: PortalSessionService;
}

const portal = { errorPage: { view: portalErrorPage } };

export const portalLookupPageRoutes: FastifyPluginAsyncTypebox<PortalLookupDeps> = async (app, deps) => {
  const langOf = (request: FastifyRequest, reply: FastifyReply): PortalLang => {
    const lang = pickLang(request.query, request.cookies[PORTAL_LANG_COOKIE]);
    if (askedLang(request.query))
      reply.setCookie(PORTAL_LANG_COOKIE, lang, {
        path: '/',
        sameSite: 'lax',
        httpOnly: true,
        maxAge: 365 * 86_400,
      });
    return lang;
  };
  const pathOf = (request: FastifyRequest) => request.url.split('?')[0]!;
  const Lang = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 8 })) });

  app.get(
    '/portal/cases',
    { schema: { hide: true, querystring: Lang }, config: portal },
    async (request, reply) =>
      sendPage(
        reply,
        caseLookupPage({ lang: langOf(request, reply), path: pathOf(request), caseNumber: '' }),
      ),
  );

  app.get(
    '/portal/cases/:number',
    {
      schema: {
        hide: true,
        params: Type.Object({ number: Type.String({ pattern: '^SH-[A-Z]{2}-\\d{4}-\\d{6}$' }) }),
        querystring: Lang,
      },
      config: portal,
    },
    async (request, reply) => {
      // The number as printed on the document, which is what the party compares it with.
      let caseNumber: string;
      try {
        caseNumber = formatCaseNumber(parseCaseNumber(request.params.number));
      } catch {
        caseNumber = '';
      }
      return sendPage(
        reply,
        caseLookupPage({ lang: langOf(request, reply), path: pathOf(request), caseNumber }),
      );
    },
  );

  app.post(
    '/portal/cases',
    {
      schema: {
        hide: true,
        body: Type.Object({
          caseNumber: Type.String({ maxLength: 40 }),
          factor: Type.String({ maxLength: 64 }),
        }),
        querystring: Lang,
      },
      config: portal,
    },
    async (request, reply) => {
      if (!sameOrigin(request.headers.origin, request.headers.host))
        throw new ForbiddenError('cross-site request refused');
      const lang = langOf(request, reply);
      const { caseNumber, factor } = request.body;
      const outcome = await deps.sessions.openCase(caseNumber, factor, request.ip);
      if ('refused' in outcome) {
        const page = caseLookupPage({ lang, path: pathOf(request), caseNumber, refusal: outcome.refused });
        return sendPage(reply, page, outcome.refused === 'rate_limited' ? 429 : 403);
      }
      reply.setCookie(PORTAL_SESSION_COOKIE, outcome.sessionId, {
        path: `/n/${outcome.token}`,
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.cookieSecure,
        maxAge: deps.config.portalSessionTtlMinutes * 60,
      });
      return reply.redirect(`/n/${outcome.token}`, 303);
    },
  );
};
