import { beijingTime } from '../shared/beijing-time.js';

/**
 * Times on staff pages are shown in Beijing time, as the bureau works and as the portal and the documents show
 * them; the suffix makes the zone explicit on screens that staff may compare with logs in UTC.
 */
export function formatShanghai(value: Date | string | null | undefined, withSeconds = true): string {
  if (!value) return '—';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  const text = beijingTime(d);
  return `${withSeconds ? text : text.slice(0, 16)} (UTC+8)`;
}
