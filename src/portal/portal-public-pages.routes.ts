import type { KeyObject } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { keyFingerprint, publicKeyPem } from '../documents/seal.js';
import { sendPage } from '../web/layout.js';
import { PORTAL_LANG_COOKIE, pickLang } from './portal-i18n.js';
import { portalErrorPage } from './portal-pages.view.js';
import { sealPage } from './portal-public.view.js';

/**
 * Public portal pages: the seal's public key, what every document and receipt is checked against. The page a
 * document's QR code opens is in portal-lookup-pages.routes.ts.
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
};
