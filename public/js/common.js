// Shared by every staff and portal page: JSON requests that carry the CSRF token, and the sign-out button.
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

export async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    headers:
      body === undefined
        ? { 'x-csrf-token': csrfToken() }
        : { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error(data?.message ?? `${res.status} ${res.statusText}`);
    err.status = res.status;
    err.data = data;
    throw err;
  }
  return data;
}

export function $(selector) {
  return document.querySelector(selector);
}

// Pages without a form carry no token in a meta tag: the top bar's buttons ask for one first.
async function ensureCsrf() {
  if (csrfToken()) return;
  const { token } = await api('GET', '/auth/csrf');
  const meta = document.createElement('meta');
  meta.name = 'csrf-token';
  meta.content = token;
  document.head.append(meta);
}

const logout = document.getElementById('logout');
if (logout) {
  logout.addEventListener('click', async () => {
    await ensureCsrf().catch(() => undefined);
    await api('POST', '/auth/logout').catch(() => undefined);
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
