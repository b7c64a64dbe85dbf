import { html, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';

export interface LoginPage {
  /** where to return after signing in with the city's identity provider; null when none is configured */
  oidcNext: string | null;
  csrfToken: string;
}

/** The staff sign-in form (login.js posts it to /auth/login) and the identity provider's link. */
export function loginView({ oidcNext, csrfToken }: LoginPage): SafeHtml {
  return page(
    { title: 'Sign in', csrfToken, scripts: ['login.js'] },
    html`<div class="card login">
          <h1>Staff sign-in</h1>
          <form id="login-form">
            <label for="username">Username</label
            ><input id="username" name="username" autocomplete="username" required />
            <label for="password">Password</label
            ><input id="password" name="password" type="password" autocomplete="current-password" required />
            <p><button type="submit">Sign in</button></p>
            <p id="login-error" class="error" role="alert"></p>
          </form>
          ${
            oidcNext !== null
              ? html`<p>
                <a id="oidc-login" href="/auth/oidc/login?next=${encodeURIComponent(oidcNext)}"
                  >使用统一身份认证登录 Sign in with the city's identity provider</a
                >
              </p>`
              : ''
          }
        </div>`,
  );
}
