import type { FastifyRequest } from 'fastify';
import type { ErrorAnswer } from '../http/error-handler.js';
import { html, type SafeHtml } from '../web/html.js';
import type { ErrorPageView } from '../web/pages.js';
import { fill, PORTAL_LANG_COOKIE, PORTAL_TEXT, pickLang, type PortalLang } from './portal-i18n.js';
import type { VerifyRefusal } from './portal-session.service.js';

/**
 * The portal's frame and its short pages: the second-factor form, a message, the error page. Server-rendered,
 * script-free, in the party's language; every value is escaped by `html`.
 */

export function portalLayout(lang: PortalLang, title: string, body: SafeHtml, switchHref: string): SafeHtml {
  const t = PORTAL_TEXT[lang];
  return html`<!doctype html>
    <html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · ${t.title}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="stylesheet" href="/static/portal.css" />
      </head>
      <body class="portal">
        <header class="portal-top">
          <strong>${t.title}</strong> <a id="lang-switch" href="${switchHref}">${t.language}</a>
        </header>
        <main>${body}</main>
      </body>
    </html>`;
}

/** A page under the portal's title, whose language switch opens the same path in the other language. */
export function portalPage(lang: PortalLang, path: string, body: SafeHtml): SafeHtml {
  return portalLayout(lang, PORTAL_TEXT[lang].title, body, `${path}?lang=${lang === 'zh' ? 'en' : 'zh'}`);
}

export interface VerifyFormProps {
  lang: PortalLang;
  token: string;
  /** why the form is shown again; the same words for an unknown link and a wrong factor */
  refusal?: VerifyRefusal;
}

export function verifyForm({ lang, token, refusal }: VerifyFormProps): SafeHtml {
  const t = PORTAL_TEXT[lang];
  const error =
    refusal === 'rate_limited' ? t.rateLimited : refusal === 'verify_failed' ? t.verifyFailed : '';
  return html`<section class="card portal-verify">
    <h1>${t.verifyHeading}</h1>
    <p>${t.verifyIntro}</p>
    ${error ? html`<p class="error" id="verify-error" role="alert">${error}</p>` : ''}
    <form method="post" action="/n/${token}/verify">
      <label for="factor">${t.factorLabel}</label>
      <input id="factor" name="factor" autocomplete="off" inputmode="text" maxlength="32" required />
      <p><button type="submit" id="verify-button">${t.verifyButton}</button></p>
    </form>
  </section>`;
}

export function messageCard(lang: PortalLang, message: string, backHref: string | null): SafeHtml {
  return html`<section class="card">
    <p class="error" id="portal-message" role="alert">${message}</p>
    ${backHref ? html`<p><a href="${backHref}">${PORTAL_TEXT[lang].back}</a></p>` : ''}
  </section>`;
}

/** The link token in a request's path parameters, if the route has one (the public portal pages have none). */
export function linkToken(params: unknown): string | null {
  return typeof params === 'object' &&
    params !== null &&
    'token' in params &&
    typeof params.token === 'string'
    ? params.token
    : null;
}

function errorMessage(lang: PortalLang, answer: ErrorAnswer, request: FastifyRequest): string {
  const t = PORTAL_TEXT[lang];
  if (answer.code === 'rate_limited') return t.rateLimited;
  if (answer.status >= 500 && answer.status !== 503) return fill(t.internalError, { id: request.id });
  return answer.message;
}

/** The portal's error page: the portal's frame, the party's language, a way back to the link. */
export const portalErrorPage: ErrorPageView = (answer, request) => {
  const lang = pickLang(request.query, request.cookies[PORTAL_LANG_COOKIE]);
  const token = linkToken(request.params);
  return portalPage(
    lang,
    request.url.split('?')[0]!,
    messageCard(lang, errorMessage(lang, answer, request), token === null ? null : `/n/${token}`),
  );
};
