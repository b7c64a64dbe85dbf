import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { CameraFormPage } from './camera-admin.service.js';
import type { CameraFormField } from './camera-form.js';

/** The form that adds or edits a camera (camera-edit.js shows the options of the chosen source kind). */

export interface CameraAdminContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

function fault(data: CameraFormPage, field: CameraFormField, { t }: StaffI18n): SafeHtml | string {
  const key = data.faults[field];
  return key ? html`<p class="error field-error" id="${field}-error" role="alert">${t(key)}</p>` : '';
}

function fields(data: CameraFormPage, i18n: StaffI18n): SafeHtml {
  const { t } = i18n;
  const v = data.values;
  return html`<div class="grid2">
      <div>
        <label for="name">${t('camera.name')}</label
        ><input id="name" name="name" required maxlength="200" value="${v.name}" />
        ${fault(data, 'name', i18n)}
      </div>
      <div>
        <label for="address">${t('camera.address')}</label
        ><input id="address" name="address" maxlength="500" value="${v.address}" />
        ${fault(data, 'address', i18n)}
      </div>
      <div>
        <label for="street">${t('camera.street')}</label
        ><input id="street" name="street" maxlength="100" value="${v.street}" />
        ${fault(data, 'street', i18n)}
      </div>
      <div>
        <label for="latitude">${t('camera.latitude')}</label
        ><input id="latitude" name="latitude" type="number" step="any" min="-90" max="90" value="${v.latitude}" />
        ${fault(data, 'latitude', i18n)}
      </div>
      <div>
        <label for="longitude">${t('camera.longitude')}</label
        ><input id="longitude" name="longitude" type="number" step="any" min="-180" max="180" value="${v.longitude}" />
        ${fault(data, 'longitude', i18n)}
      </div>
      ${
        data.districts.length > 0
          ? html`<div>
              <label for="districtId">${t('camera.district')}</label>
              <select id="districtId" name="districtId" required>
                <option value="">${t('cameraAdmin.districtChoose')}</option>
                ${data.districts.map(
                  (d) =>
                    html`<option value="${d.id}" ${d.id === v.districtId ? 'selected' : ''}>${d.name}</option>`,
                )}
              </select>
              ${fault(data, 'districtId', i18n)}
            </div>`
          : ''
      }
      <div>
        <label for="kind">${t('camera.source')}</label>
        <select id="kind" name="kind">
          <option value="snapshot" ${v.kind === 'snapshot' ? 'selected' : ''}>${t('camera.sourceSnapshot')}</option>
          <option value="stream" ${v.kind === 'stream' ? 'selected' : ''}>${t('camera.sourceStream')}</option>
          <option value="file" ${v.kind === 'file' ? 'selected' : ''}>${t('camera.sourceFile')}</option>
          <option value="folder" ${v.kind === 'folder' ? 'selected' : ''}>${t('camera.sourceFolder')}</option>
        </select>
        ${fault(data, 'kind', i18n)}
      </div>
      <div>
        <label for="location">${t('camera.location')}</label
        ><input id="location" name="location" required maxlength="2048" value="${v.location}" />
        <p class="muted">${t('cameraAdmin.locationHint')}</p>
        ${fault(data, 'location', i18n)}
        ${
          data.sourceDetail
            ? html`<p class="muted" id="source-detail">
                ${t('cameraAdmin.sourceRefusedDetail', { detail: data.sourceDetail })}
              </p>`
            : ''
        }
      </div>
      <div>
        <label for="interval">${t('camera.interval')}</label
        ><input id="interval" name="interval" type="number" min="1" max="3600" step="1" value="${v.interval}" />
        ${fault(data, 'interval', i18n)}
      </div>
    </div>
    <fieldset class="source-options" data-kind="file" id="file-options">
      <legend>${t('cameraAdmin.sourceOptions')} · ${t('camera.sourceFile')}</legend>
      <label class="check"
        ><input type="checkbox" id="loop" name="loop" ${v.loop ? 'checked' : ''} />
        ${t('cameraAdmin.loop')}</label
      >
      <p class="muted" id="loop-hint">${t('cameraAdmin.loopHint')}</p>
      <label for="replay">${t('cameraAdmin.replay')}</label>
      <select id="replay" name="replay">
        <option value="realtime" ${v.replay === 'realtime' ? 'selected' : ''}>${t('cameraAdmin.replayRealtime')}</option>
        <option value="as-fast" ${v.replay === 'as-fast' ? 'selected' : ''}>${t('cameraAdmin.replayFast')}</option>
      </select>
    </fieldset>
    <fieldset class="source-options" data-kind="stream" id="stream-options">
      <legend>${t('cameraAdmin.sourceOptions')} · ${t('camera.sourceStream')}</legend>
      <label for="transport">${t('cameraAdmin.transport')}</label>
      <select id="transport" name="transport">
        <option value="tcp" ${v.transport === 'tcp' ? 'selected' : ''}>${t('cameraAdmin.transportTcp')}</option>
        <option value="udp" ${v.transport === 'udp' ? 'selected' : ''}>${t('cameraAdmin.transportUdp')}</option>
      </select>
    </fieldset>
    <p>
      <label class="check"
        ><input type="checkbox" id="enabled" name="enabled" ${v.enabled ? 'checked' : ''} />
        ${t('cameraAdmin.enabled')}</label
      >
    </p>`;
}

/** The form for a new camera, and for an existing one its settings, on/off switch and source test. */
export function cameraFormView(data: CameraFormPage, { staff, csrfToken }: CameraAdminContext): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const camera = data.camera;
  const title = camera ? `${t('cameraAdmin.edit')}：${camera.name}` : t('camera.add');
  const action = camera ? `/staff/cameras/${camera.id}/edit` : '/staff/cameras/new';
  return page(
    { title, staff, csrfToken, scripts: ['camera-edit.js'] },
    html`<h1>${title}</h1>
      ${
        camera
          ? html`<p class="toolbar">
              <a href="/staff/cameras/${camera.id}" id="back-to-camera">${t('cameraAdmin.backToCamera')}</a>
              <a href="/staff/cameras/${camera.id}/register" id="register-link">${t('cameraAdmin.registerLink')}</a>
            </p>`
          : ''
      }
      <form id="camera-form" class="card" method="post" action="${action}">
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        ${fields(data, i18n)}
        <p><button type="submit" id="save-camera">${t('camera.save')}</button></p>
      </form>
      ${camera ? switchAndTest(camera, csrfToken, i18n) : ''}`,
  );
}

function switchAndTest(
  camera: NonNullable<CameraFormPage['camera']>,
  csrfToken: string,
  { t }: StaffI18n,
): SafeHtml {
  return html`<section class="card">
      <h2>${t('camera.status')}</h2>
      <form method="post" action="/staff/cameras/${camera.id}/enabled" id="enabled-form">
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        <input type="hidden" name="enabled" value="${camera.enabled ? 'false' : 'true'}" />
        <span id="enabled-state" data-enabled="${camera.enabled ? 'yes' : 'no'}"
          >${camera.enabled ? t('cameraAdmin.isEnabled') : t('cameraAdmin.isDisabled')}</span
        >
        <button type="submit" id="toggle-enabled" class="secondary">
          ${camera.enabled ? t('cameraAdmin.disable') : t('cameraAdmin.enable')}
        </button>
      </form>
    </section>
    <section class="card" id="source-test" data-camera-id="${camera.id}"
      data-testing="${t('cameraAdmin.testing')}"
      data-ok="${t('cameraAdmin.testOk', { width: '{width}', height: '{height}' })}"
      data-failed="${t('cameraAdmin.testFailed', { detail: '{detail}' })}"
      data-unreachable="${t('cameraAdmin.testUnreachable')}"
      data-busy="${t('cameraAdmin.testBusy')}">
      <h2>${t('cameraAdmin.testSource')}</h2>
      <p class="muted">${t('cameraAdmin.testHint')}</p>
      <p>
        <button type="button" id="test-source" class="secondary">${t('cameraAdmin.testSource')}</button>
        <span id="test-result" role="status"></span>
      </p>
      <p class="muted" id="test-detail"></p>
      <img id="test-frame" alt="${t('cameraAdmin.testFrameAlt')}" hidden />
    </section>`;
}
