import { api, $, request } from './common.js';

// The workbench: every decision has a key, and the next task opens by itself.
const { taskId, stage, texts } = JSON.parse($('#task-data').textContent);
let busy = false;

// After a legal approval the next page names the case just filed (its number and a link to it).
async function openNext(filedCaseId) {
  const filed = filedCaseId ? `filed=${encodeURIComponent(filedCaseId)}` : '';
  const res = await request('POST', '/api/review/claim', {});
  if (res.status === 204) location.href = `/review?empty=1${filed ? `&${filed}` : ''}`;
  else location.href = `/review/tasks/${(await res.json()).task.id}${filed ? `?${filed}` : ''}`;
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
    const result = await api('POST', `/api/review/tasks/${taskId}/decision`, body);
    await openNext(result?.case?.id);
  } catch (err) {
    $('#decision-error').textContent = err.message;
    busy = false;
  }
}

// At the legal stage approval files the case and a sealed document follows: first show what will be issued.
// Only the confirm button files it; pressing A again while the confirmation is open does nothing.
async function approve() {
  if (stage !== 'legal') return decide('approve');
  const panel = $('#approve-preview');
  if (!panel.hidden) return;
  if (!$('#party-select')?.value) {
    $('#decision-error').textContent = texts.needParty;
    $('#party-select')?.focus();
    return;
  }
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
    $('#preview-party').textContent = $('#party-select')?.selectedOptions[0]?.textContent ?? '—';
    $('#preview-tier').textContent = s.tierLabel;
    $('#preview-reasons').replaceChildren(
      ...s.reasons.map((r) => Object.assign(document.createElement('li'), { textContent: r })),
    );
    panel.hidden = false;
    $('#confirm-approve').focus();
  } catch (err) {
    $('#decision-error').textContent = err.message;
  }
}

// The party is unknown: the evidence is approved and the district patrol finds the party on site (派单).
async function sendToField() {
  if (busy) return;
  busy = true;
  $('#decision-error').textContent = '';
  try {
    await api('POST', `/api/review/tasks/${taskId}/decision`, {
      decision: 'approve',
      sendToField: true,
      circumstances: circumstances(),
    });
    await openNext();
  } catch (err) {
    $('#decision-error').textContent = err.message;
    busy = false;
  }
}

$('#approve').addEventListener('click', () => approve());
$('#send-to-field')?.addEventListener('click', () => sendToField());
$('#confirm-approve')?.addEventListener('click', () => decide('approve'));
function closeApprovePreview() {
  const panel = $('#approve-preview');
  if (panel) panel.hidden = true;
}
$('#cancel-approve')?.addEventListener('click', closeApprovePreview);
$('#reject').addEventListener('click', () => decide('reject'));
$('#more').addEventListener('click', () => decide('more_evidence'));

// Giving the task back is its own button with its own confirmation; no key does it.
$('#release').addEventListener('click', () => {
  $('#release-confirm').hidden = false;
  $('#release-no').focus();
});
$('#release-no').addEventListener('click', () => ($('#release-confirm').hidden = true));
$('#release-yes').addEventListener('click', async () => {
  try {
    await api('POST', `/api/review/tasks/${taskId}/release`);
    location.href = '/review';
  } catch (err) {
    $('#decision-error').textContent = err.message;
  }
});

// Zoom: any image, by click or by Z on the focused one; in the viewer ← → or 1–9 pick another image.
const images = [...document.querySelectorAll('img.zoomable')];
const zoomDialog = $('#zoom-dialog');
let zoomIndex = 0;
function showZoom(index) {
  zoomIndex = (index + images.length) % images.length;
  const img = images[zoomIndex];
  const big = $('#zoom-image');
  big.src = img.dataset.original ?? img.getAttribute('src');
  big.alt = img.alt;
  big.classList.remove('doubled');
  big.dataset.index = String(zoomIndex);
  $('#zoom-caption').textContent = `${zoomIndex + 1} / ${images.length} · ${img.alt}`;
  if (!zoomDialog.open) zoomDialog.showModal();
}
images.forEach((img, i) => img.addEventListener('click', () => showZoom(i)));
$('#zoom-image').addEventListener('click', (e) => e.currentTarget.classList.toggle('doubled'));
$('#zoom-close').addEventListener('click', () => zoomDialog.close());

// Compare: two images side by side, each side chosen from every image of the task.
const compareDialog = $('#compare-dialog');
function showCompareSide(side) {
  const img = images[Number($(`#compare-${side}`).value)];
  const target = $(`#compare-${side}-image`);
  target.src = img.dataset.original ?? img.getAttribute('src');
  target.alt = img.alt;
}
function openCompare() {
  if (images.length < 2) return;
  const focused = images.indexOf(document.activeElement);
  if (focused >= 0) {
    $('#compare-left').value = String(focused);
    $('#compare-right').value = String((focused + 1) % images.length);
  }
  showCompareSide('left');
  showCompareSide('right');
  compareDialog.showModal();
}
$('#compare-open')?.addEventListener('click', openCompare);
$('#compare-left').addEventListener('change', () => showCompareSide('left'));
$('#compare-right').addEventListener('change', () => showCompareSide('right'));
$('#compare-close').addEventListener('click', () => compareDialog.close());

function openDialog() {
  return [zoomDialog, compareDialog].find((d) => d.open) ?? null;
}

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const key = e.key.toLowerCase();
  // Esc only ever closes what is open: a viewer, the approval's confirmation, the give-back question.
  // Another page's dialog (signing in again) closes by itself and keeps everything behind it as it was.
  if (key === 'escape') {
    if (document.querySelector('dialog[open]:not(.viewer)')) return;
    const dialog = openDialog();
    if (dialog) {
      dialog.close();
      e.preventDefault();
    } else if ($('#approve-preview') && !$('#approve-preview').hidden) closeApprovePreview();
    else $('#release-confirm').hidden = true;
    return;
  }
  if (e.target instanceof HTMLElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName)) return;
  if (openDialog() === zoomDialog) {
    if (key === 'arrowright') showZoom(zoomIndex + 1);
    else if (key === 'arrowleft') showZoom(zoomIndex - 1);
    else if (/^[1-9]$/.test(key) && Number(key) <= images.length) showZoom(Number(key) - 1);
    else if (key === 'z') zoomDialog.close();
    return;
  }
  if (openDialog()) return;
  if (key === 'a') approve();
  else if (key === 'r') decide('reject');
  else if (key === 'm') decide('more_evidence');
  else if (key === 'z' && images.length) {
    const focused = images.indexOf(document.activeElement);
    showZoom(focused >= 0 ? focused : 0);
  } else if (key === 'c') openCompare();
  else if (/^[1-6]$/.test(key)) $('#reason').selectedIndex = Number(key) - 1;
});

// The party picker lists the district's register at once (the zone's party first), each with its kind;
// typing narrows it, and choosing a party asks the server for that party's suggestion.
const search = $('#party-search');
const partySelect = $('#party-select');
async function loadParties(q) {
  const query = q ? `?q=${encodeURIComponent(q)}` : '';
  const { parties } = await api('GET', `/api/review/tasks/${taskId}/parties${query}`);
  const before = partySelect.value;
  const none = Object.assign(document.createElement('option'), { value: '', textContent: texts.chooseParty });
  partySelect.replaceChildren(
    none,
    ...parties.map((p) => {
      const o = document.createElement('option');
      o.value = p.id;
      o.dataset.kind = p.kind;
      o.textContent = `${p.name}（${p.kind === 'unit' ? texts.unit : texts.person}）· ${p.idNumber ?? '—'}`;
      return o;
    }),
  );
  if (parties.some((p) => p.id === before)) partySelect.value = before;
  $('#party-count').textContent = parties.length
    ? texts.partiesCount.replace('{count}', String(parties.length))
    : texts.partiesNone;
  if (partySelect.value !== before) refreshSuggestion();
}
if (search && partySelect) {
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => loadParties(search.value.trim()).catch(() => undefined), 250);
  });
  loadParties('').catch((err) => ($('#decision-error').textContent = err.message));
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
}
partySelect?.addEventListener('change', refreshSuggestion);

// Keep the claim while the page is open; a closed tab lets the lease run out and the task returns to the queue.
setInterval(() => api('POST', `/api/review/tasks/${taskId}/heartbeat`).catch(() => undefined), 120_000);
