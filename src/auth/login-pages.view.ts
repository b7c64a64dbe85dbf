import { html, type SafeHtml } from '../web/html.js';
import { i18nFor } from '../web/i18n/index.js';
import { page } from '../web/layout.js';

export interface LoginPage {
  /** where to return after signing in with the city's identity provider; null when none is configured */
  oidcNext: string | null;
  csrfToken: string;
}

/** The staff sign-in form (login.js posts it to /auth/login) and the identity provider's link. */
export function loginView({ oidcNext, csrfToken }: LoginPage): SafeHtml {
  const { t } = i18nFor(null);
  return page(
    { title: t('login.title'), csrfToken, scripts: ['login.js'] },
    html`<div class="card login">
          <h1>${t('login.title')}</h1>
          <form id="login-form">
            <label for="username">${t('login.username')}</label
            ><input id="username" name="username" autocomplete="username" required />
            <label for="password">${t('login.password')}</label
            ><input id="password" name="password" type="password" autocomplete="current-password" required />
            <p><button type="submit" id="login-submit">${t('login.submit')}</button></p>
            <p id="login-error" class="error" role="alert"></p>
          </form>
          ${
            oidcNext !== null
              ? html`<p>
                <a id="oidc-login" href="/auth/oidc/login?next=${encodeURIComponent(oidcNext)}"
                  >${t('login.oidc')}</a
                >
              </p>`
              : ''
          }
        </div>`,
  );
}
