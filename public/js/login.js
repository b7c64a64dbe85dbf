import { api, $ } from './common.js';

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  $('#login-error').textContent = '';
  try {
    await api('POST', '/auth/login', { username: form.username.value, password: form.password.value });
    const next = new URLSearchParams(location.search).get('next');
    location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : '/staff';
  } catch (err) {
    $('#login-error').textContent = err.message;
  }
});
