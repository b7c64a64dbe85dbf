// Shared by every staff and portal page: JSON requests that carry the CSRF token, and the sign-out button.
export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

export async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? { 'x-csrf-token': csrfToken() } : { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
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

const logout = document.getElementById('logout');
if (logout) {
  logout.addEventListener('click', async () => {
    await api('POST', '/auth/logout').catch(() => undefined);
    location.href = '/login';
  });
}
