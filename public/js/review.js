import { api, $, request } from './common.js';

// The workbench: every decision has a key, and the next task opens by itself.
const { taskId, stage, texts } = JSON.parse($('#task-data').textContent);
let busy = false;

async function openNext() {
  const res = await request('POST', '/api/review/claim', {});
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
    body.circumstances = circumstances();
  }
  try {
    await api('POST', `/api/review/tasks/${taskId}/decision`, body);
    await openNext();
  } catch (err) {
    $('#decision-error').textContent = err.message;
    busy = false;
  }
}

// At the legal stage approval files the case and a sealed document follows: first show what will be issued.
async function approve() {
  if (stage !== 'legal') return decide('approve');
  const panel = $('#approve-preview');
  if (!panel.hidden) return decide('approve');
  $('#decision-error').textContent = '';
  const body = { circumstances: circumstances() };
  const party = $('#party-select')?.value;
  if (party) body.partyId = party;
  try {
    const { suggestions, recipient } = await api('POST', `/api/review/tasks/${taskId}/suggestion`, body);
    const s = suggestions[0];
    $('#preview-document').textContent = s.penalty === 'none' ? texts.noPenaltyDecision : texts.advanceNotice;
    $('#preview-amount').textContent = s.amountInCapitals
      ? `${s.amount}（大写：${s.amountInCapitals}）`
      : s.amount;
    $('#preview-amount').dataset.fen = String(s.fineFen);
    $('#preview-recipient').textContent = recipient ? `${recipient.name} · ${recipient.channel}` : '—';
    $('#preview-reasons').replaceChildren(
      ...s.reasons.map((r) => Object.assign(document.createElement('li'), { textContent: r })),
    );
    panel.hidden = false;
    $('#confirm-approve').focus();
  } catch (err) {
    $('#decision-error').textContent = err.message;
  }
}

$('#approve').addEventListener('click', () => approve());
$('#confirm-approve')?.addEventListener('click', () => decide('approve'));
$('#cancel-approve')?.addEventListener('click', () => ($('#approve-preview').hidden = true));
$('#reject').addEventListener('click', () => decide('reject'));
$('#more').addEventListener('click', () => decide('more_evidence'));

for (const img of document.querySelectorAll('img.zoomable')) {
  img.addEventListener('click', () => img.classList.toggle('zoomed'));
}

document.addEventListener('keydown', async (e) => {
  if (e.target instanceof HTMLElement && ['INPUT', 'TEXTAREA'].includes(e.target.tagName)) return;
  const key = e.key.toLowerCase();
  if (key === 'a') approve();
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

// The circumstances ticked, each with its basis and note; the suggestion follows them as they change.
function circumstances() {
  return [...document.querySelectorAll('#circumstances .circumstance')]
    .filter((row) => row.querySelector('input[type=checkbox]').checked)
    .map((row) => {
      const item = { code: row.dataset.code, basis: row.querySelector('.c-basis').value };
      const note = row.querySelector('.c-note').value.trim();
      if (note) item.note = note;
      const seen = row.querySelector('.c-seen');
      if (seen) item.seenBy = seen.value;
      return item;
    });
}

let asked = 0;
async function refreshSuggestion() {
  const ask = ++asked;
  const body = { circumstances: circumstances() };
  const party = $('#party-select')?.value;
  if (party) body.partyId = party;
  const target = $('#suggested-penalty');
  try {
    const { suggestions } = await api('POST', `/api/review/tasks/${taskId}/suggestion`, body);
    if (ask !== asked) return;
    target.replaceChildren(
      ...suggestions.flatMap((s) => {
        const p = document.createElement('p');
        const strong = document.createElement('strong');
        strong.textContent = s.tierLabel;
        const amount = document.createElement('span');
        amount.className = 'suggested-amount';
        amount.dataset.fen = String(s.fineFen);
        amount.textContent = s.amountInCapitals ? `${s.amount}（${s.amountInCapitals}）` : s.amount;
        p.append(
          suggestions.length > 1 ? `${s.partyKind === 'unit' ? texts.unit : texts.individual}：` : '',
          strong,
          ': ',
          amount,
        );
        const ul = document.createElement('ul');
        ul.className = 'muted';
        ul.append(...s.reasons.map((r) => Object.assign(document.createElement('li'), { textContent: r })));
        return [p, ul];
      }),
    );
    $('#decision-error').textContent = '';
  } catch (err) {
    // A box ticked before its basis is written is not an error worth shouting about until approval.
    if (ask === asked) $('#decision-error').textContent = err.message;
  }
}

const circumstanceBox = $('#circumstances');
if (circumstanceBox) {
  let timer;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refreshSuggestion, 300);
  };
  circumstanceBox.addEventListener('change', later);
  circumstanceBox.addEventListener('input', later);
  $('#party-select')?.addEventListener('change', refreshSuggestion);
}

// Keep the claim while the page is open; a closed tab lets the lease run out and the task returns to the queue.
setInterval(() => api('POST', `/api/review/tasks/${taskId}/heartbeat`).catch(() => undefined), 120_000);
