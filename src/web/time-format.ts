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

/** The day in Beijing (`2026-03-02`) of an instant: what a page shows for "published on", never the UTC day. */
export function formatShanghaiDate(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  return beijingTime(d).slice(0, 10);
}
