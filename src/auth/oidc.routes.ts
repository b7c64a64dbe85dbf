import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Config } from '../config/config.js';
import { html } from '../web/html.js';
import { page, sendPage } from '../web/layout.js';
import { SESSION_COOKIE } from './auth.plugin.js';
import { OidcProviderUnavailableError, type OidcClient, type OidcFlow } from './oidc-client.adapter.js';
import { OidcSignInRefused, type OidcSignInService } from './oidc-sign-in.service.js';

/** The sign-in through the identity provider: its client and the use case that starts the session. */
export interface OidcSignIn {
  client: OidcClient;
  signIn: OidcSignInService;
}

export interface OidcRoutesDeps {
  config: Config;
  /** null when no identity provider is configured: then there are no such routes */
  oidc: OidcSignIn | null;
}

const FLOW_COOKIE = 'oidc_flow';
const FLOW_PATH = '/auth/oidc';
const FLOW_TTL_S = 600;

/** Only paths of this site, so the sign-in can never be used to send someone elsewhere. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) && next.length <= 500 ? next : '/staff';
}

function isFlow(v: unknown): v is OidcFlow & { next: string } {
  const f = v as Record<string, unknown> | null;
  return (
    !!f &&
    typeof f.state === 'string' &&
    typeof f.nonce === 'string' &&
    typeof f.verifier === 'string' &&
    typeof f.next === 'string'
  );
}

function problemPage(reply: FastifyReply, status: number, title: string, message: string) {
  return sendPage(
    reply,
    page(
      { title, lang: 'zh-CN' },
      html`<div class="card login">
        <h1>${title}</h1>
        <p class="error" role="alert">${message}</p>
        <p><a href="/login">返回登录 Back to sign-in</a></p>
      </div>`,
    ),
    status,
  );
}

/**
 * Staff sign-in through the city's identity provider (OpenID Connect), beside the local accounts:
 * `/auth/oidc/login` sends the browser to the provider; `/auth/oidc/callback` takes it back, checks the answer and
 * starts a session. The flow's state, nonce and PKCE verifier wait in a signed, HTTP-only cookie that is sent on
 * the provider's redirect back (SameSite=Lax) and lives ten minutes.
 */
export const oidcRoutes: FastifyPluginAsyncTypebox<OidcRoutesDeps> = async (app, deps) => {
  const { config } = deps;
  if (!deps.oidc) return;
  const { client: oidc, signIn } = deps.oidc;

  app.get(
    '/auth/oidc/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff sign-in through the identity provider (redirects there)',
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (request, reply) => {
      const { next } = request.query;
      let begun;
      try {
        begun = await oidc.begin();
      } catch (err) {
        if (!(err instanceof OidcProviderUnavailableError)) throw err;
        request.log.error({ err: err.message }, 'identity provider unreachable');
        return problemPage(
          reply,
          503,
          '统一身份认证暂不可用',
          '统一身份认证服务暂时无法连接，请稍后再试或使用本地账户登录。The identity provider cannot be reached.',
        );
      }
      reply.setCookie(FLOW_COOKIE, JSON.stringify({ ...begun.flow, next: safeNext(next) }), {
        path: FLOW_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        signed: true,
        maxAge: FLOW_TTL_S,
      });
      return reply.redirect(begun.url.href);
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      schema: {
        tags: ['auth'],
        summary: 'Where the identity provider sends staff back',
        querystring: Type.Object(
          {
            code: Type.Optional(Type.String({ maxLength: 2000 })),
            state: Type.Optional(Type.String({ maxLength: 500 })),
            error: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: true },
        ),
      },
    },
    async (request, reply) => {
      const raw = request.cookies[FLOW_COOKIE];
      reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
      const unsigned = raw ? request.unsignCookie(raw) : null;
      let flow: unknown = null;
      try {
        flow = unsigned?.valid && unsigned.value ? JSON.parse(unsigned.value) : null;
      } catch {
        flow = null;
      }
      if (!isFlow(flow)) {
        return problemPage(
          reply,
          400,
          '登录已失效',
          '本次登录已过期或不是从本站发起，请重新登录。The sign-in expired or was not started here.',
        );
      }
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const { error } = request.query;
      if (error) {
        request.log.warn({ error }, 'identity provider refused the sign-in');
        return problemPage(
          reply,
          401,
          '登录未完成',
          `统一身份认证未完成登录（${error}）。The identity provider did not sign you in.`,
        );
      }
      let claims: Record<string, unknown>;
      try {
        claims = await oidc.finish(query, flow);
      } catch (err) {
        if (err instanceof OidcProviderUnavailableError) {
          return problemPage(
            reply,
            503,
            '统一身份认证暂不可用',
            '统一身份认证服务暂时无法连接，请稍后再试。The identity provider cannot be reached.',
          );
        }
        // a wrong state, a replayed code, a bad signature: the details go to the log, never a token
        request.log.warn({ err: (err as Error).message }, 'identity provider answer refused');
        return problemPage(
          reply,
          400,
          '登录失败',
          "统一身份认证的应答无效，请重新登录。The identity provider's answer was not valid.",
        );
      }
      try {
        const { token } = await signIn.signIn(oidc.issuer, claims, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? '',
        });
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: config.cookieSecure,
          maxAge: config.sessionTtlMinutes * 60,
        });
      } catch (err) {
        if (!(err instanceof OidcSignInRefused)) throw err;
        return problemPage(reply, 403, '无权登录', err.message);
      }
      // This answer ends a navigation that began at the provider, so a SameSite=Strict cookie set here would not
      // be sent on a redirect; a page of our own that moves on starts a same-site navigation that carries it.
      const next = flow.next;
      return reply
        .status(200)
        .header('content-type', 'text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
        )
        .header('cache-control', 'no-store')
        .send(
          html`<!doctype html>
            <html lang="zh-CN">
              <head>
                <meta charset="utf-8" />
                <meta http-equiv="refresh" content="0;url=${next}" />
                <title>正在登录 Signing in</title>
                <link rel="stylesheet" href="/static/app.css" />
              </head>
              <body>
                <main><p>正在登录… Signing in… <a id="continue" href="${next}">继续 Continue</a></p></main>
              </body>
            </html>`.value,
        );
    },
  );
};
