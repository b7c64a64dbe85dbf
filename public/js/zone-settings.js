import { $ } from './common.js';
import { scheduleEditor } from './schedule-editor.js';

// The settings form of the zone selected on the camera page. Every edit is written into the zone object at once
// (an empty field removes the setting, so the camera's default for the kind applies); the zone's schedule is
// written only while it is valid, and its fault is kept to stop the save with a sentence in the reader's language.
const scheduleFaults = new WeakMap();

function optionalNumber(input, integer) {
  const raw = input.value.trim();
  if (raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) return undefined;
  return integer ? Math.round(n) : n;
}

function setOrDelete(zone, key, value) {
  if (value === undefined) delete zone[key];
  else zone[key] = value;
}

/** The first schedule fault among the zones, as a sentence, or null. */
export function zoneScheduleFault(zones) {
  for (const z of zones) {
    const fault = scheduleFaults.get(z);
    if (fault) return `${z.name}: ${fault}`;
  }
  return null;
}

export function zoneSettings({ texts, onChange }) {
  const form = $('#zone-settings');
  let zone = null;

  const bind = (selector, event, apply) =>
    $(selector).addEventListener(event, () => {
      if (!zone) return;
      apply(zone);
      onChange(zone);
    });

  bind('#zs-name', 'input', (z) => (z.name = $('#zs-name').value.trim()));
  bind('#zs-kind', 'change', (z) => {
    z.kind = $('#zs-kind').value;
    if (z.kind !== 'shop_front') {
      delete z.frontLine;
      if (z.warnFirst) delete z.warnFirst;
    }
    showFront(z);
  });
  bind('#zs-enabled', 'change', (z) => (z.enabled = $('#zs-enabled').checked));
  bind('#zs-min-score', 'input', (z) =>
    setOrDelete(z, 'minScore', optionalNumber($('#zs-min-score'), false)),
  );
  bind('#zs-dwell', 'input', (z) => setOrDelete(z, 'dwellSeconds', optionalNumber($('#zs-dwell'), true)));
  bind('#zs-cooldown', 'input', (z) =>
    setOrDelete(z, 'cooldownSeconds', optionalNumber($('#zs-cooldown'), true)),
  );
  bind('#zs-grace', 'input', (z) => setOrDelete(z, 'graceSeconds', optionalNumber($('#zs-grace'), true)));
  bind('#zs-labels', 'input', (z) => {
    const labels = [
      ...new Set(
        $('#zs-labels')
          .value.split(/[,，、\s]+/)
          .filter(Boolean),
      ),
    ];
    setOrDelete(z, 'labels', labels.length ? labels : undefined);
  });
  bind('#zs-warn', 'change', (z) => {
    const v = $('#zs-warn').value;
    setOrDelete(z, 'warnFirst', v === '' ? undefined : v === 'on');
  });
  bind('#zs-warn-reason', 'input', (z) =>
    setOrDelete(z, 'warnFirstOffReason', $('#zs-warn-reason').value.trim() || undefined),
  );
  for (const box of document.querySelectorAll('input[name="zs-role"]')) {
    bind(`input[name="zs-role"][value="${box.value}"]`, 'change', (z) => {
      const roles = [...document.querySelectorAll('input[name="zs-role"]:checked')].map((b) => b.value);
      setOrDelete(z, 'roles', roles.length ? roles : undefined);
    });
  }
  bind('#zs-party', 'change', (z) => z.frontLine && (z.frontLine.partyId = $('#zs-party').value));
  bind('#zs-sidewalk', 'change', (z) => z.frontLine && (z.frontLine.sidewalkSide = $('#zs-sidewalk').value));
  bind('#zs-depth', 'input', (z) => {
    const depth = optionalNumber($('#zs-depth'), false);
    if (z.frontLine && depth !== undefined) z.frontLine.allowedDepth = depth;
  });

  function showFront(z) {
    $('#zs-front').hidden = !z.frontLine;
    if (z.frontLine) {
      $('#zs-party').value = z.frontLine.partyId;
      $('#zs-sidewalk').value = z.frontLine.sidewalkSide;
      $('#zs-depth').value = String(z.frontLine.allowedDepth);
    }
  }

  const num = (v) => (v === undefined || v === null ? '' : String(v));

  function show(z) {
    zone = z;
    form.hidden = false;
    $('#zs-title').textContent = z.name;
    $('#zs-name').value = z.name;
    $('#zs-kind').value = z.kind;
    $('#zs-enabled').checked = z.enabled;
    $('#zs-min-score').value = num(z.minScore);
    $('#zs-dwell').value = num(z.dwellSeconds);
    $('#zs-cooldown').value = num(z.cooldownSeconds);
    $('#zs-grace').value = num(z.graceSeconds);
    $('#zs-labels').value = (z.labels ?? []).join(', ');
    $('#zs-warn').value = z.warnFirst === undefined ? '' : z.warnFirst ? 'on' : 'off';
    $('#zs-warn-reason').value = z.warnFirstOffReason ?? '';
    for (const box of document.querySelectorAll('input[name="zs-role"]'))
      box.checked = (z.roles ?? []).includes(box.value);
    showFront(z);
    scheduleEditor($('#zs-schedule'), {
      windows: z.schedule ?? [],
      always: !z.schedule || z.schedule.length === 0,
      texts: texts.schedule,
      onChange: (state) => {
        if (state.error) {
          scheduleFaults.set(z, state.error);
          return;
        }
        scheduleFaults.delete(z);
        setOrDelete(z, 'schedule', state.always ? undefined : state.windows);
        onChange(z);
      },
    });
  }

  function hide() {
    zone = null;
    form.hidden = true;
  }

  return { show, hide };
}
