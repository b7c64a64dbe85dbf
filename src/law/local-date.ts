import { ValidationError } from '../shared/errors.js';

/**
 * Calendar dates as the law counts them: whole days in Asia/Shanghai, written `YYYY-MM-DD`. Deadlines in the
 * Administrative Penalty Law are counted in days, never hours, so the procedure code works on these strings and
 * turns an instant into a date only at the edge (`shanghaiDateOf`).
 */
export type LocalDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A date that is not one: a 400 when it came in a request (most do: forms, API bodies, query strings). */
export class InvalidDateError extends ValidationError {
  override name = 'InvalidDateError';
}

/** Days since 1970-01-01 for a valid `YYYY-MM-DD`; throws naming the bad value otherwise. */
export function toDayNumber(date: LocalDate): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new InvalidDateError(`date "${date}" is not in YYYY-MM-DD form`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC silently rolls 2026-02-30 over into March; a round trip catches it.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new InvalidDateError(`date "${date}" does not exist in the calendar`);
  }
  return ms / DAY_MS;
}

export function fromDayNumber(dayNumber: number): LocalDate {
  if (!Number.isInteger(dayNumber)) throw new InvalidDateError(`day number ${dayNumber} is not an integer`);
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function assertLocalDate(date: LocalDate, what: string): void {
  try {
    toDayNumber(date);
  } catch (error) {
    throw new InvalidDateError(`${what}: ${(error as Error).message}`);
  }
}

export function addDays(date: LocalDate, days: number): LocalDate {
  if (!Number.isInteger(days)) throw new InvalidDateError(`cannot add ${days} days: not a whole number`);
  return fromDayNumber(toDayNumber(date) + days);
}

/** `later - earlier` in days; negative when `later` comes first. */
export function daysBetween(earlier: LocalDate, later: LocalDate): number {
  return toDayNumber(later) - toDayNumber(earlier);
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return compareDates(a, b) >= 0 ? a : b;
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return compareDates(a, b) <= 0 ? a : b;
}

/** 0 = Sunday ... 6 = Saturday, like Date#getUTCDay. */
export function weekdayOf(date: LocalDate): number {
  // 1970-01-01 was a Thursday.
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function yearOf(date: LocalDate): number {
  toDayNumber(date);
  return Number(date.slice(0, 4));
}

const shanghaiFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * China has kept UTC+8 the whole year since its last summer time ended in September 1991, so from 1992 on the
 * Shanghai date is the UTC date eight hours later: plain arithmetic, about thirty times cheaper than asking the
 * time-zone database (a page under a crowd asks for today on every request). Earlier instants, and years past
 * 9999 that `toISOString` writes with a sign, go through the formatter.
 */
const FIXED_OFFSET_FROM = Date.UTC(1991, 11, 31, 16); // 1992-01-01 00:00 in Shanghai
const FIXED_OFFSET_UNTIL = Date.UTC(9999, 11, 31, 16); // 10000-01-01 00:00 in Shanghai
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The date on a Shanghai wall calendar at `instant`. */
export function shanghaiDateOf(instant: Date): LocalDate {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new InvalidDateError('cannot take the date of an invalid instant');
  if (t >= FIXED_OFFSET_FROM && t < FIXED_OFFSET_UNTIL)
    return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  return shanghaiDateByZone(instant);
}

/** The same date from the time-zone database (exported for the test that holds the two equal). */
export function shanghaiDateByZone(instant: Date): LocalDate {
  const parts = shanghaiFormatter.formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `2026年3月5日`, the way dates are written in the documents. */
export function formatChineseDate(date: LocalDate): string {
  toDayNumber(date);
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}
