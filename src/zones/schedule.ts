import type { ScheduleWindow } from './zone.schema.js';

/** Zones are enforced on the city's local clock, whatever the worker machine's own time zone. */
export const ENFORCEMENT_TIME_ZONE = 'Asia/Shanghai';

export interface LocalTime {
  /** ISO weekday, 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** Seconds since local midnight, 0 <= s < 86400. */
  secondOfDay: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

// Time zone offsets only ever change on a whole minute, so the local time of a minute's start gives the local
// time of every instant in it. Formatting is the costly part and every zone asks on every frame: keep a few.
const minuteCache = new Map<string, LocalTime>();
const MINUTE_CACHE_SIZE = 256;

function localMinute(minuteStart: number, timeZone: string): LocalTime {
  const key = `${timeZone}@${minuteStart}`;
  const cached = minuteCache.get(key);
  if (cached) return cached;
  const parts = formatterFor(timeZone).formatToParts(new Date(minuteStart));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS[part('weekday')];
  if (weekday === undefined)
    throw new Error(`could not read the weekday of ${new Date(minuteStart).toISOString()} in ${timeZone}`);
  const local = { weekday, secondOfDay: Number(part('hour')) * 3600 + Number(part('minute')) * 60 };
  if (minuteCache.size >= MINUTE_CACHE_SIZE) minuteCache.delete(minuteCache.keys().next().value!);
  minuteCache.set(key, local);
  return local;
}

/** Local weekday and time of day of an instant (epoch milliseconds) in the given IANA time zone. */
export function localTime(at: number, timeZone: string = ENFORCEMENT_TIME_ZONE): LocalTime {
  if (!Number.isFinite(at)) throw new Error(`localTime needs a finite epoch time in milliseconds, got ${at}`);
  const minuteStart = Math.floor(at / 60_000) * 60_000;
  const minute = localMinute(minuteStart, timeZone);
  // Sub-second precision matters at a window's closing instant: 07:59:59.5 is still before 08:00.
  return { weekday: minute.weekday, secondOfDay: minute.secondOfDay + (at - minuteStart) / 1000 };
}

/** "HH:MM" (00:00 to 24:00) as seconds since midnight. */
export function parseTimeOfDay(value: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new Error(`time of day must be HH:MM between 00:00 and 24:00, got '${value}'`);
  }
  return hours * 3600 + minutes * 60;
}

function previousWeekday(weekday: number): number {
  return weekday === 1 ? 7 : weekday - 1;
}

/**
 * Whether one window covers a local time. A window opens on each of its days at `start` (inclusive) and closes
 * at `end` (exclusive); when `end` is earlier than `start` it closes on the following day, so "Friday 22:00 to
 * 02:00" covers Saturday 01:30 too.
 */
export function windowCovers(window: ScheduleWindow, local: LocalTime): boolean {
  const start = parseTimeOfDay(window.start);
  const end = parseTimeOfDay(window.end);
  const t = local.secondOfDay;
  if (start < end) return window.days.includes(local.weekday) && t >= start && t < end;
  if (start > end) {
    const lateToday = window.days.includes(local.weekday) && t >= start;
    const earlyAfterOpeningDay = window.days.includes(previousWeekday(local.weekday)) && t < end;
    return lateToday || earlyAfterOpeningDay;
  }
  // Validation rejects start === end as ambiguous; treat it as never rather than guess.
  return false;
}

/** Whether a zone with this schedule is enforced at the instant `at` (epoch ms). No schedule means always. */
export function isScheduleActive(
  schedule: readonly ScheduleWindow[] | undefined,
  at: number,
  timeZone: string = ENFORCEMENT_TIME_ZONE,
): boolean {
  if (!schedule || schedule.length === 0) return true;
  const local = localTime(at, timeZone);
  return schedule.some((window) => windowCovers(window, local));
}

/**
 * Whether a camera with this schedule is sampled at `at`: within its windows when it has any (whatever `always`
 * says: "always false with windows" means "only in the windows"), at all times when it has none. `always: false`
 * with no window is refused when saved; a row stored so before that check stays unsampled as it was.
 */
export function cameraScheduleActive(
  schedule: { always?: boolean; windows?: readonly ScheduleWindow[] } | null | undefined,
  at: number,
  timeZone: string = ENFORCEMENT_TIME_ZONE,
): boolean {
  const windows = schedule?.windows ?? [];
  if (windows.length > 0) return isScheduleActive(windows, at, timeZone);
  return schedule?.always !== false;
}
