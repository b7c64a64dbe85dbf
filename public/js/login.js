import { api, $ } from './common.js';

// Sign-in, and the step that follows when an admin set the password: the user chooses their own, proving the
// temporary one again (kept in this page only, never stored).

let pending = null;

function goOn() {
  const next = new URLSearchParams(location.search).get('next');
  location.href = next && next.startsWith('/') && !next.startsWith('//') ? next : '/staff';
}

/** The server's message when it is in Chinese; otherwise the page's own words for the status. */
function messageOf(err) {
  const texts = $('#login-form').dataset;
  if (/[\u4e00-\u9fff]/.test(err.message)) return err.message;
  if (err.status === 429) return texts.throttled;
  if (err.status === 401) return texts.wrong;
  if (err.status === 403) return texts.expired;
  return `${texts.other} (${err.message})`;
}

$('#login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  $('#login-error').textContent = '';
  const username = form.username.value;
  const password = form.password.value;
  try {
    await api('POST', '/auth/login', { username, password });
    goOn();
  } catch (err) {
    if (err.data?.error === 'password_change_required') {
      pending = { username, password };
      form.hidden = true;
      $('#new-password-form').hidden = false;
      $('#new-password').focus();
      return;
    }
    $('#login-error').textContent = messageOf(err);
  }
});

$('#new-password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  $('#new-password-error').textContent = '';
  if (form.newPassword.value !== form.newPasswordAgain.value) {
    $('#new-password-error').textContent = form.dataset.mismatch;
    return;
  }
  try {
    await api('POST', '/auth/password', {
      username: pending.username,
      currentPassword: pending.password,
      newPassword: form.newPassword.value,
    });
    pending = null;
    goOn();
  } catch (err) {
    $('#new-password-error').textContent = messageOf(err);
  }
});
