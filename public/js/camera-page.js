import { api, $ } from './common.js';

// Zone editor: polygons are drawn on the camera's latest frame and kept in normalised coordinates (0..1), so they
// hold whatever size the image is shown at and whatever resolution the camera sends.
const data = JSON.parse($('#camera-data').textContent);
const cameraId = data.camera.id;
let zones = data.zones;
// The page's texts in the reader's language, from the staff message catalogue.
const texts = data.texts;
const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
const img = $('#frame');
const canvas = $('#overlay');
const ctx = canvas.getContext('2d');
let drawing = null; // { points: [], line: null | [] }

const COLORS = { no_stall: '#d92d20', shop_front: '#f79009', dumping_spot: '#7a5af8', ignore: '#667085' };

function loadFrame() {
  img.src = `/api/cameras/${cameraId}/frame/latest?t=${Date.now()}`;
}

img.addEventListener('load', () => {
  $('#frame-info').textContent = `${img.naturalWidth}×${img.naturalHeight}`;
  resize();
});
img.addEventListener('error', () => {
  $('#frame-info').textContent = texts.noFrame;
});

function resize() {
  canvas.width = img.clientWidth;
  canvas.height = img.clientHeight;
  draw();
}
window.addEventListener('resize', resize);

function px(p) {
  return [p.x * canvas.width, p.y * canvas.height];
}

function path(points, close) {
  ctx.beginPath();
  points.forEach((p, i) => (i ? ctx.lineTo(...px(p)) : ctx.moveTo(...px(p))));
  if (close) ctx.closePath();
}

function draw() {
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  for (const z of zones) {
    const color = COLORS[z.kind] ?? '#000';
    ctx.strokeStyle = color;
    ctx.fillStyle = `${color}33`;
    ctx.lineWidth = 2;
    path(z.points, true);
    ctx.fill();
    ctx.stroke();
    if (z.frontLine) {
      ctx.lineWidth = 4;
      path(z.frontLine.points, false);
      ctx.stroke();
    }
    const [x, y] = px(z.points[0]);
    ctx.fillStyle = color;
    ctx.font = '13px sans-serif';
    ctx.fillText(z.name, x + 4, y - 4);
  }
  if (drawing) {
    ctx.strokeStyle = '#12b76a';
    ctx.lineWidth = 2;
    path(drawing.points, drawing.line !== null);
    ctx.stroke();
    if (drawing.line) {
      ctx.lineWidth = 4;
      path(drawing.line, false);
      ctx.stroke();
    }
    for (const p of drawing.line ?? drawing.points) {
      ctx.fillStyle = '#12b76a';
      ctx.fillRect(px(p)[0] - 3, px(p)[1] - 3, 6, 6);
    }
  }
}

function renderList() {
  const list = $('#zone-list');
  list.replaceChildren();
  zones.forEach((z, i) => {
    const li = document.createElement('li');
    li.dataset.zoneName = z.name;
    const label = document.createElement('span');
    label.textContent = fill(texts.zoneLabel, {
      name: z.name,
      kind: texts.zoneKinds[z.kind] ?? z.kind,
      points: z.points.length,
    });
    const enabled = document.createElement('input');
    enabled.type = 'checkbox';
    enabled.checked = z.enabled;
    enabled.title = 'enabled';
    enabled.addEventListener('change', () => (z.enabled = enabled.checked));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary';
    remove.textContent = texts.remove;
    remove.addEventListener('click', () => {
      zones.splice(i, 1);
      renderList();
      draw();
    });
    li.append(enabled, label, remove);
    list.append(li);
  });
}

function finishStep() {
  if (!drawing) return;
  const kind = $('#zone-kind').value;
  if (drawing.line === null) {
    if (drawing.points.length < 3) {
      $('#zones-error').textContent = texts.needPoints;
      return;
    }
    if (kind === 'shop_front') {
      drawing.line = [];
      $('#zones-status').textContent = texts.doorLine;
      draw();
      return;
    }
  } else if (drawing.line.length < 2) {
    $('#zones-error').textContent = texts.doorNeedsPoints;
    return;
  }
  const zone = {
    name: $('#zone-name').value.trim() || `Zone ${zones.length + 1}`,
    kind,
    points: drawing.points,
    enabled: true,
  };
  const dwell = Number($('#zone-dwell').value);
  if ($('#zone-dwell').value !== '' && Number.isFinite(dwell)) zone.dwellSeconds = dwell;
  if (kind === 'shop_front') {
    zone.frontLine = {
      points: drawing.line,
      sidewalkSide: 'right',
      allowedDepth: 0.02,
      partyId: $('#zone-party').value,
    };
  }
  zones.push(zone);
  drawing = null;
  $('#zones-error').textContent = '';
  $('#zones-status').textContent = texts.unsaved;
  renderList();
  draw();
}

canvas.addEventListener('click', (event) => {
  const rect = canvas.getBoundingClientRect();
  const p = {
    x: Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width)),
    y: Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height)),
  };
  drawing ??= { points: [], line: null };
  (drawing.line ?? drawing.points).push({ x: Number(p.x.toFixed(4)), y: Number(p.y.toFixed(4)) });
  draw();
});
canvas.addEventListener('dblclick', (event) => {
  event.preventDefault();
  finishStep();
});
document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(event.target.tagName))
    return;
  if (event.key === 'Enter') finishStep();
  if (event.key === 'Escape') {
    drawing = null;
    draw();
  }
});
$('#zone-kind').addEventListener('change', () => {
  $('#party-field').hidden = $('#zone-kind').value !== 'shop_front';
});

$('#save-zones').addEventListener('click', async () => {
  $('#zones-error').textContent = '';
  $('#zones-status').textContent = texts.saving;
  try {
    const saved = await api('PUT', `/api/cameras/${cameraId}/zones`, { zones });
    zones = saved.zones;
    $('#zones-status').textContent = fill(texts.saved, { version: saved.version });
    $('#zones-status').dataset.savedVersion = String(saved.version);
    renderList();
    draw();
  } catch (err) {
    $('#zones-status').textContent = '';
    $('#zones-error').textContent = err.message;
  }
});

$('#grab').addEventListener('click', async () => {
  $('#grab').disabled = true;
  $('#frame-info').textContent = texts.grabbing;
  try {
    await api('POST', `/api/cameras/${cameraId}/frame`);
    loadFrame();
  } catch (err) {
    $('#frame-info').textContent = err.message;
  } finally {
    $('#grab').disabled = false;
  }
});

renderList();
loadFrame();
