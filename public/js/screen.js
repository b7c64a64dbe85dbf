// The command screen (/screen): keeps the page live from the server-sent events of /screen/events, updating the
// figures, camera tiles, map and alerts in place (no reload). A dropped stream is opened again with a growing
// delay (1 s, 2 s, 4 s ... at most 30 s); an expired session stops the stream and shows the sign-in banner.
const config = JSON.parse(document.getElementById('screen-config').textContent);
const texts = config.texts;
const SVG = 'http://www.w3.org/2000/svg';
const MAX_DELAY_MS = 30_000;
// No event at all (snapshot or heartbeat) for this long: the stream is taken as dead even if the socket is not.
const SILENCE_MS = Math.max(config.snapshotSeconds, config.heartbeatSeconds) * 3000 + 5000;

let source = null;
let delayMs = 1000;
let retryTimer = null;
let watchdog = null;

const byId = (id) => document.getElementById(id);

function setText(el, value) {
  if (el && el.textContent !== value) el.textContent = value;
}

function setState(state, text) {
  const el = byId('live-state');
  el.dataset.state = state;
  setText(el, text);
}

function field(root, name) {
  return root.querySelector(`[data-field="${name}"]`);
}

function updateFigures(snapshot) {
  for (const f of snapshot.figures) {
    const card = byId(`fig-${f.id}`);
    if (!card) continue;
    card.dataset.trend = f.trend;
    setText(field(card, 'value'), f.value);
    setText(field(card, 'sub'), f.sub);
    setText(field(card, 'yesterday'), f.yesterday);
    setText(field(card, 'delta'), f.delta);
  }
  const backlog = byId('fig-backlog');
  backlog.dataset.level = snapshot.backlog.level;
  setText(field(backlog, 'value'), snapshot.backlog.value);
  setText(field(backlog, 'stages'), snapshot.backlog.stages);
  setText(field(backlog, 'oldest'), snapshot.backlog.oldest);
}

function frameUrl(tile) {
  return `/api/cameras/${encodeURIComponent(tile.id)}/frame/latest?v=${encodeURIComponent(tile.frame)}`;
}

function setFrame(el, tile) {
  if ((el.dataset.frame || '') === (tile.frame || '')) return;
  el.dataset.frame = tile.frame || '';
  const box = el.querySelector('.tile-frame');
  if (!tile.frame) {
    const none = document.createElement('span');
    none.className = 'tile-none';
    none.textContent = texts.noFrame;
    box.replaceChildren(none);
    return;
  }
  const img = document.createElement('img');
  img.alt = tile.name;
  img.src = frameUrl(tile);
  // the new picture replaces the old one only once it has loaded, so the tile never flashes empty
  img.addEventListener('load', () => box.replaceChildren(img), { once: true });
  if (!box.querySelector('img')) box.replaceChildren(img);
}

function newTile(tile) {
  const el = document.createElement('figure');
  el.className = 'tile';
  el.dataset.camera = tile.id;
  const box = document.createElement('div');
  box.className = 'tile-frame';
  const caption = document.createElement('figcaption');
  const name = document.createElement('span');
  name.className = 'tile-name';
  const status = document.createElement('span');
  status.className = 'tile-status';
  caption.append(name, status);
  el.append(box, caption);
  el.dataset.frame = '\u0000';
  return el;
}

function updateTiles(snapshot) {
  setText(byId('camera-counts'), snapshot.cameras.counts);
  setText(byId('tiles-more'), snapshot.cameras.more);
  const grid = byId('tiles');
  const existing = new Map([...grid.querySelectorAll('.tile')].map((el) => [el.dataset.camera, el]));
  const ordered = snapshot.cameras.tiles.map((tile) => {
    const el = existing.get(tile.id) ?? newTile(tile);
    el.dataset.status = tile.status;
    el.dataset.enabled = tile.enabled ? 'yes' : 'no';
    setText(el.querySelector('.tile-name'), tile.name);
    setText(el.querySelector('.tile-status'), tile.statusText);
    setFrame(el, tile);
    return el;
  });
  const same = ordered.length === grid.children.length && ordered.every((el, i) => grid.children[i] === el);
  if (!same) grid.replaceChildren(...ordered);
}

function updateMap(snapshot) {
  const { map } = snapshot;
  setText(byId('map-unplaced'), map.unplaced);
  const points = map.points.map((p) => {
    const c = document.createElementNS(SVG, 'circle');
    c.setAttribute('cx', String(p.x));
    c.setAttribute('cy', String(p.y));
    c.setAttribute('r', '11');
    c.setAttribute('class', 'pt');
    c.dataset.camera = p.id;
    c.dataset.status = p.status;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = p.name;
    c.append(title);
    return c;
  });
  byId('map-points').replaceChildren(...points);
  const scale = byId('map-scale');
  if (map.scale) {
    scale.removeAttribute('visibility');
    const bar = byId('map-scale-bar');
    bar.setAttribute('x2', String(Number(bar.getAttribute('x1')) + map.scale.units));
    setText(byId('map-scale-text'), map.scale.text);
  } else {
    scale.setAttribute('visibility', 'hidden');
  }
}

function alertItem(a) {
  const li = document.createElement('li');
  li.className = 'alert';
  li.dataset.alert = a.id;
  li.dataset.severity = a.severity;
  for (const [cls, text] of [
    ['alert-sev', a.severityText],
    ['alert-kind', a.kind],
    ['alert-subject', a.subject],
    ['alert-time', `${a.opened} · ${a.stateText}`],
  ]) {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    li.append(span);
  }
  return li;
}

function updateAlerts(snapshot) {
  const { alerts } = snapshot;
  const count = byId('alert-count');
  count.dataset.total = String(alerts.total);
  setText(count, String(alerts.total));
  setText(byId('alerts-more'), alerts.more);
  const list = byId('alerts');
  if (alerts.items.length === 0) {
    const none = document.createElement('li');
    none.className = 'alerts-none';
    none.textContent = texts.alertsNone;
    list.replaceChildren(none);
  } else {
    list.replaceChildren(...alerts.items.map(alertItem));
  }
}

function apply(snapshot) {
  setText(byId('district-name'), snapshot.districtName);
  setText(byId('updated-at'), texts.updatedAt.replace('{time}', snapshot.atText));
  updateFigures(snapshot);
  updateTiles(snapshot);
  updateMap(snapshot);
  updateAlerts(snapshot);
}

function heard() {
  clearTimeout(watchdog);
  watchdog = setTimeout(dropped, SILENCE_MS);
}

function dropped() {
  if (source) source.close();
  source = null;
  clearTimeout(watchdog);
  const seconds = Math.round(delayMs / 1000);
  setState('down', texts.reconnecting.replace('{seconds}', String(seconds)));
  clearTimeout(retryTimer);
  retryTimer = setTimeout(connect, delayMs + Math.random() * 250);
  delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
}

function signedOut() {
  if (source) source.close();
  source = null;
  clearTimeout(watchdog);
  clearTimeout(retryTimer);
  setState('signed-out', texts.signedOut);
  byId('signin-banner').hidden = false;
}

function connect() {
  setState('connecting', texts.connecting);
  source = new EventSource(config.eventsUrl);
  heard();
  source.addEventListener('snapshot', (event) => {
    heard();
    delayMs = 1000;
    setState('live', texts.live);
    apply(JSON.parse(event.data));
  });
  source.addEventListener('heartbeat', heard);
  source.addEventListener('session-expired', signedOut);
  source.addEventListener('error', dropped);
}

connect();
