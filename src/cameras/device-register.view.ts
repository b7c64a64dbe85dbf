import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type PlainMessageKey, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { DeviceRegisterPage } from './camera-admin.service.js';
import type { CameraAdminContext } from './camera-form.view.js';
import {
  DEVICE_RECORD_KINDS,
  DEVICE_RECORD_RESULTS,
  type RegisterFormFault,
} from './device-register-form.js';

/**
 * A camera's device register (Pudong art. 7): certificate, reviews and publication, its maintenance, test,
 * calibration and review records, and its evidence eligibility with a link to the field that fixes each gap.
 */

/** Each eligibility reason of evidence-eligibility.ts: its catalogue text and the form element that fixes it. */
export const ELIGIBILITY_FIXES = {
  'legal review of the device is not recorded': ['eligibility.legalReview', 'legalReviewDate'],
  'technical review of the device is not recorded': ['eligibility.technicalReview', 'technicalReviewDate'],
  'no passing maintenance or test record': ['eligibility.noPassingCheck', 'record-form'],
  'the latest maintenance or test record failed': ['eligibility.latestFailed', 'record-form'],
  'device location is not published': ['eligibility.notPublished', 'published'],
} as const satisfies Record<string, readonly [PlainMessageKey, string]>;

/** The reasons a camera may not produce evidence, each with a link to the register form that fixes it. */
export function eligibilityReasons(cameraId: string, reasons: string[], { t }: StaffI18n): SafeHtml {
  return html`<ul id="eligibility-reasons">
    ${reasons.map((reason) => {
      if (!Object.hasOwn(ELIGIBILITY_FIXES, reason)) return html`<li>${reason}</li>`;
      const [key, anchor] = ELIGIBILITY_FIXES[reason as keyof typeof ELIGIBILITY_FIXES];
      return html`<li data-reason="${anchor}">
        ${t(key)} · <a class="fix-link" href="/staff/cameras/${cameraId}/register#${anchor}">${t('cameraAdmin.fixLink')}</a>
      </li>`;
    })}
  </ul>`;
}

const RESULT_KEYS = {
  pass: 'cameraAdmin.resultPass',
  fail: 'cameraAdmin.resultFail',
  info: 'cameraAdmin.resultInfo',
} as const satisfies Record<(typeof DEVICE_RECORD_RESULTS)[number], PlainMessageKey>;

function resultText(result: string, { t }: StaffI18n): string {
  return Object.hasOwn(RESULT_KEYS, result) ? t(RESULT_KEYS[result as keyof typeof RESULT_KEYS]) : result;
}

function faultLine(key: RegisterFormFault | undefined, id: string, { t }: StaffI18n): SafeHtml | string {
  return key ? html`<p class="error field-error" id="${id}-error" role="alert">${t(key)}</p>` : '';
}

function registerForm(data: DeviceRegisterPage, csrfToken: string, i18n: StaffI18n): SafeHtml {
  const { t } = i18n;
  const c = data.camera;
  const posted = data.register?.fields;
  const faults = data.register?.faults ?? {};
  const value = (key: keyof NonNullable<typeof posted>, stored: string | null): string =>
    posted ? (posted[key] ?? '') : (stored ?? '');
  const published = posted ? posted.published !== undefined : c.published;
  const text = (
    id: 'certificateId' | 'legalReviewDate' | 'legalReviewer' | 'technicalReviewDate' | 'technicalReviewer',
    label: string,
    stored: string | null,
    type: 'text' | 'date',
  ): SafeHtml => html`<div>
    <label for="${id}">${label}</label
    ><input id="${id}" name="${id}" type="${type}" maxlength="100" value="${value(id, stored)}" />
    ${faultLine(faults[id], id, i18n)}
  </div>`;
  return html`<form id="register-form" class="card" method="post" action="/staff/cameras/${c.id}/register">
    <input type="hidden" name="_csrf" value="${csrfToken}" />
    <div class="grid2">
      ${text('certificateId', t('camera.certificate'), c.certificateId, 'text')}
      <div></div>
      ${text('legalReviewDate', t('cameraAdmin.legalReviewDate'), c.legalReviewDate, 'date')}
      ${text('legalReviewer', t('cameraAdmin.legalReviewer'), c.legalReviewer, 'text')}
      ${text('technicalReviewDate', t('cameraAdmin.technicalReviewDate'), c.technicalReviewDate, 'date')}
      ${text('technicalReviewer', t('cameraAdmin.technicalReviewer'), c.technicalReviewer, 'text')}
    </div>
    <p>
      <label class="check"
        ><input type="checkbox" id="published" name="published" ${published ? 'checked' : ''} />
        ${t('cameraAdmin.publish')}</label
      >
    </p>
    <p><button type="submit" id="save-register">${t('cameraAdmin.saveRegister')}</button></p>
  </form>`;
}

function recordForm(data: DeviceRegisterPage, csrfToken: string, i18n: StaffI18n): SafeHtml {
  const { t, label } = i18n;
  const posted = data.record?.fields ?? {};
  const faults = data.record?.faults ?? {};
  return html`<form id="record-form" class="card" method="post" action="/staff/cameras/${data.camera.id}/records">
    <input type="hidden" name="_csrf" value="${csrfToken}" />
    <div class="grid2">
      <div>
        <label for="record-kind">${t('cameraAdmin.recordKind')}</label>
        <select id="record-kind" name="kind">
          ${DEVICE_RECORD_KINDS.map(
            (k) =>
              html`<option value="${k}" ${posted.kind === k ? 'selected' : ''}>${label('deviceRecordKind', k)}</option>`,
          )}
        </select>
        ${faultLine(faults.kind, 'record-kind', i18n)}
      </div>
      <div>
        <label for="record-at">${t('cameraAdmin.performedAt')}</label
        ><input id="record-at" name="performedAt" type="datetime-local" required value="${posted.performedAt ?? ''}" />
        ${faultLine(faults.performedAt, 'record-at', i18n)}
      </div>
      <div>
        <label for="record-by">${t('cameraAdmin.performedBy')}</label
        ><input id="record-by" name="performedBy" required maxlength="200" value="${posted.performedBy ?? ''}" />
        ${faultLine(faults.performedBy, 'record-by', i18n)}
      </div>
      <div>
        <label for="record-result">${t('cameraAdmin.result')}</label>
        <select id="record-result" name="result">
          ${DEVICE_RECORD_RESULTS.map(
            (r) =>
              html`<option value="${r}" ${posted.result === r ? 'selected' : ''}>${resultText(r, i18n)}</option>`,
          )}
        </select>
        ${faultLine(faults.result, 'record-result', i18n)}
      </div>
    </div>
    <label for="record-notes">${t('cameraAdmin.notes')}</label>
    <textarea id="record-notes" name="notes" maxlength="2000" rows="2">${posted.notes ?? ''}</textarea>
    ${faultLine(faults.notes, 'record-notes', i18n)}
    <p><button type="submit" id="add-record">${t('cameraAdmin.addRecord')}</button></p>
  </form>`;
}

export function deviceRegisterView(
  data: DeviceRegisterPage,
  { staff, csrfToken }: CameraAdminContext,
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t, label } = i18n;
  const c = data.camera;
  const title = t('cameraAdmin.registerTitle', { name: c.name });
  return page(
    { title, staff, csrfToken },
    html`<h1>${title}</h1>
      <p class="toolbar">
        <a href="/staff/cameras/${c.id}" id="back-to-camera">${t('cameraAdmin.backToCamera')}</a>
        <a href="/staff/cameras/${c.id}/edit" id="edit-link">${t('cameraAdmin.editLink')}</a>
      </p>
      <p class="muted">${t('cameraAdmin.registerIntro')}</p>
      <section class="card">
        <p id="camera-eligibility" data-eligible="${c.evidence.eligible ? 'yes' : 'no'}">
          ${t('camera.evidenceLabel')}
          ${c.evidence.eligible ? html`<span class="status ok">${t('camera.eligible')}</span>` : html`<span class="status warn">${t('camera.notEligible')}</span>`}
        </p>
        ${c.evidence.reasons.length ? eligibilityReasons(c.id, c.evidence.reasons, i18n) : ''}
      </section>
      <h2>${t('camera.register')}</h2>
      ${registerForm(data, csrfToken, i18n)}
      <h2 id="records">${t('cameraAdmin.records')}</h2>
      <div class="table-wrap">
        <table id="record-list">
          <thead>
            <tr>
              <th>${t('cameraAdmin.performedAt')}</th>
              <th>${t('cameraAdmin.recordKind')}</th>
              <th>${t('cameraAdmin.result')}</th>
              <th>${t('cameraAdmin.performedBy')}</th>
              <th>${t('cameraAdmin.notes')}</th>
            </tr>
          </thead>
          <tbody>
            ${
              data.records.length === 0
                ? html`<tr><td colspan="5" class="muted">${t('cameraAdmin.noRecords')}</td></tr>`
                : data.records.map(
                    (r) => html`<tr data-kind="${r.kind}" data-result="${r.result}">
                      <td>${i18n.time(r.performed_at)}</td>
                      <td>${label('deviceRecordKind', r.kind)}</td>
                      <td>${resultText(r.result, i18n)}</td>
                      <td>${r.performed_by}</td>
                      <td>${r.notes}</td>
                    </tr>`,
                  )
            }
          </tbody>
        </table>
      </div>
      ${recordForm(data, csrfToken, i18n)}`,
  );
}
