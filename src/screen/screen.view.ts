import type { StaffPrincipal } from '../auth/principal.js';
import { html, jsonForScript, type SafeHtml } from '../web/html.js';
import { i18nFor } from '../web/i18n/index.js';
import {
  MAP_BOX,
  type AlertView,
  type FigureView,
  type ScreenSnapshot,
  type TileView,
} from './screen-snapshot.js';
import type { ScreenPage } from './screen.service.js';

/**
 * The command screen: a page of its own for a wall display (1920x1080, dark, large type), without the staff top
 * bar. Drawn here from the first snapshot; public/js/screen.js then updates every element in place from the
 * snapshots of the live stream, finding them by the ids and data attributes written here.
 */

function figureCard(f: FigureView): SafeHtml {
  return html`<div class="kpi" id="fig-${f.id}" data-trend="${f.trend}">
    <div class="kpi-label">${f.label}</div>
    <div class="kpi-value" data-field="value">${f.value}</div>
    <div class="kpi-sub" data-field="sub">${f.sub}</div>
    <div class="kpi-compare">
      <span data-field="yesterday">${f.yesterday}</span>
      <span class="kpi-delta" data-field="delta">${f.delta}</span>
    </div>
  </div>`;
}

export function tileHtml(tile: TileView, noFrame: string): SafeHtml {
  return html`<figure class="tile" data-camera="${tile.id}" data-status="${tile.status}"
    data-enabled="${tile.enabled ? 'yes' : 'no'}" data-frame="${tile.frame ?? ''}">
    <div class="tile-frame">
      ${
        tile.frame
          ? html`<img src="/api/cameras/${tile.id}/frame/latest?v=${tile.frame}" alt="${tile.name}" />`
          : html`<span class="tile-none">${noFrame}</span>`
      }
    </div>
    <figcaption><span class="tile-name">${tile.name}</span><span class="tile-status">${tile.statusText}</span></figcaption>
  </figure>`;
}

function mapSvg(map: ScreenSnapshot['map']): SafeHtml {
  const { width, height } = MAP_BOX;
  const grid = [1, 2, 3].map(
    (i) => html`<line class="grid" x1="${(width * i) / 4}" y1="0" x2="${(width * i) / 4}" y2="${height}" />
      <line class="grid" x1="0" y1="${(height * i) / 4}" x2="${width}" y2="${(height * i) / 4}" />`,
  );
  const scale = map.scale;
  return html`<svg id="map" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet" role="img">
    <g class="map-grid">${grid}</g>
    <g id="map-points">
      ${map.points.map(
        (p) =>
          html`<circle cx="${p.x}" cy="${p.y}" r="11" class="pt" data-camera="${p.id}" data-status="${p.status}"><title>${p.name}</title></circle>`,
      )}
    </g>
    <g id="map-scale" class="map-scale" ${scale ? '' : html`visibility="hidden"`}>
      <line id="map-scale-bar" x1="16" y1="${height - 14}" x2="${16 + (scale?.units ?? 0)}" y2="${height - 14}" />
      <text id="map-scale-text" x="16" y="${height - 24}">${scale?.text ?? ''}</text>
    </g>
  </svg>`;
}

function alertItem(a: AlertView): SafeHtml {
  return html`<li class="alert" data-alert="${a.id}" data-severity="${a.severity}">
    <span class="alert-sev">${a.severityText}</span>
    <span class="alert-kind">${a.kind}</span>
    <span class="alert-subject">${a.subject}</span>
    <span class="alert-time">${a.opened} · ${a.stateText}</span>
  </li>`;
}

function districtPicker(
  data: ScreenPage,
  snapshot: ScreenSnapshot,
  t: ReturnType<typeof i18nFor>['t'],
): SafeHtml {
  if (data.districts.length === 0) return html``;
  return html`<form class="district-pick" method="get" action="/screen">
    <label for="district">${t('screen.districtLabel')}</label>
    <select id="district" name="district">
      <option value="" ${snapshot.districtId === null ? html`selected` : ''}>${t('screen.city')}</option>
      ${data.districts.map(
        (d) =>
          html`<option value="${d.id}" ${d.id === snapshot.districtId ? html`selected` : ''}>${d.name}</option>`,
      )}
    </select>
    <button type="submit">${t('screen.show')}</button>
  </form>`;
}

export function screenView(data: ScreenPage, staff: StaffPrincipal): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const s = data.snapshot;
  const query =
    s.districtId !== null && staff.role === 'admin' ? `?district=${encodeURIComponent(s.districtId)}` : '';
  const config = {
    eventsUrl: `/screen/events${query}`,
    signInUrl: `/login?next=${encodeURIComponent(`/screen${query}`)}`,
    snapshotSeconds: data.settings.snapshotSeconds,
    heartbeatSeconds: data.settings.heartbeatSeconds,
    texts: {
      connecting: t('screen.connecting'),
      live: t('screen.live'),
      updatedAt: t('screen.updatedAt', { time: '{time}' }),
      signedOut: t('screen.signedOut'),
      reconnecting: t('screen.reconnecting', { seconds: '{seconds}' }),
      noFrame: t('screen.noFrame'),
      alertsNone: t('screen.alertsNone'),
    },
  };
  return html`<!doctype html>
    <html lang="${i18n.htmlLang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=1920, initial-scale=1" />
        <title>${t('screen.title')} · ${s.districtName}</title>
        <link rel="stylesheet" href="/static/screen.css" />
      </head>
      <body class="screen">
        <div class="screen-root">
          <header class="screen-head">
            <h1>${t('screen.title')} <span class="district" id="district-name">${s.districtName}</span></h1>
            ${districtPicker(data, s, t)}
            <div class="head-right">
              <span id="updated-at">${t('screen.updatedAt', { time: s.atText })}</span>
              <span id="live-state" class="live-state" data-state="connecting">${t('screen.connecting')}</span>
            </div>
          </header>
          <div id="signin-banner" class="signin-banner" role="alert" hidden>
            <span>${t('screen.signInNeeded')}</span>
            <a id="signin-link" href="${config.signInUrl}">${t('screen.signIn')}</a>
          </div>
          <section class="kpis">
            ${s.figures.map(figureCard)}
            <div class="kpi backlog" id="fig-backlog" data-level="${s.backlog.level}">
              <div class="kpi-label">${t('screen.backlog')}</div>
              <div class="kpi-value" data-field="value">${s.backlog.value}</div>
              <div class="kpi-sub" data-field="stages">${s.backlog.stages}</div>
              <div class="kpi-compare"><span data-field="oldest">${s.backlog.oldest}</span></div>
            </div>
          </section>
          <section class="screen-main">
            <div class="panel cameras-panel">
              <h2>${t('screen.cameras')} <span class="panel-note" id="camera-counts">${s.cameras.counts}</span></h2>
              <div class="tiles" id="tiles">${s.cameras.tiles.map((tile) => tileHtml(tile, t('screen.noFrame')))}</div>
              <p class="panel-note" id="tiles-more">${s.cameras.more}</p>
            </div>
            <div class="side">
              <div class="panel map-panel">
                <h2>${t('screen.map')} <span class="panel-note" id="map-unplaced">${s.map.unplaced}</span></h2>
                <div class="map-box">
                  ${mapSvg(s.map)}
                </div>
              </div>
              <div class="panel alerts-panel">
                <h2>${t('screen.alerts')} <span class="alert-count" id="alert-count" data-total="${s.alerts.total}">${s.alerts.total}</span></h2>
                <ul class="alerts" id="alerts">
                  ${s.alerts.items.length ? s.alerts.items.map(alertItem) : html`<li class="alerts-none">${t('screen.alertsNone')}</li>`}
                </ul>
                <p class="panel-note" id="alerts-more">${s.alerts.more}</p>
              </div>
            </div>
          </section>
        </div>
        <script type="application/json" id="screen-config">
          ${jsonForScript(config)}
        </script>
        <script type="module" src="/static/js/screen.js"></script>
      </body>
    </html>`;
}
