import { DETECTION_ROLES } from '../detect/detection.js';
import { html, type SafeHtml } from '../web/html.js';
import type { StaffI18n } from '../web/i18n/index.js';
import { ZONE_KINDS } from '../zones/zone.schema.js';

/**
 * The camera page's editing of saved zones (their vertices and every setting) and the weekly schedules of the
 * camera and of each zone. The markup is static; camera-page.js fills it from the selected zone, and
 * schedule-editor.js builds the weekday rows from the texts below.
 */

/** The settings form of the zone selected for editing; hidden until one is selected. */
export function zoneSettingsPanel(
  parties: readonly { id: string; name: string }[],
  i18n: StaffI18n,
): SafeHtml {
  const { t, label } = i18n;
  return html`<fieldset id="zone-settings" class="card" hidden>
    <legend>${t('zoneEdit.title')} <span id="zs-title"></span></legend>
    <p class="muted">${t('zoneEdit.help')}</p>
    <div class="toolbar">
      <button type="button" id="delete-vertex" class="secondary" disabled>${t('zoneEdit.deleteVertex')}</button>
      <button type="button" id="zone-edit-done" class="secondary">${t('zoneEdit.done')}</button>
    </div>
    <div class="grid2">
      <div><label for="zs-name">${t('zoneEdit.name')}</label><input id="zs-name" maxlength="100" /></div>
      <div>
        <label for="zs-kind">${t('zoneEdit.kind')}</label
        ><select id="zs-kind">
          ${ZONE_KINDS.map((k) => html`<option value="${k}">${label('zoneKind', k)}</option>`)}
        </select>
      </div>
      <div><label><input type="checkbox" id="zs-enabled" /> ${t('zoneEdit.enabled')}</label></div>
      <div>
        <label for="zs-min-score">${t('zoneEdit.minScore')}</label
        ><input id="zs-min-score" type="number" min="0" max="1" step="0.01" />
      </div>
      <div>
        <label for="zs-dwell">${t('zoneEdit.dwell')}</label
        ><input id="zs-dwell" type="number" min="0" max="86400" step="1" />
      </div>
      <div>
        <label for="zs-cooldown">${t('zoneEdit.cooldown')}</label
        ><input id="zs-cooldown" type="number" min="0" max="604800" step="1" />
      </div>
      <div>
        <label for="zs-grace">${t('zoneEdit.grace')}</label
        ><input id="zs-grace" type="number" min="0" max="604800" step="1" />
      </div>
      <div><label for="zs-labels">${t('zoneEdit.labels')}</label><input id="zs-labels" maxlength="2000" /></div>
      <div>
        <label for="zs-warn">${t('zoneEdit.warnFirst')}</label
        ><select id="zs-warn">
          <option value="">${t('zoneEdit.warnDefault')}</option>
          <option value="on">${t('zoneEdit.warnOn')}</option>
          <option value="off">${t('zoneEdit.warnOff')}</option>
        </select>
      </div>
      <div>
        <label for="zs-warn-reason">${t('zoneEdit.warnOffReason')}</label
        ><input id="zs-warn-reason" maxlength="500" />
      </div>
    </div>
    <div id="zs-roles">
      <span>${t('zoneEdit.roles')}</span>
      ${DETECTION_ROLES.map(
        (r) =>
          html`<label class="inline"><input type="checkbox" name="zs-role" value="${r}" /> ${label('detectionRole', r)}</label>`,
      )}
    </div>
    <div id="zs-front" class="grid2" hidden>
      <div>
        <label for="zs-party">${t('camera.shop')}</label
        ><select id="zs-party">
          ${parties.map((p) => html`<option value="${p.id}">${p.name}</option>`)}
        </select>
      </div>
      <div>
        <label for="zs-sidewalk">${t('zoneEdit.sidewalk')}</label
        ><select id="zs-sidewalk">
          <option value="left">${t('zoneEdit.sidewalkLeft')}</option>
          <option value="right">${t('zoneEdit.sidewalkRight')}</option>
        </select>
      </div>
      <div>
        <label for="zs-depth">${t('zoneEdit.depth')}</label
        ><input id="zs-depth" type="number" min="0" max="1" step="0.01" />
      </div>
    </div>
    <h3>${t('zoneEdit.schedule')}</h3>
    <div id="zs-schedule" class="schedule-editor"></div>
  </fieldset>`;
}

/** The camera's own sampling schedule, saved on its own through the camera API. */
export function cameraSchedulePanel({ t }: StaffI18n): SafeHtml {
  return html`<section class="card" id="camera-schedule-card">
    <h2>${t('zoneEdit.cameraSchedule')}</h2>
    <div id="camera-schedule" class="schedule-editor"></div>
    <p>
      <button type="button" id="save-schedule">${t('zoneEdit.saveSchedule')}</button>
      <span id="schedule-status" class="muted" role="status"></span>
    </p>
    <p id="schedule-error" class="error" role="alert"></p>
  </section>`;
}

/** The texts camera-page.js and schedule-editor.js show, in the reader's language, with their placeholders kept. */
export function zoneEditorTexts({ t }: StaffI18n) {
  const zone = { zone: '{zone}' };
  return {
    edit: t('zoneEdit.edit'),
    enabled: t('zoneEdit.enabled'),
    scheduleSaved: t('zoneEdit.scheduleSaved', { version: '{version}' }),
    conflict: t('zoneEdit.conflict', { version: '{version}' }),
    serverError: t('zoneEdit.serverError', { message: '{message}' }),
    faults: {
      points: t('zoneEdit.fault.points', zone),
      frontLine: t('zoneEdit.fault.frontLine', zone),
      warnFirst: t('zoneEdit.fault.warnFirst', zone),
      warnFirstOffReason: t('zoneEdit.fault.warnFirstOffReason', zone),
      minScore: t('zoneEdit.fault.minScore', zone),
      schedule: t('zoneEdit.fault.schedule', zone),
      name: t('zoneEdit.fault.name', zone),
      other: t('zoneEdit.fault.other', { zone: '{zone}', field: '{field}' }),
    },
    fieldNames: {
      roles: t('zoneEdit.roles'),
      labels: t('zoneEdit.labels'),
      dwellSeconds: t('zoneEdit.dwell'),
      cooldownSeconds: t('zoneEdit.cooldown'),
      graceSeconds: t('zoneEdit.grace'),
      kind: t('zoneEdit.kind'),
      enabled: t('zoneEdit.enabled'),
    },
    schedule: {
      always: t('schedule.always'),
      add: t('schedule.add'),
      remove: t('schedule.remove'),
      start: t('schedule.start'),
      end: t('schedule.end'),
      none: t('schedule.none'),
      help: t('schedule.help'),
      days: [
        t('schedule.day1'),
        t('schedule.day2'),
        t('schedule.day3'),
        t('schedule.day4'),
        t('schedule.day5'),
        t('schedule.day6'),
        t('schedule.day7'),
      ],
      sameTime: t('schedule.err.sameTime', { day: '{day}', start: '{start}', end: '{end}' }),
      badTime: t('schedule.err.badTime', { day: '{day}', value: '{value}' }),
      noWindow: t('schedule.err.noWindow'),
    },
  };
}
