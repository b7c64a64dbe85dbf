import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { ForbiddenError } from '../shared/errors.js';
import type { SafeHtml } from '../web/html.js';
import { sendPage } from '../web/layout.js';
import { ATTACHMENT_LIMITS } from './attachment-check.js';
import { askedLang, PORTAL_LANG_COOKIE, pickLang, type PortalLang } from './portal-i18n.js';
import { noticePage } from './portal-notice.view.js';
import { linkToken, portalErrorPage, portalPage, verifyForm } from './portal-pages.view.js';
import type { PortalAccess, PortalSessionService } from './portal-session.service.js';
import type { PortalService } from './portal.service.js';
import type { PortalView } from './portal-view.js';
import { readStatementForm } from './statement-form.js';

/**
 * The party's pages under /n/<token>. Without a session the link shows the second-factor form, the same for
 * any token. The session cookie is http-only, SameSite=Lax (the payment provider sends the party back with a
 * top-level GET) and scoped to the link's path; state-changing requests also need a same-origin Origin header.
 * A refused step is answered by the page error handler (src/web/pages.ts) with the portal's error page.
 */

export const PORTAL_SESSION_COOKIE = 'psid';
const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) });
const TokenAndId = Type.Object({
  token: Type.String({ maxLength: 64 }),
  id: Type.String({ format: 'uuid' }),
});
const NoticeQuery = Type.Object({ done: Type.Optional(Type.String()), lang: Type.Optional(Type.String()) });
/** At most this many renderings are kept of one view (languages × the ways of writing a link's path). */
const RENDERINGS_PER_VIEW = 8;
/** Errors of these routes render as the portal's error page, in the party's language. */
const portal = { errorPage: { view: portalErrorPage } };

export interface PortalRouteDeps {
  config: Pick<Config, 'cookieSecure' | 'portalSessionTtlMinutes' | 'publicBaseUrl'>;
  sessions: PortalSessionService;
  portal: PortalService;
}

declare module 'fastify' {
  interface FastifyRequest {
    portalAccess: PortalAccess | null;
  }
}

export const portalPageRoutes: FastifyPluginAsyncTypebox<PortalRouteDeps> = async (app, deps) => {
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: ATTACHMENT_LIMITS.maxBytes,
      files: ATTACHMENT_LIMITS.maxFiles,
      fields: 4,
      fieldSize: ATTACHMENT_LIMITS.maxStatementChars * 4,
      parts: 8,
    },
  });
  app.decorateRequest('portalAccess', null);

  /** The party's language; a ?lang= choice is remembered. */
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

  // Every page under a link but the form itself needs the session of that link.
  const requireParty = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = linkToken(request.params) ?? '';
    if (request.method === 'POST') {
      if (!sameOrigin(request.headers.origin, request.headers.host))
        throw new ForbiddenError('cross-site request refused');
    }
    // A step is taken only on a session Postgres holds now; a page may use one found valid a moment ago.
    request.portalAccess = await deps.sessions.resolve(token, request.cookies[PORTAL_SESSION_COOKIE], {
      fresh: request.method === 'POST',
    });
    if (!request.portalAccess) return reply.redirect(`/n/${token}`, 303);
  };
  const access = (request: FastifyRequest) => request.portalAccess!;

  // The notice page as rendered from a kept view (PortalService keeps a notice's view for a second): a crowd on
  // one notice costs one rendering a second per language and path, not one per request. Held weakly by the view,
  // so a rendering goes when its view does; a page with a ?done= flash is rendered every time.
  const renderings = new WeakMap<PortalView, Map<string, SafeHtml>>();
  const renderNotice = (lang: PortalLang, token: string, path: string, view: PortalView, done?: string) => {
    const render = () => portalPage(lang, path, noticePage({ lang, token, view, done }));
    if (done !== undefined) return render();
    let kept = renderings.get(view);
    if (!kept) renderings.set(view, (kept = new Map()));
    const key = `${lang} ${token} ${path}`;
    let page = kept.get(key);
    if (!page) {
      page = render();
      if (kept.size < RENDERINGS_PER_VIEW) kept.set(key, page);
    }
    return page;
  };
  const party = { config: portal, preHandler: requireParty };

  app.get(
    '/n/:token',
    { schema: { hide: true, params: TokenParams, querystring: NoticeQuery }, config: portal },
    async (request, reply) => {
      const lang = langOf(request, reply);
      const { token } = request.params;
      const found = await deps.sessions.resolve(token, request.cookies[PORTAL_SESSION_COOKIE]);
      if (!found) return sendPage(reply, portalPage(lang, pathOf(request), verifyForm({ lang, token })));
      const view = await deps.portal.view(found, request.ip);
      return sendPage(reply, renderNotice(lang, token, pathOf(request), view, request.query.done));
    },
  );

  app.post(
    '/n/:token/verify',
    {
      schema: {
        hide: true,
        params: TokenParams,
        body: Type.Object({ factor: Type.String({ maxLength: 64 }) }),
      },
      config: portal,
    },
    async (request, reply) => {
      const lang = langOf(request, reply);
      const { token } = request.params;
      const outcome = await deps.sessions.verify(token, request.body.factor, request.ip);
      if ('refused' in outcome) {
        const form = verifyForm({ lang, token, refusal: outcome.refused });
        return sendPage(
          reply,
          portalPage(lang, pathOf(request), form),
          outcome.refused === 'rate_limited' ? 429 : 403,
        );
      }
      reply.setCookie(PORTAL_SESSION_COOKIE, outcome.sessionId, {
        path: `/n/${token}`,
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.cookieSecure,
        maxAge: deps.config.portalSessionTtlMinutes * 60,
      });
      return reply.redirect(`/n/${token}`, 303);
    },
  );

  app.get(
    '/n/:token/documents/:file',
    {
      schema: {
        hide: true,
        params: Type.Object({
          token: Type.String({ maxLength: 64 }),
          file: Type.String({ pattern: '^[0-9a-f-]{36}\\.(pdf|html)$' }),
        }),
      },
      ...party,
    },
    async (request, reply) => {
      const [noticeId, extension] = request.params.file.split('.') as [string, 'pdf' | 'html'];
      const file = await deps.portal.documentFile(access(request), noticeId, extension, request.ip);
      if (extension === 'pdf') {
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="${file.kind}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(file.bytes);
      }
      // The sealed HTML keeps its own <style>; nothing in it may run.
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .header('cache-control', 'private, no-store')
        .send(file.bytes);
    },
  );

  app.get(
    '/n/:token/evidence/:id',
    {
      schema: {
        hide: true,
        params: TokenAndId,
        querystring: Type.Object({ original: Type.Optional(Type.String()) }),
      },
      ...party,
    },
    async (request, reply) => {
      const item = await deps.portal.evidenceItem(access(request), request.params.id);
      reply.header('x-content-sha256', item.sha256).header('cache-control', 'private, no-store');
      if (request.query.original === '1') {
        const original = await deps.portal.evidenceOriginal(access(request), item, request.ip);
        return reply
          .header('content-type', item.content_type)
          .header('content-disposition', `attachment; filename="evidence-${item.sha256.slice(0, 12)}"`)
          .send(original);
      }
      return reply.header('content-type', 'image/jpeg').send(await deps.portal.evidenceThumbnail(item));
    },
  );

  app.post(
    '/n/:token/acknowledge',
    {
      schema: {
        hide: true,
        params: TokenParams,
        body: Type.Object({ noticeId: Type.String({ format: 'uuid' }) }),
      },
      ...party,
    },
    async (request, reply) => {
      await deps.portal.acknowledge(access(request), request.body.noticeId);
      return reply.redirect(`/n/${request.params.token}?done=acknowledged`, 303);
    },
  );

  app.post(
    '/n/:token/statement',
    { schema: { hide: true, params: TokenParams }, ...party },
    async (request, reply) => {
      const { body, files } = await readStatementForm(request);
      await deps.portal.submitStatement(access(request), body, files);
      return reply.redirect(`/n/${request.params.token}?done=statement`, 303);
    },
  );

  app.post(
    '/n/:token/hearing',
    { schema: { hide: true, params: TokenParams }, ...party },
    async (request, reply) => {
      await deps.portal.requestHearing(access(request));
      return reply.redirect(`/n/${request.params.token}?done=hearing`, 303);
    },
  );

  app.post(
    '/n/:token/waive',
    { schema: { hide: true, params: TokenParams }, ...party },
    async (request, reply) => {
      await deps.portal.waive(access(request));
      return reply.redirect(`/n/${request.params.token}?done=waived`, 303);
    },
  );

  app.post(
    '/n/:token/pay',
    { schema: { hide: true, params: TokenParams }, ...party },
    async (request, reply) => {
      const back = `/n/${request.params.token}`;
      const returnUrl = `${deps.config.publicBaseUrl.replace(/\/$/, '')}${back}/payment/return`;
      return reply.redirect(await deps.portal.pay(access(request), returnUrl), 303);
    },
  );

  app.get(
    '/n/:token/payment/return',
    { schema: { hide: true, params: TokenParams }, ...party },
    async (request, reply) => {
      // The callback normally arrives first; if not, the provider is asked (the browser's word is never taken).
      await deps.portal
        .reconcileLatest(access(request))
        .catch((error: Error) => request.log.warn({ err: error.message }, 'payment reconcile failed'));
      return reply.redirect(`/n/${request.params.token}?done=payment`, 303);
    },
  );

  // The readable receipt, sealed like the case documents: shown in the browser, kept in Chinese.
  for (const format of ['html', 'pdf'] as const) {
    app.get(
      `/n/:token/receipt.${format}`,
      { schema: { hide: true, params: TokenParams }, ...party },
      async (request, reply) => {
        const bytes = await deps.portal.receiptDocument(access(request), format, request.ip);
        reply.header('cache-control', 'private, no-store');
        if (format === 'pdf')
          return reply
            .header('content-type', 'application/pdf')
            .header('content-disposition', 'inline; filename="receipt.pdf"')
            .send(bytes);
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header(
            'content-security-policy',
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
          )
          .send(bytes);
      },
    );
  }

  app.get(
    '/n/:token/receipt.json',
    {
      schema: {
        hide: true,
        params: TokenParams,
        querystring: Type.Object({ seal: Type.Optional(Type.String()) }),
      },
      ...party,
    },
    async (request, reply) => {
      const paid = await deps.portal.paymentReceipt(access(request));
      const seal = request.query.seal === '1';
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="receipt-${paid.gateway_order_id}${seal ? '.seal' : ''}.json"`,
        )
        .send(seal ? JSON.stringify(paid.receipt!.seal) : paid.receipt!.text);
    },
  );
};

/**
 * A state-changing request must come from our own pages. No Origin (old browsers, same-origin GET-turned-POST)
 * and the opaque "null" pass; any other value must parse and name this host, and one that does not parse is
 * refused like a foreign one.
 */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || origin === 'null') return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
