import { html, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import { PASSWORD_RULES_ZH } from './password.js';

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
  return page(
    { title: '登录', csrfToken, scripts: ['login.js'], lang: 'zh-CN' },
    html`<div class="card login">
          <h1>工作人员登录</h1>
          <form id="login-form">
            <label for="username">用户名</label
            ><input id="username" name="username" autocomplete="username" required />
            <label for="password">密码</label
            ><input id="password" name="password" type="password" autocomplete="current-password" required />
            <p><button type="submit">登录</button></p>
            <p id="login-error" class="error" role="alert"></p>
          </form>
          <form id="new-password-form" hidden>
            <h2>设置新密码</h2>
            <p class="notice">管理员为您设置了临时密码。请设置您自己的新密码后继续。</p>
            <p class="muted" id="password-rules">${PASSWORD_RULES_ZH}，且不能与临时密码相同。</p>
            <label for="new-password">新密码</label
            ><input id="new-password" name="newPassword" type="password" autocomplete="new-password" required />
            <label for="new-password-again">再次输入新密码</label
            ><input
              id="new-password-again"
              name="newPasswordAgain"
              type="password"
              autocomplete="new-password"
              required
            />
            <p><button type="submit">设置并登录</button></p>
            <p id="new-password-error" class="error" role="alert"></p>
          </form>
          ${
            oidcNext !== null
              ? html`<p>
                <a id="oidc-login" href="/auth/oidc/login?next=${encodeURIComponent(oidcNext)}"
                  >使用统一身份认证登录</a
                >
              </p>`
              : ''
          }
        </div>`,
  );
}
