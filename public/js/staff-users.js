import { api, $ } from './common.js';

// The user-management pages: every change goes through /api/staff/users with the page's CSRF token. The texts
// shown here come from the page (data attributes), which has them in the reader's language.

function showError(err) {
  $('#form-error').textContent = err.message;
}

const createForm = $('#user-create-form');
if (createForm) {
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('#form-error').textContent = '';
    const f = event.target;
    try {
      const { user, temporaryPassword } = await api('POST', '/api/staff/users', {
        username: f.username.value.trim(),
        displayName: f.displayName.value,
        role: f.role.value,
        districtId: f.districtId.value || null,
      });
      $('#temporary-password').textContent = temporaryPassword;
      $('#created-link').href = `/staff/users/${user.id}`;
      $('#created').hidden = false;
      createForm.hidden = true;
    } catch (err) {
      showError(err);
    }
  });
}

const userPage = $('#user-page');
if (userPage) {
  const url = `/api/staff/users/${userPage.dataset.userId}`;
  const run = async (action, message) => {
    $('#form-error').textContent = '';
    $('#form-ok').hidden = true;
    try {
      const result = await action();
      if (message) {
        $('#form-ok').textContent = message;
        $('#form-ok').hidden = false;
      }
      return result;
    } catch (err) {
      showError(err);
      return undefined;
    }
  };

  $('#user-edit-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    await run(
      () =>
        api('PATCH', url, {
          displayName: f.displayName.value,
          role: f.role.value,
          districtId: f.districtId.value || null,
        }),
      $('#form-ok').dataset.saved,
    );
  });

  const toggle = $('#toggle-active');
  toggle.addEventListener('click', async () => {
    const active = toggle.dataset.active === 'true';
    if (active && !window.confirm(toggle.dataset.confirm)) return;
    if ((await run(() => api('PATCH', url, { active: !active }))) !== undefined) location.reload();
  });

  const reset = $('#reset-password');
  if (reset) {
    reset.addEventListener('click', async () => {
      if (!window.confirm(reset.dataset.confirm)) return;
      const result = await run(() => api('POST', `${url}/reset-password`));
      if (result) {
        $('#temporary-password').textContent = result.temporaryPassword;
        $('#reset-result').hidden = false;
      }
    });
  }

  const lift = $('#lift-lockout');
  if (lift) {
    lift.addEventListener('click', async () => {
      if ((await run(() => api('POST', `${url}/unlock`))) !== undefined) location.reload();
    });
  }
}
