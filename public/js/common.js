// Shared by every staff page: JSON requests that carry the CSRF token, signing in again in place when the session
// has expired (the request is then sent again, so a drawn zone or a typed decision is not lost), and sign-out.
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

// Requests that answer 401 for a reason other than an expired session (a wrong password) are never retried.
const NO_RETRY = new Set(['/auth/login', '/auth/password', '/auth/logout']);

function send(method, url, body) {
  return fetch(url, {
    method,
    headers:
      body === undefined
        ? { 'x-csrf-token': csrfToken() }
        : { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
}

/**
 * A request to the JSON API that survives an expired session: on 401 the sign-in dialog opens, and once signed in
 * the same request is sent again. Resolves to the Response (for callers that look at its status themselves).
 */
export async function request(method, url, body) {
  const res = await send(method, url, body);
  if (res.status !== 401 || NO_RETRY.has(url.split('?')[0])) return res;
  if (!(await signInAgain())) return res;
  return send(method, url, body);
}

export async function api(method, url, body) {
  const res = await request(method, url, body);
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    // `text` is the message in the reader's language; `message` the API's own words
    const err = new Error(data?.text ?? data?.message ?? `${res.status} ${res.statusText}`);
    err.status = res.status;
    err.data = data;
    throw err;
  }
  return data;
}

export function $(selector) {
  return document.querySelector(selector);
}

// One dialog for every request that met an expired session at the same time: they all wait for the same sign-in.
let pending = null;

/** Opens the sign-in dialog; true once signed in again, false when the user closes it. */
export function signInAgain() {
  pending ??= showSignInDialog().finally(() => {
    pending = null;
  });
  return pending;
}

function element(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}

// The dialog's words come from the page, in the reader's language (src/web/layout.ts); Chinese when it has none.
const REAUTH_TEXT = {
  title: '登录已过期',
  intro: '请重新登录。登录后将继续刚才的操作，页面上填写的内容不会丢失。',
  username: '用户名',
  password: '密码',
  submit: '登录并继续',
  cancel: '取消',
  wrongPassword: '用户名或密码错误。',
};

function reauthText() {
  try {
    return { ...REAUTH_TEXT, ...JSON.parse(document.getElementById('reauth-text')?.textContent ?? '{}') };
  } catch {
    return REAUTH_TEXT;
  }
}

function showSignInDialog() {
  const text = reauthText();
  return new Promise((resolve) => {
    const username = element('input', {
      id: 'reauth-username',
      name: 'username',
      autocomplete: 'username',
      required: true,
    });
    const password = element('input', {
      id: 'reauth-password',
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const error = element('p', { id: 'reauth-error', className: 'error', role: 'alert' });
    const submit = element('button', {
      type: 'submit',
      id: 'reauth-submit',
      textContent: text.submit,
    });
    const cancel = element('button', {
      type: 'button',
      className: 'secondary',
      textContent: text.cancel,
    });
    const form = element('form', { id: 'reauth-form' }, [
      element('h2', { textContent: text.title }),
      element('p', {
        className: 'muted',
        textContent: text.intro,
      }),
      element('label', { htmlFor: 'reauth-username', textContent: text.username }),
      username,
      element('label', { htmlFor: 'reauth-password', textContent: text.password }),
      password,
      element('p', { className: 'toolbar' }, [submit, cancel]),
      error,
    ]);
    const dialog = element('dialog', { id: 'reauth', className: 'reauth' }, [form]);
    // Keys typed in the dialog are the dialog's: the page's shortcuts (decisions, drawing) must not see them.
    dialog.addEventListener('keydown', (event) => event.stopPropagation());
    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      resolve(ok);
    };
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    cancel.addEventListener('click', () => finish(false));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      try {
        await ensureCsrf();
        const res = await send('POST', '/auth/login', { username: username.value, password: password.value });
        if (res.ok) return finish(true);
        const data = await res.json().catch(() => null);
        error.textContent =
          res.status === 401 ? text.wrongPassword : (data?.text ?? data?.message ?? `${res.status}`);
      } catch (err) {
        error.textContent = err.message;
      } finally {
        submit.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    username.focus();
  });
}

// Pages without a form carry no token in a meta tag: the top bar's buttons and the sign-in dialog ask for one first.
async function ensureCsrf() {
  if (csrfToken()) return;
  const { token } = await api('GET', '/auth/csrf');
  const meta = document.createElement('meta');
  meta.name = 'csrf-token';
  meta.content = token;
  document.head.append(meta);
}

// The top bar on a narrow screen: the menu button shows every link as a list (the "more" links opened with them).
const navToggle = document.getElementById('nav-toggle');
if (navToggle) {
  navToggle.addEventListener('click', () => {
    const nav = navToggle.closest('nav');
    const open = !nav.classList.contains('open');
    nav.classList.toggle('open', open);
    navToggle.setAttribute('aria-expanded', String(open));
    const more = nav.querySelector('details.nav-more');
    if (more) more.open = open;
  });
}

const logout = document.getElementById('logout');
if (logout) {
  logout.addEventListener('click', async () => {
    await ensureCsrf().catch(() => undefined);
    await send('POST', '/auth/logout').catch(() => undefined);
    location.href = '/login';
  });
}

// The language switch in the top bar: remembered on the account, then the page is shown again in it.
const langSwitch = document.getElementById('lang-switch');
if (langSwitch) {
  langSwitch.addEventListener('click', async () => {
    const lang = langSwitch.dataset.lang;
    await ensureCsrf();
    await api('POST', '/auth/lang', { lang });
    location.reload();
  });
}
