import { html, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import { staffI18n } from '../web/i18n/index.js';

export interface LoginPage {
  /** where to return after signing in with the city's identity provider; null when none is configured */
  oidcNext: string | null;
  csrfToken: string;
}

/**
 * The staff sign-in form (login.js posts it to /auth/login), the step that replaces a password an admin set
 * (posted to /auth/password), and the identity provider's link.
 */
export function loginView({ oidcNext, csrfToken }: LoginPage): SafeHtml {
  // No one is signed in yet: the page is in Chinese, the staff pages' default.
  const { t } = staffI18n('zh');
  return page(
    { title: t('login.title'), csrfToken, scripts: ['login.js'], lang: 'zh' },
    html`<div class="card login">
          <h1>${t('login.heading')}</h1>
          <form
            id="login-form"
            data-throttled="${t('login.error.throttled')}"
            data-wrong="${t('login.error.wrong')}"
            data-expired="${t('login.error.expired')}"
            data-other="${t('login.error.other')}"
          >
            <label for="username">${t('login.username')}</label
            ><input id="username" name="username" autocomplete="username" required />
            <label for="password">${t('login.password')}</label
            ><input id="password" name="password" type="password" autocomplete="current-password" required />
            <p><button type="submit">${t('login.submit')}</button></p>
            <p id="login-error" class="error" role="alert"></p>
          </form>
          <form id="new-password-form" data-mismatch="${t('login.newPassword.mismatch')}" hidden>
            <h2>${t('login.newPassword.heading')}</h2>
            <p class="notice">${t('login.newPassword.notice')}</p>
            <p class="muted" id="password-rules">${t('login.newPassword.rules')}</p>
            <label for="new-password">${t('login.newPassword.label')}</label
            ><input id="new-password" name="newPassword" type="password" autocomplete="new-password" required />
            <label for="new-password-again">${t('login.newPassword.again')}</label
            ><input
              id="new-password-again"
              name="newPasswordAgain"
              type="password"
              autocomplete="new-password"
              required
            />
            <p><button type="submit">${t('login.newPassword.submit')}</button></p>
            <p id="new-password-error" class="error" role="alert"></p>
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
