import { api, $ } from './common.js';
import { scheduleEditor } from './schedule-editor.js';
import { zoneScheduleFault, zoneSettings } from './zone-settings.js';

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
// The saved zone being edited in place: its index, the vertex picked (to delete) and the vertex being dragged.
let selected = null;
let activeVertex = null;
let dragging = false;
let moved = false;
const HANDLE_PX = 8;
let cameraVersion = data.camera.version;

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
  if (selected !== null && zones[selected]) drawHandles(zones[selected].points);
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

function midpoints(points) {
  return points.map((p, i) => {
    const q = points[(i + 1) % points.length];
    return { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
  });
}

function drawHandles(points) {
  points.forEach((p, i) => {
    const [x, y] = px(p);
    ctx.fillStyle = i === activeVertex ? '#d92d20' : '#ffffff';
    ctx.strokeStyle = '#101828';
    ctx.lineWidth = 1.5;
    ctx.fillRect(x - 5, y - 5, 10, 10);
    ctx.strokeRect(x - 5, y - 5, 10, 10);
  });
  for (const m of midpoints(points)) {
    const [x, y] = px(m);
    ctx.beginPath();
    ctx.arc(x, y, 4, 0, 2 * Math.PI);
    ctx.fillStyle = '#12b76a';
    ctx.fill();
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
    enabled.title = texts.editing.enabled;
    enabled.addEventListener('change', () => (z.enabled = enabled.checked));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary';
    remove.textContent = texts.remove;
    remove.addEventListener('click', () => {
      if (selected !== null) select(null);
      zones.splice(i, 1);
      renderList();
      draw();
    });
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'secondary zone-edit';
    edit.textContent = texts.editing.edit;
    edit.addEventListener('click', () => select(i));
    if (i === selected) li.classList.add('selected');
    li.append(enabled, label, edit, remove);
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

function framePoint(event) {
  const rect = canvas.getBoundingClientRect();
  const x = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
  const y = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
  return { x: Number(x.toFixed(4)), y: Number(y.toFixed(4)) };
}

function nearest(points, event) {
  const rect = canvas.getBoundingClientRect();
  let best = -1;
  let bestD = HANDLE_PX;
  points.forEach((p, i) => {
    const d = Math.hypot(
      p.x * rect.width - (event.clientX - rect.left),
      p.y * rect.height - (event.clientY - rect.top),
    );
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

const zonesSettings = zoneSettings({
  texts: texts.editing,
  onChange: (zone) => {
    $('#zs-title').textContent = zone.name;
    markUnsaved();
  },
});

function markUnsaved() {
  $('#zones-error').textContent = '';
  $('#zones-status').textContent = texts.unsaved;
  renderList();
  draw();
}

/** Picks a saved zone to edit in place (its vertices on the frame, its settings in the form), or none. */
function select(index) {
  selected = index;
  activeVertex = null;
  drawing = null;
  $('#delete-vertex').disabled = true;
  if (index === null) zonesSettings.hide();
  else zonesSettings.show(zones[index]);
  canvas.style.cursor = index === null ? '' : 'default';
  renderList();
  draw();
}

function deleteVertex() {
  const zone = zones[selected];
  if (!zone || activeVertex === null || zone.points.length <= 3) return;
  zone.points.splice(activeVertex, 1);
  activeVertex = null;
  $('#delete-vertex').disabled = true;
  markUnsaved();
}

canvas.addEventListener('mousedown', (event) => {
  if (selected === null) return;
  const zone = zones[selected];
  let vertex = nearest(zone.points, event);
  if (vertex < 0) {
    const edge = nearest(midpoints(zone.points), event);
    if (edge < 0) return;
    vertex = edge + 1;
    zone.points.splice(vertex, 0, framePoint(event));
    markUnsaved();
  }
  event.preventDefault();
  activeVertex = vertex;
  dragging = true;
  moved = false;
  $('#delete-vertex').disabled = zone.points.length <= 3;
  draw();
});
canvas.addEventListener('mousemove', (event) => {
  if (!dragging || selected === null) return;
  zones[selected].points[activeVertex] = framePoint(event);
  moved = true;
  draw();
});
window.addEventListener('mouseup', () => {
  if (!dragging) return;
  dragging = false;
  if (moved) markUnsaved();
});
$('#delete-vertex').addEventListener('click', deleteVertex);
$('#zone-edit-done').addEventListener('click', () => select(null));

canvas.addEventListener('click', (event) => {
  // while a saved zone is being edited, clicks move or pick its vertices and never start a new zone
  if (selected !== null) return;
  drawing ??= { points: [], line: null };
  (drawing.line ?? drawing.points).push(framePoint(event));
  draw();
});
canvas.addEventListener('dblclick', (event) => {
  event.preventDefault();
  if (selected === null) finishStep();
});
document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(event.target.tagName))
    return;
  if ((event.key === 'Delete' || event.key === 'Backspace') && selected !== null) deleteVertex();
  if (event.key === 'Enter' && selected === null) finishStep();
  if (event.key === 'Escape') {
    drawing = null;
    if (selected !== null) select(null);
    draw();
  }
});
$('#zone-kind').addEventListener('change', () => {
  $('#party-field').hidden = $('#zone-kind').value !== 'shop_front';
});

/** The server's zone faults (each naming its zone and field) as sentences in the reader's language. */
function faultMessages(err) {
  const t = texts.editing;
  if (err.status === 409) return fill(t.conflict, { version: err.data?.details?.currentVersion ?? '?' });
  const faults = err.data?.details?.faults;
  if (!Array.isArray(faults)) return fill(t.serverError, { message: err.message });
  const lines = faults.map((f) => {
    const index = /^#(\d+)$/.exec(f.zone);
    const zone = (index ? zones[Number(index[1]) - 1] : zones.find((z) => z.id === f.zone))?.name ?? f.zone;
    const field = String(f.field).split('.')[0];
    const template = t.faults[field] ?? t.faults.other;
    return fill(template, { zone, field: t.fieldNames[field] ?? field });
  });
  return [...new Set(lines)].join('\n');
}

$('#save-zones').addEventListener('click', async () => {
  $('#zones-error').textContent = '';
  const scheduleFault = zoneScheduleFault(zones);
  if (scheduleFault) {
    $('#zones-status').textContent = '';
    $('#zones-error').textContent = scheduleFault;
    return;
  }
  $('#zones-status').textContent = texts.saving;
  try {
    const saved = await api('PUT', `/api/cameras/${cameraId}/zones`, {
      zones,
      expectedVersion: cameraVersion,
    });
    const editing = selected === null ? null : zones[selected]?.id;
    zones = saved.zones;
    cameraVersion = saved.version;
    $('#zones-status').textContent = fill(texts.saved, { version: saved.version });
    $('#zones-status').dataset.savedVersion = String(saved.version);
    const again = editing ? zones.findIndex((z) => z.id === editing) : -1;
    select(again >= 0 ? again : null);
  } catch (err) {
    $('#zones-status').textContent = '';
    $('#zones-error').textContent = faultMessages(err);
  }
});

const stored = data.camera.schedule ?? {};
const cameraSchedule = scheduleEditor($('#camera-schedule'), {
  windows: stored.windows ?? [],
  always: (stored.windows ?? []).length === 0 && stored.always !== false,
  texts: texts.editing.schedule,
  onChange: () => {
    $('#schedule-error').textContent = '';
    $('#schedule-status').textContent = texts.unsaved;
  },
});

$('#save-schedule').addEventListener('click', async () => {
  const state = cameraSchedule.read();
  $('#schedule-status').textContent = '';
  $('#schedule-error').textContent = state.error ?? '';
  if (state.error) return;
  try {
    const schedule = state.always ? { always: true } : { windows: state.windows };
    const view = await api('PATCH', `/api/cameras/${cameraId}`, { schedule });
    cameraVersion = view.version;
    $('#schedule-status').textContent = fill(texts.editing.scheduleSaved, { version: view.version });
  } catch (err) {
    $('#schedule-error').textContent = fill(texts.editing.serverError, { message: err.message });
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
