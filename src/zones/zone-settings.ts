import type { Detection, DetectionRole } from '../detect/detection.js';
import type { CameraRulesConfig } from './rules-config.schema.js';
import type { Zone } from './zone.schema.js';

/** A zone with every rule setting filled in from the camera's per-kind defaults. */
export interface ZoneSettings {
  roles: readonly DetectionRole[];
  labels: readonly string[];
  dwellSeconds: number;
  minScore: number;
  warnFirst: boolean;
  graceSeconds: number;
  cooldownSeconds: number;
}

export function zoneSettings(zone: Zone, config: CameraRulesConfig): ZoneSettings {
  if (zone.kind === 'ignore') {
    return {
      roles: zone.roles ?? config.defaults.ignore.roles,
      labels: zone.labels ?? [],
      dwellSeconds: 0,
      minScore: zone.minScore ?? 0,
      warnFirst: false,
      graceSeconds: 0,
      cooldownSeconds: 0,
    };
  }
  const defaults = config.defaults[zone.kind];
  return {
    roles: zone.roles ?? defaults.roles,
    labels: zone.labels ?? [],
    dwellSeconds: zone.dwellSeconds ?? defaults.dwellSeconds,
    minScore: zone.minScore ?? defaults.minScore,
    // Warn-first needs someone to warn: only a shop front line names its party.
    warnFirst: zone.kind === 'shop_front' && (zone.warnFirst ?? defaults.warnFirst),
    graceSeconds: zone.graceSeconds ?? defaults.graceSeconds,
    cooldownSeconds: zone.cooldownSeconds ?? defaults.cooldownSeconds,
  };
}

/** Whether an object of this role, label and score is one the zone watches. */
export function zoneWatches(
  settings: ZoneSettings,
  object: Pick<Detection, 'role' | 'label' | 'score'>,
): boolean {
  if (!settings.roles.includes(object.role)) return false;
  if (settings.labels.length > 0 && !settings.labels.includes(object.label)) return false;
  return object.score >= settings.minScore;
}
