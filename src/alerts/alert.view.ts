import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type MessageKey, type StaffI18n } from '../web/i18n/index.js';
import { MESSAGES } from '../web/i18n/translate.js';
import { page } from '../web/layout.js';
import { subjectText } from './alert-notice.js';
import type { AlertEventRow, AlertKind, AlertRow, AlertSeverity, AlertState } from './alert.repo.js';
import type { AlertDetailPage, AlertListPage } from './alert.service.js';

/** The staff pages of alerts: the filtered list, one alert with its figures and history, the camera page's section. */

export const ALERT_KINDS: readonly AlertKind[] = [
  'camera_offline',
  'capture_volume',
  'false_positive_rate',
  'review_backlog',
  'queue_stalled',
  'detector_failing',
];
export const ALERT_STATES: readonly AlertState[] = ['open', 'acknowledged', 'resolved'];

const SEVERITY_CLASS: Record<AlertSeverity, string> = { info: 'ok', warning: 'warn', critical: 'bad' };

function severityBadge(i18n: StaffI18n, severity: AlertSeverity): SafeHtml {
  return html`<span class="status ${SEVERITY_CLASS[severity]}" data-severity="${severity}"
    >${i18n.label('alertSeverity', severity)}</span
  >`;
}

function stateBadge(i18n: StaffI18n, state: AlertState): SafeHtml {
  const cls = state === 'resolved' ? 'ok' : state === 'acknowledged' ? 'warn' : 'bad';
  return html`<span class="status ${cls}" data-state="${state}">${i18n.label('alertState', state)}</span>`;
}

function districtText(i18n: StaffI18n, districts: Record<string, string>, id: string | null): string {
  return id ? (districts[id] ?? id) : i18n.t('alerts.cityWide');
}

export function alertListView(data: AlertListPage, staff: StaffPrincipal): SafeHtml {
  const i18n = i18nFor(staff);
  const { t, label } = i18n;
  const { filter } = data;
  return page(
    { title: t('alerts.title'), staff },
    html`<h1>${t('alerts.title')}</h1>
      <p class="muted">${t('alerts.intro')}</p>
      <form method="get" action="/staff/alerts" class="toolbar" id="alert-filter">
        <div>
          <label for="af-state">${t('alerts.filter.state')}</label
          ><select id="af-state" name="state">
            <option value="" ${filter.state === undefined ? 'selected' : ''}>${t('alerts.filter.all')}</option>
            <option value="unresolved" ${filter.state === 'unresolved' ? 'selected' : ''}>
              ${t('alerts.filter.unresolved')}
            </option>
            ${ALERT_STATES.map(
              (s) =>
                html`<option value="${s}" ${filter.state === s ? 'selected' : ''}>${label('alertState', s)}</option>`,
            )}
          </select>
        </div>
        <div>
          <label for="af-kind">${t('alerts.filter.kind')}</label
          ><select id="af-kind" name="kind">
            <option value="" ${filter.kind === undefined ? 'selected' : ''}>${t('alerts.filter.all')}</option>
            ${ALERT_KINDS.map(
              (k) =>
                html`<option value="${k}" ${filter.kind === k ? 'selected' : ''}>${label('alertKind', k)}</option>`,
            )}
          </select>
        </div>
        <div><button type="submit" id="af-submit">${t('alerts.filter.submit')}</button></div>
      </form>
      <table id="alerts">
        <thead>
          <tr>
            <th>${t('alerts.col.kind')}</th>
            <th>${t('alerts.col.subject')}</th>
            <th>${t('alerts.col.district')}</th>
            <th>${t('alerts.col.severity')}</th>
            <th>${t('alerts.col.state')}</th>
            <th>${t('alerts.col.openedAt')}</th>
            <th>${t('alerts.col.lastSeenAt')}</th>
            <th>${t('alerts.col.resolvedAt')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.alerts.length === 0 ? html`<tr><td colspan="8" class="muted">${t('alerts.none')}</td></tr>` : ''}
          ${data.alerts.map(
            (a) =>
              html`<tr data-id="${a.id}" data-kind="${a.kind}" data-state="${a.state}" data-camera="${a.cameraId ?? ''}">
                <td><a href="/staff/alerts/${a.id}">${label('alertKind', a.kind)}</a></td>
                <td>${subjectText(i18n, a, a.districtId ? data.districts[a.districtId] : null)}</td>
                <td>${districtText(i18n, data.districts, a.districtId)}</td>
                <td>${severityBadge(i18n, a.severity)}</td>
                <td>${stateBadge(i18n, a.state)}</td>
                <td>${i18n.time(a.openedAt, false)}</td>
                <td>${i18n.time(a.lastSeenAt, false)}</td>
                <td>${a.resolvedAt ? i18n.time(a.resolvedAt, false) : '—'}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

/** A figure's name from the catalogue (`alerts.figure.<key>`), or the key itself for one it does not know. */
function figureName(i18n: StaffI18n, key: string): string {
  const k = `alerts.figure.${key}`;
  return Object.prototype.hasOwnProperty.call(MESSAGES[i18n.lang], k)
    ? MESSAGES[i18n.lang][k as MessageKey]
    : key;
}

function figureValue(i18n: StaffI18n, key: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (key === 'status' && typeof value === 'string') return i18n.label('cameraStatus', value);
  if (key === 'channel' && typeof value === 'string') return i18n.label('alertChannel', value);
  if (key === 'phase' && typeof value === 'string') return i18n.label('alertEvent', value);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return i18n.time(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function figures(i18n: StaffI18n, detail: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(detail).filter(([k]) => k !== 'by');
  if (entries.length === 0) return html``;
  return html`${entries.map(
    ([k, v]) => html`<span data-figure="${k}">${figureName(i18n, k)}: ${figureValue(i18n, k, v)}</span>; `,
  )}`;
}

function historyRow(i18n: StaffI18n, e: AlertEventRow): SafeHtml {
  return html`<tr data-event="${e.event}">
    <td>${i18n.time(e.at)}</td>
    <td>${i18n.label('alertEvent', e.event)}</td>
    <td>${e.actorName ?? i18n.t('alerts.history.system')}</td>
    <td class="muted">${figures(i18n, e.detail)}</td>
  </tr>`;
}

export function alertDetailView(data: AlertDetailPage, staff: StaffPrincipal, csrfToken: string): SafeHtml {
  const i18n = i18nFor(staff);
  const { t, label } = i18n;
  const a = data.alert;
  const form = (action: 'acknowledge' | 'resolve', text: string) =>
    html`<form method="post" action="/staff/alerts/${a.id}/${action}" class="inline" id="alert-${action}-form">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <button type="submit" id="alert-${action}" ${action === 'resolve' ? 'class="secondary"' : ''}>${text}</button>
    </form>`;
  return page(
    { title: `${t('alerts.detail.title')} · ${label('alertKind', a.kind)}`, staff },
    html`<p><a href="/staff/alerts">${t('alerts.back')}</a></p>
      <h1>${label('alertKind', a.kind)}: ${subjectText(i18n, a, data.districtName)}</h1>
      <section class="card" id="alert" data-id="${a.id}" data-state="${a.state}" data-kind="${a.kind}">
        <table>
          <tr><th>${t('alerts.col.state')}</th><td>${stateBadge(i18n, a.state)}</td></tr>
          <tr><th>${t('alerts.col.severity')}</th><td>${severityBadge(i18n, a.severity)}</td></tr>
          <tr><th>${t('alerts.col.district')}</th><td>${data.districtName ?? t('alerts.cityWide')}</td></tr>
          <tr>
            <th>${t('alerts.col.subject')}</th>
            <td>
              ${a.cameraId ? html`<a href="/staff/cameras/${a.cameraId}">${subjectText(i18n, a, data.districtName)}</a>` : subjectText(i18n, a, data.districtName)}
            </td>
          </tr>
          <tr><th>${t('alerts.col.openedAt')}</th><td>${i18n.time(a.openedAt)}</td></tr>
          <tr><th>${t('alerts.col.lastSeenAt')}</th><td>${i18n.time(a.lastSeenAt)}</td></tr>
          ${a.acknowledgedAt ? html`<tr><th>${t('alerts.detail.acknowledgedBy')}</th><td>${a.acknowledgedByName ?? '—'} ${i18n.time(a.acknowledgedAt)}</td></tr>` : ''}
          ${a.resolvedAt ? html`<tr><th>${t('alerts.detail.resolvedBy')}</th><td>${a.resolvedByName ?? t('alerts.detail.byRule')} ${i18n.time(a.resolvedAt)}</td></tr>` : ''}
          <tr><th>${t('alerts.detail.figures')}</th><td id="alert-figures">${figures(i18n, a.detail)}</td></tr>
        </table>
        ${
          a.state === 'resolved'
            ? ''
            : data.mayAct
              ? html`<p class="toolbar">
                  ${a.state === 'open' ? form('acknowledge', t('alerts.acknowledge')) : ''}
                  ${form('resolve', t('alerts.resolve'))}
                </p>`
              : html`<p class="muted" id="alert-read-only">${t('alerts.readOnly')}</p>`
        }
      </section>
      <h2>${t('alerts.history')}</h2>
      <table id="alert-history">
        <thead>
          <tr>
            <th>${t('alerts.history.at')}</th>
            <th>${t('alerts.history.event')}</th>
            <th>${t('alerts.history.by')}</th>
            <th>${t('alerts.history.detail')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.events.map((e) => historyRow(i18n, e))}
        </tbody>
      </table>`,
  );
}

/** The camera page's small section: the camera's unresolved alerts, linked to their pages. */
export function cameraAlertsSection(alerts: readonly AlertRow[], i18n: StaffI18n): SafeHtml {
  const { t, label } = i18n;
  return html`<section id="camera-alerts">
    <h2>${t('alerts.camera.title')}</h2>
    ${
      alerts.length === 0
        ? html`<p class="muted">${t('alerts.camera.none')}</p>`
        : html`<ul class="plain">
            ${alerts.map(
              (a) =>
                html`<li data-id="${a.id}" data-kind="${a.kind}" data-state="${a.state}">
                  ${severityBadge(i18n, a.severity)}
                  <a href="/staff/alerts/${a.id}">${label('alertKind', a.kind)}</a>
                  <span class="muted">${subjectText(i18n, a)} · ${i18n.time(a.openedAt, false)}</span>
                </li>`,
            )}
          </ul>`
    }
    <p><a href="/staff/alerts?state=unresolved" id="camera-alerts-all">${t('alerts.camera.all')}</a></p>
  </section>`;
}
