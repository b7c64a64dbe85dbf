import { addDays, daysBetween, InvalidDateError, toDayNumber, type LocalDate } from '../law/local-date.js';
import { ValidationError } from '../shared/errors.js';

/**
 * The period of a statistics query: whole Beijing days, `from` and `to` both included. A period is bounded (at
 * most a year and a day, so a leap year fits) so that no request can ask the database for everything at once.
 */
export interface StatsPeriod {
  from: LocalDate;
  to: LocalDate;
}

export const MAX_PERIOD_DAYS = 366;
/** The period a page shows when none is asked for: the last 30 days up to today. */
export const DEFAULT_PERIOD_DAYS = 30;

function dateParam(value: string, what: string): LocalDate {
  try {
    toDayNumber(value);
  } catch (error) {
    if (error instanceof InvalidDateError) throw new ValidationError(`${what}: ${error.message}`);
    throw error;
  }
  return value;
}

/** Reads `from` and `to` of a request; either may be missing (the default period fills it in). */
export function parsePeriod(from: string | undefined, to: string | undefined, today: LocalDate): StatsPeriod {
  const end = to === undefined || to === '' ? today : dateParam(to, 'to');
  const start =
    from === undefined || from === '' ? addDays(end, -(DEFAULT_PERIOD_DAYS - 1)) : dateParam(from, 'from');
  const days = daysBetween(start, end) + 1;
  if (days < 1) throw new ValidationError(`the period is reversed: from ${start} is after to ${end}`);
  if (days > MAX_PERIOD_DAYS)
    throw new ValidationError(`the period has ${days} days; at most ${MAX_PERIOD_DAYS} are allowed`);
  return { from: start, to: end };
}

/** Beijing midnight of a date as an instant (China keeps +08:00 all year). */
export function beijingMidnight(date: LocalDate): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** The instants a period covers: `start` included, `end` (the midnight after `to`) excluded. */
export function periodBounds(period: StatsPeriod): { start: Date; end: Date } {
  return { start: beijingMidnight(period.from), end: beijingMidnight(addDays(period.to, 1)) };
}

/** Every day of the period in order, for a series with no gaps. */
export function periodDays(period: StatsPeriod): LocalDate[] {
  const n = daysBetween(period.from, period.to) + 1;
  return Array.from({ length: n }, (_, i) => addDays(period.from, i));
}

/** The calendar month before the one `today` falls in, as a period (the monthly report's). */
export function previousMonth(today: LocalDate): StatsPeriod {
  const firstOfThis = `${today.slice(0, 7)}-01`;
  const to = addDays(firstOfThis, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

/** A month given as `YYYY-MM`, as a period. */
export function monthPeriod(month: string): StatsPeriod {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new ValidationError(`month "${month}" is not in YYYY-MM form`);
  const from = dateParam(`${month}-01`, 'month');
  const next = Number(month.slice(5, 7)) === 12 ? `${Number(month.slice(0, 4)) + 1}-01` : nextMonth(month);
  return { from, to: addDays(`${next}-01`, -1) };
}

function nextMonth(month: string): string {
  const m = Number(month.slice(5, 7)) + 1;
  return `${month.slice(0, 4)}-${String(m).padStart(2, '0')}`;
}

/** A share as a number between 0 and 1, or null when nothing was counted. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** A share as a percentage with one decimal (`71.4 %`), or a dash when there is none. */
export function formatRate(value: number | null): string {
  return value === null ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)} %`;
}

/** A length of time in days with one decimal, from seconds, or a dash. */
export function formatDays(seconds: number | null): string {
  return seconds === null ? '—' : (seconds / 86_400).toFixed(1);
}
