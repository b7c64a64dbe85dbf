import { cameraAlertsSection } from '../alerts/alert.view.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { html, jsonForScript, type SafeHtml } from '../web/html.js';
import { i18nFor, type PlainMessageKey, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import { ZONE_KINDS } from '../zones/zone.schema.js';
import type { CameraDetailPage, CameraListPage } from './camera-pages.service.js';
import { cameraSchedulePanel, zoneEditorTexts, zoneSettingsPanel } from './zone-editor.view.js';
import { eligibilityReasons } from './device-register.view.js';

/** The staff camera pages: the list with health, the form to add one, and one camera's zone editor. */

/** What every camera page needs besides its data: who is signed in and the form token. */
export interface CameraPageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

function healthBadge(status: string | undefined, { t, label }: StaffI18n): SafeHtml {
  return html`<span class="status ${status ?? 'offline'}" data-status="${status ?? 'none'}"
    >${status ? label('cameraStatus', status) : t('time.noFrames')}</span
  >`;
}

/** The eligibility reasons come as sentences from evidence-eligibility.ts; each has its catalogue text. */
const ELIGIBILITY_KEYS = {
  'legal review of the device is not recorded': 'eligibility.legalReview',
  'technical review of the device is not recorded': 'eligibility.technicalReview',
  'no passing maintenance or test record': 'eligibility.noPassingCheck',
  'the latest maintenance or test record failed': 'eligibility.latestFailed',
  'device location is not published': 'eligibility.notPublished',
} as const satisfies Record<string, PlainMessageKey>;

function eligibilityReason(reason: string, { t }: StaffI18n): string {
  return Object.hasOwn(ELIGIBILITY_KEYS, reason)
    ? t(ELIGIBILITY_KEYS[reason as keyof typeof ELIGIBILITY_KEYS])
    : reason;
}

export function cameraListView(
  { cameras, districts }: CameraListPage,
  { staff, csrfToken }: CameraPageContext,
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t, label } = i18n;
  return page(
    { title: t('camera.listTitle'), staff, csrfToken },
    html`<h1>${t('camera.listTitle')}</h1>
            <p><a class="button" href="/staff/cameras/new" id="add-camera">${t('camera.add')}</a></p>
            <table id="camera-list">
              <thead>
                <tr>
                  <th>${t('camera.name')}</th>
                  <th>${t('camera.district')}</th>
                  <th>${t('camera.source')}</th>
                  <th>${t('camera.health')}</th>
                  <th>${t('camera.lastFrame')}</th>
                  <th>${t('camera.frames')}</th>
                  <th>${t('camera.evidence')}</th>
                  <th>${t('camera.falsePositives')}</th>
                </tr>
              </thead>
              <tbody>
                ${cameras.map(
                  ({ camera: c, sourceKind, health: h }) => html`<tr data-camera-id="${c.id}">
                    <td>
                      <a href="/staff/cameras/${c.id}">${c.name}</a>
                      <div class="muted">${c.address}</div>
                    </td>
                    <td data-district="${c.districtId}">${districts[c.districtId] ?? c.districtId}</td>
                    <td data-source="${sourceKind}">${label('sourceKind', sourceKind)}${c.enabled ? '' : t('camera.disabled')}</td>
                    <td>
                      ${healthBadge(h?.status, i18n)}${h?.lastError ? html`<div class="error">${h.lastError}</div>` : ''}
                    </td>
                    <td>
                      ${formatShanghai(h?.lastFrameAt)}
                    </td>
                    <td>${h ? `${h.framesLastMinute} · ${h.framesTotal} / ${h.dropsTotal}` : '—'}</td>
                    <td data-eligible="${c.evidence.eligible ? 'yes' : 'no'}">
                      ${c.evidence.eligible ? html`<span class="status ok">${t('camera.eligible')}</span>` : html`<a href="/staff/cameras/${c.id}/register" class="fix-link"><span class="status warn" title="${c.evidence.reasons.map((r) => eligibilityReason(r, i18n)).join('；')}">${t('camera.notEligible')}</span></a>`}
                    </td>
                    <td data-false-positives="${h?.falsePositiveRate == null ? '' : `${Math.round(h.falsePositiveRate * 100)}/${h.reviewed}`}">
                      ${h?.falsePositiveRate == null ? '—' : t('camera.fpRate', { rate: Math.round(h.falsePositiveRate * 100), count: h.reviewed })}
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`,
  );
}

/** The camera's live frame and zone editor (camera-page.js), its health, eligibility and device register entry. */
export function cameraDetailView(
  { row, view, sourceKind, health, zones, parties, alerts }: CameraDetailPage,
  { staff, csrfToken }: CameraPageContext,
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t, label } = i18n;
  return page(
    { title: row.name, staff, csrfToken, scripts: ['camera-page.js'] },
    html`<h1>${row.name} <span class="muted" data-version="${row.version}">${t('camera.version', { v: row.version })}</span></h1>
            <div class="grid2">
              <section class="card">
                <h2>${t('camera.liveFrame')}</h2>
                <div class="toolbar">
                  <button type="button" id="grab" class="secondary">${t('camera.grab')}</button>
                  <span id="frame-info" class="muted"></span>
                </div>
                <div class="editor" id="editor">
                  <img id="frame" alt="${t('camera.frameAlt')}" /><canvas id="overlay"></canvas>
                </div>
                <div class="toolbar">
                  <div>
                    <label for="zone-name">${t('camera.zoneName')}</label
                    ><input id="zone-name" maxlength="100" placeholder="${t('camera.zoneNamePlaceholder')}" />
                  </div>
                  <div>
                    <label for="zone-kind">${t('camera.zoneKind')}</label
                    ><select id="zone-kind">
                      ${ZONE_KINDS.map((k) => html`<option value="${k}">${label('zoneKind', k)}</option>`)}
                    </select>
                  </div>
                  <div>
                    <label for="zone-dwell">${t('camera.dwell')}</label
                    ><input id="zone-dwell" type="number" min="0" max="86400" placeholder="${t('camera.default')}" />
                  </div>
                  <div id="party-field" hidden>
                    <label for="zone-party">${t('camera.shop')}</label
                    ><select id="zone-party">
                      ${parties.map((p) => html`<option value="${p.id}">${p.name}</option>`)}
                    </select>
                  </div>
                </div>
                <p class="muted" id="editor-help">${t('camera.editorHelp')}</p>
                <ul class="plain" id="zone-list"></ul>
                <p>
                  <button type="button" id="save-zones">${t('camera.saveZones')}</button>
                  <span id="zones-status" class="muted" role="status"></span>
                </p>
                <p id="zones-error" class="error" role="alert"></p>
                ${zoneSettingsPanel(parties, i18n)}
              </section>
              <section class="card">
                <h2>${t('camera.status')}</h2>
                <p id="camera-health">
                  ${t('camera.healthLabel')} ${healthBadge(health?.status, i18n)}
                  ${health?.lastFrameAt ? html`<span class="muted">${t('camera.lastFrameAt', { at: formatShanghai(health.lastFrameAt) })}</span>` : ''}
                </p>
                ${health?.lastError ? html`<p class="error">${t('camera.lastError', { error: health.lastError })}</p>` : ''}
                <p id="camera-eligibility" data-eligible="${view.evidence.eligible ? 'yes' : 'no'}">
                  ${t('camera.evidenceLabel')}
                  ${view.evidence.eligible ? html`<span class="status ok">${t('camera.eligible')}</span>` : html`<span class="status warn">${t('camera.notEligible')}</span>`}
                </p>
                ${view.evidence.reasons.length ? eligibilityReasons(row.id, view.evidence.reasons, i18n) : ''}
                ${cameraAlertsSection(alerts, i18n)}
                <h2>${t('camera.register')}</h2>
                <p class="toolbar">
                  <a href="/staff/cameras/${row.id}/edit" id="edit-link">${t('cameraAdmin.editLink')}</a>
                  <a href="/staff/cameras/${row.id}/register" id="register-link">${t('cameraAdmin.registerLink')}</a>
                </p>
                <table>
                  <tr>
                    <th>${t('camera.certificate')}</th>
                    <td>${row.certificate_id ?? '—'}</td>
                  </tr>
                  <tr>
                    <th>${t('camera.legalReview')}</th>
                    <td>${row.legal_review_date ?? '—'} ${row.legal_reviewer ?? ''}</td>
                  </tr>
                  <tr>
                    <th>${t('camera.technicalReview')}</th>
                    <td>${row.technical_review_date ?? '—'} ${row.technical_reviewer ?? ''}</td>
                  </tr>
                  <tr>
                    <th>${t('camera.published')}</th>
                    <td>${row.published ? t('common.yes') : t('common.no')}</td>
                  </tr>
                  <tr>
                    <th>${t('camera.source')}</th>
                    <td>${label('sourceKind', sourceKind)}</td>
                  </tr>
                  <tr>
                    <th>${t('camera.interval')}</th>
                    <td>${t('camera.intervalValue', { s: row.sample_interval_s })}</td>
                  </tr>
                </table>
              </section>
              ${cameraSchedulePanel(i18n)}
            </div>
            <script type="application/json" id="camera-data">
              ${jsonForScript({
                camera: { id: row.id, version: row.version, schedule: view.schedule },
                zones,
                texts: {
                  noFrame: t('camera.js.noFrame'),
                  zoneLabel: t('camera.js.zoneLabel', { name: '{name}', kind: '{kind}', points: '{points}' }),
                  remove: t('camera.js.remove'),
                  needPoints: t('camera.js.needPoints'),
                  doorLine: t('camera.js.doorLine'),
                  doorNeedsPoints: t('camera.js.doorNeedsPoints'),
                  unsaved: t('camera.js.unsaved'),
                  saving: t('camera.js.saving'),
                  saved: t('camera.js.saved', { version: '{version}' }),
                  grabbing: t('camera.js.grabbing'),
                  zoneKinds: Object.fromEntries(ZONE_KINDS.map((k) => [k, label('zoneKind', k)])),
                  editing: zoneEditorTexts(i18n),
                },
              })}
            </script>`,
  );
}
