/**
 * Times on staff pages are shown in Beijing time, as the bureau works and as the portal and the documents show
 * them; the suffix makes the zone explicit on screens that staff may compare with logs in UTC.
 */
const FORMAT = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function formatShanghai(value: Date | string | null | undefined, withSeconds = true): string {
  if (!value) return '—';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  const text = FORMAT.format(d);
  return `${withSeconds ? text : text.slice(0, 16)} (UTC+8)`;
}
