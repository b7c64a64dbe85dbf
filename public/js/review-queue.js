import { $, request } from './common.js';

async function start() {
  $('#queue-error').textContent = '';
  try {
    const res = await request('POST', '/api/review/claim', {});
    if (res.status === 204) {
      location.href = '/review?empty=1';
      return;
    }
    if (!res.ok) {
      const data = await res.json();
      throw new Error(data.text ?? data.message);
    }
    location.href = `/review/tasks/${(await res.json()).task.id}`;
  } catch (err) {
    $('#queue-error').textContent = err.message;
  }
}

$('#start').addEventListener('click', start);
document.addEventListener('keydown', (e) => {
  if (e.key === 'n' || e.key === 'N') start();
});
