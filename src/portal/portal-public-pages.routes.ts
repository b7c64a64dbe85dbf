import type { KeyObject } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { keyFingerprint, publicKeyPem } from '../documents/seal.js';
import { sendPage } from '../web/layout.js';
import { PORTAL_LANG_COOKIE, pickLang } from './portal-i18n.js';
import { portalErrorPage } from './portal-pages.view.js';
import { caseNumberPage, sealPage } from './portal-public.view.js';

/**
 * Public portal pages: the seal's public key (what every document and receipt is checked against) and the
 * page a document's QR code opens. That page is the same for every well-formed case number, so it tells no one
 * whether a case exists; the case itself opens only from the link sent to the party.
 */

export interface PortalPublicDeps {
  sealKey: () => Promise<KeyObject>;
}

const portal = { errorPage: { view: portalErrorPage } };

export const portalPublicPageRoutes: FastifyPluginAsyncTypebox<PortalPublicDeps> = async (app, deps) => {
  app.get(
    '/portal/seal-public-key',
    { schema: { tags: ['public'], summary: "The agency seal's public key (SPKI PEM)" } },
    async (_request, reply) => {
      const key = await deps.sealKey();
      return reply
        .header('content-type', 'application/x-pem-file')
        .header('x-key-fingerprint', keyFingerprint(key))
        .header('cache-control', 'public, max-age=3600')
        .send(publicKeyPem(key));
    },
  );

  app.get('/portal/seal', { schema: { hide: true }, config: portal }, async (request, reply) => {
    const key = await deps.sealKey();
    const lang = pickLang(request.query, request.cookies[PORTAL_LANG_COOKIE]);
    return sendPage(reply, sealPage({ lang, fingerprint: keyFingerprint(key), pem: publicKeyPem(key) }));
  });

  app.get(
    '/portal/cases/:number',
    {
      schema: {
        hide: true,
        params: Type.Object({ number: Type.String({ pattern: '^SH-[A-Z]{2}-\\d{4}-\\d{6}$' }) }),
      },
      config: portal,
    },
    async (request, reply) => {
      const lang = pickLang(request.query, request.cookies[PORTAL_LANG_COOKIE]);
      const page = caseNumberPage({ lang, number: request.params.number, path: request.url.split('?')[0]! });
      return sendPage(reply, page);
    },
  );
};
