import fastifyMultipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditOutboxWriter } from '../audit/audit-outbox.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import { DomainError, ForbiddenError, TooManyRequestsError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { sendPage } from '../web/layout.js';
import { assertNoNul } from '../http/input-guard.js';
import { ATTACHMENT_LIMITS } from './attachment-check.js';
import { PORTAL_TEXT, pickLang, type PortalLang } from './portal-i18n.js';
import { messagePage, noticePage, portalLayout, verifyPage } from './portal-pages.js';
import { PortalVerifyError, type PortalAccess, type PortalSessionService } from './portal-session.service.js';
import type { PortalService, UploadedFile } from './portal.service.js';

/**
 * The party's pages under /n/<token>. Without a session the link shows the second-factor form, the same for
 * any token. The session cookie is http-only, SameSite=Lax (the payment provider sends the party back with a
 * top-level GET) and scoped to the link's path; state-changing requests also need a same-origin Origin header.
 */

export const PORTAL_SESSION_COOKIE = 'psid';
const LANG_COOKIE = 'plang';
const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) });
const TokenAndId = Type.Object({
  token: Type.String({ maxLength: 64 }),
  id: Type.String({ format: 'uuid' }),
});

export interface PortalRouteDeps {
  config: Config;
  pool: Pool;
  blobs: BlobStore;
  sessions: PortalSessionService;
  portal: PortalService;
  views: AuditOutboxWriter;
}

declare module 'fastify' {
  interface FastifyRequest {
    portalAccess: PortalAccess | null;
  }
}

export async function portalRoutes(app: FastifyInstance, deps: PortalRouteDeps): Promise<void> {
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
  const tokenOf = (request: FastifyRequest) => (request.params as { token: string }).token;
  const langOf = (request: FastifyRequest, reply: FastifyReply): PortalLang => {
    const lang = pickLang(request.query, request.cookies[LANG_COOKIE]);
    if ((request.query as { lang?: string })?.lang)
      reply.setCookie(LANG_COOKIE, lang, {
        path: '/',
        sameSite: 'lax',
        httpOnly: true,
        maxAge: 365 * 86_400,
      });
    return lang;
  };
  const show = (
    reply: FastifyReply,
    lang: PortalLang,
    request: FastifyRequest,
    body: Parameters<typeof portalLayout>[2],
    status = 200,
  ) => {
    const path = request.url.split('?')[0]!;
    return sendPage(
      reply,
      portalLayout(lang, PORTAL_TEXT[lang].title, body, `${path}?lang=${lang === 'zh' ? 'en' : 'zh'}`),
      status,
    );
  };
  const back = (request: FastifyRequest) => `/n/${tokenOf(request)}`;

  // Every page under a link but the form itself needs the session of that link.
  const requireParty = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'POST') {
      if (!sameOrigin(request.headers.origin, request.headers.host))
        throw new ForbiddenError('cross-site request refused');
    }
    request.portalAccess = await deps.sessions.resolve(
      tokenOf(request),
      request.cookies[PORTAL_SESSION_COOKIE],
    );
    if (!request.portalAccess) return reply.redirect(back(request), 303);
  };
  const access = (request: FastifyRequest) => request.portalAccess!;
  /** Runs a state-changing step; a refused step is shown as a page saying why. */
  const step =
    (fn: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await fn(request, reply);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        const lang = langOf(request, reply);
        return show(reply, lang, request, messagePage(lang, error.message, back(request)), error.statusCode);
      }
    };

  app.get('/n/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
    const lang = langOf(request, reply);
    let found: PortalAccess | null;
    try {
      found = await deps.sessions.resolve(tokenOf(request), request.cookies[PORTAL_SESSION_COOKIE]);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      return show(reply, lang, request, messagePage(lang, PORTAL_TEXT[lang].rateLimited, back(request)), 429);
    }
    if (!found) return show(reply, lang, request, verifyPage(lang, tokenOf(request)));
    const view = await deps.portal.view(found, request.ip);
    const done = (request.query as { done?: string }).done;
    return show(
      reply,
      lang,
      request,
      noticePage(lang, tokenOf(request), view, done ? PORTAL_TEXT[lang].done : undefined),
    );
  });

  app.post(
    '/n/:token/verify',
    {
      schema: {
        hide: true,
        params: TokenParams,
        body: Type.Object({ factor: Type.String({ maxLength: 64 }) }),
      },
    },
    async (request, reply) => {
      const lang = langOf(request, reply);
      const token = tokenOf(request);
      try {
        const { sessionId } = await deps.sessions.verify(
          token,
          (request.body as { factor: string }).factor,
          request.ip,
        );
        reply.setCookie(PORTAL_SESSION_COOKIE, sessionId, {
          path: `/n/${token}`,
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.config.cookieSecure,
          maxAge: deps.config.portalSessionTtlMinutes * 60,
        });
        return reply.redirect(`/n/${token}`, 303);
      } catch (error) {
        if (error instanceof TooManyRequestsError)
          return show(reply, lang, request, verifyPage(lang, token, PORTAL_TEXT[lang].rateLimited), 429);
        if (error instanceof PortalVerifyError)
          return show(reply, lang, request, verifyPage(lang, token, PORTAL_TEXT[lang].verifyFailed), 403);
        throw error;
      }
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
      preHandler: requireParty,
    },
    async (request, reply) => {
      const [noticeId, extension] = (request.params as { file: string }).file.split('.') as [
        string,
        'pdf' | 'html',
      ];
      const notice = await deps.portal.document(access(request), noticeId);
      await audit(deps.views, access(request), 'portal.document', {
        noticeId,
        format: extension,
        ip: request.ip,
      });
      const bytes = await deps.blobs.get(extension === 'pdf' ? notice.document_key! : notice.html_key!);
      if (extension === 'pdf') {
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="${notice.kind}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(bytes);
      }
      // The sealed HTML keeps its own <style>; nothing in it may run.
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.get(
    '/n/:token/evidence/:id',
    { schema: { hide: true, params: TokenAndId }, preHandler: requireParty },
    async (request, reply) => {
      const item = await deps.portal.evidenceItem(access(request), (request.params as { id: string }).id);
      reply.header('x-content-sha256', item.sha256).header('cache-control', 'private, no-store');
      if ((request.query as { original?: string }).original === '1') {
        const original = await deps.blobs.get(item.storage_key);
        await audit(deps.views, access(request), 'portal.evidence_download', {
          evidenceId: item.id,
          ip: request.ip,
        });
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
      preHandler: requireParty,
    },
    step(async (request, reply) => {
      await deps.portal.acknowledge(access(request), (request.body as { noticeId: string }).noticeId);
      return reply.redirect(`${back(request)}?done=acknowledged`, 303);
    }),
  );

  app.post(
    '/n/:token/statement',
    { schema: { hide: true, params: TokenParams }, preHandler: requireParty },
    step(async (request, reply) => {
      if (!request.isMultipart())
        throw new DomainError(415, 'unsupported_media_type', 'a statement is sent as multipart/form-data');
      let body = '';
      const files: UploadedFile[] = [];
      try {
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            const bytes = await part.toBuffer();
            // A form with no file chosen still sends an empty, nameless file part.
            if (part.filename) files.push({ name: part.filename, bytes });
          } else if (part.fieldname === 'body') {
            body = String(part.value);
          }
        }
        assertNoNul({ body, files: files.map((f) => f.name) }, 'statement');
      } catch (error) {
        if (error instanceof DomainError) throw error;
        const code = (error as { code?: string }).code ?? '';
        if (
          ['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(code)
        )
          throw new DomainError(
            413,
            'attachment_refused',
            `attachments must be at most ${ATTACHMENT_LIMITS.maxFiles} files of ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB each`,
          );
        // Anything else the multipart reader throws is a body it could not read: cut off, no boundary, bad headers.
        throw new DomainError(400, 'malformed_form', 'the form could not be read; please send it again');
      }
      await deps.portal.submitStatement(access(request), body, files);
      return reply.redirect(`${back(request)}?done=statement`, 303);
    }),
  );

  app.post(
    '/n/:token/hearing',
    { schema: { hide: true, params: TokenParams }, preHandler: requireParty },
    step(async (request, reply) => {
      await deps.portal.requestHearing(access(request));
      return reply.redirect(`${back(request)}?done=hearing`, 303);
    }),
  );

  app.post(
    '/n/:token/waive',
    { schema: { hide: true, params: TokenParams }, preHandler: requireParty },
    step(async (request, reply) => {
      await deps.portal.waive(access(request));
      return reply.redirect(`${back(request)}?done=waived`, 303);
    }),
  );

  app.post(
    '/n/:token/pay',
    { schema: { hide: true, params: TokenParams }, preHandler: requireParty },
    step(async (request, reply) => {
      const returnUrl = `${deps.config.publicBaseUrl.replace(/\/$/, '')}${back(request)}/payment/return`;
      return reply.redirect(await deps.portal.pay(access(request), returnUrl), 303);
    }),
  );

  app.get(
    '/n/:token/payment/return',
    { schema: { hide: true, params: TokenParams }, preHandler: requireParty },
    async (request, reply) => {
      // The callback normally arrives first; if not, the provider is asked (the browser's word is never taken).
      await deps.portal
        .reconcileLatest(access(request))
        .catch((error: Error) => request.log.warn({ err: error.message }, 'payment reconcile failed'));
      return reply.redirect(`${back(request)}?done=payment`, 303);
    },
  );

  app.get(
    '/n/:token/receipt.json',
    { schema: { hide: true, params: TokenParams }, preHandler: requireParty },
    async (request, reply) => {
      const paid = await deps.portal.paymentReceipt(access(request));
      const seal = (request.query as { seal?: string }).seal === '1';
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="receipt-${paid.gateway_order_id}${seal ? '.seal' : ''}.json"`,
        )
        .send(seal ? JSON.stringify(paid.receipt!.seal) : paid.receipt!.text);
    },
  );
}

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

async function audit(
  views: AuditOutboxWriter,
  access: PortalAccess,
  action: string,
  data: Record<string, unknown>,
): Promise<void> {
  await views.record({
    actorKind: 'party',
    actorId: access.session.party_id,
    action,
    subjectKind: 'notice',
    subjectId: access.notice.id,
    data: { caseId: access.notice.case_id, ...data },
  });
}
