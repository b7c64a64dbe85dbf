import { api, $, csrfToken } from './common.js';

// The workbench: every decision has a key, and the next task opens by itself.
const { taskId, stage } = JSON.parse($('#task-data').textContent);
let busy = false;

async function openNext() {
  const res = await fetch('/api/review/claim', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
    body: '{}',
  });
  if (res.status === 204) location.href = '/review?empty=1';
  else location.href = `/review/tasks/${(await res.json()).task.id}`;
}

async function decide(decision) {
  if (busy) return;
  busy = true;
  $('#decision-error').textContent = '';
  const body = { decision };
  if (decision === 'reject') {
    body.reasonCode = $('#reason').value;
    const text = $('#reason-text').value.trim();
    if (text) body.reasonText = text;
  }
  if (decision === 'approve' && stage === 'legal') {
    const party = $('#party-select')?.value;
    if (party) body.partyId = party;
  }
  try {
    await api('POST', `/api/review/tasks/${taskId}/decision`, body);
    await openNext();
  } catch (err) {
    $('#decision-error').textContent = err.message;
    busy = false;
  }
}

$('#approve').addEventListener('click', () => decide('approve'));
$('#reject').addEventListener('click', () => decide('reject'));
$('#more').addEventListener('click', () => decide('more_evidence'));

for (const img of document.querySelectorAll('img.zoomable')) {
  img.addEventListener('click', () => img.classList.toggle('zoomed'));
}

document.addEventListener('keydown', async (e) => {
  if (e.target instanceof HTMLElement && ['INPUT', 'TEXTAREA'].includes(e.target.tagName)) return;
  const key = e.key.toLowerCase();
  if (key === 'a') decide('approve');
  else if (key === 'r') decide('reject');
  else if (key === 'm') decide('more_evidence');
  else if (key === 'z') document.querySelector('img.zoomable')?.classList.toggle('zoomed');
  else if (/^[1-6]$/.test(key)) $('#reason').selectedIndex = Number(key) - 1;
  else if (key === 'escape') {
    await api('POST', `/api/review/tasks/${taskId}/release`).catch(() => undefined);
    location.href = '/review';
  }
});

const search = $('#party-search');
if (search) {
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const { parties } = await api('GET', `/api/parties?q=${encodeURIComponent(search.value)}`);
      const select = $('#party-select');
      select.replaceChildren(
        ...parties.map((p) => {
          const o = document.createElement('option');
          o.value = p.id;
          o.textContent = `${p.name} (${p.idNumber})`;
          return o;
        }),
      );
    }, 250);
  });
}

// Keep the claim while the page is open; a closed tab lets the lease run out and the task returns to the queue.
setInterval(() => api('POST', `/api/review/tasks/${taskId}/heartbeat`).catch(() => undefined), 120_000);
