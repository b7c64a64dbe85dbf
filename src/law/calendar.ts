import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  addDays,
  assertLocalDate,
  fromDayNumber,
  toDayNumber,
  weekdayOf,
  yearOf,
  type LocalDate,
} from './local-date.js';

/**
 * The working-day calendar. The Administrative Penalty Law counts its 2, 3, 5 and 7 day periods in working days
 * without public holidays (art. 85), and China moves weekend days around its holidays, so weekends alone are
 * wrong: the holiday and make-up working-day lists are configuration the bureau checks every year.
 */

const DateString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date, YYYY-MM-DD' });

export const CalendarConfigSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'What this calendar is, shown to staff' }),
    reviewNotice: Type.String({ description: 'Who must check this file and when' }),
    years: Type.Array(
      Type.Object(
        {
          year: Type.Integer({
            minimum: 2000,
            maximum: 2100,
            description: 'The calendar year this entry covers',
          }),
          status: Type.Union([Type.Literal('official'), Type.Literal('provisional')], {
            description:
              'official: copied from the published State Council arrangement; provisional: statutory holiday days only, to be replaced once the arrangement is published',
          }),
          source: Type.String({
            minLength: 1,
            description: 'The published notice or method the dates come from',
          }),
          holidays: Type.Array(
            Type.Object(
              {
                name: Type.String({ minLength: 1, description: 'Holiday name, e.g. 春节' }),
                from: { ...DateString, description: 'First rest day of the holiday, inclusive' },
                to: { ...DateString, description: 'Last rest day of the holiday, inclusive' },
              },
              { additionalProperties: false },
            ),
            { description: 'Rest days, including the weekdays moved into a holiday' },
          ),
          makeUpWorkdays: Type.Array(
            Type.Object(
              {
                date: { ...DateString, description: 'A Saturday or Sunday that is a working day' },
                for: Type.String({ minLength: 1, description: 'The holiday this working day makes up for' }),
              },
              { additionalProperties: false },
            ),
            { description: 'Weekend days worked in exchange for holiday days (调休上班)' },
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, description: 'One entry per covered year; dates outside these years cannot be counted' },
    ),
  },
  { additionalProperties: false },
);

export type CalendarConfig = Static<typeof CalendarConfigSchema>;

export class CalendarConfigError extends Error {
  override name = 'CalendarConfigError';
}

/** A deadline would fall in a year nobody has configured: counting on would silently ignore its holidays. */
export class CalendarCoverageError extends Error {
  override name = 'CalendarCoverageError';
}

export interface WorkingCalendar {
  readonly coveredYears: readonly number[];
  isWorkingDay(date: LocalDate): boolean;
  /** The date `count` working days after `start`; `start` itself is never counted (the day an event happens). */
  addWorkingDays(start: LocalDate, count: number): LocalDate;
  /** `date` when it is a working day, otherwise the next working day. */
  onOrNextWorkingDay(date: LocalDate): LocalDate;
  /** Working days in (from, to]: 0 when `to` is not after `from`. */
  workingDaysBetween(from: LocalDate, to: LocalDate): number;
  /** True when the year of `date` is configured only provisionally: deadlines there need a second look. */
  isProvisional(date: LocalDate): boolean;
}

// A generous bound: no legal period in the procedure is longer than a few months of working days.
const MAX_STEPS = 3_660;

export function parseCalendarConfig(raw: unknown): CalendarConfig {
  const firstError = Value.Errors(CalendarConfigSchema, raw).First();
  if (firstError) {
    throw new CalendarConfigError(`calendar config ${firstError.path || '/'}: ${firstError.message}`);
  }
  const config = raw as CalendarConfig;
  const seenYears = new Set<number>();
  for (const entry of config.years) {
    if (seenYears.has(entry.year))
      throw new CalendarConfigError(`calendar config lists year ${entry.year} twice`);
    seenYears.add(entry.year);
    for (const holiday of entry.holidays) {
      const where = `calendar config ${entry.year} holiday ${holiday.name}`;
      assertLocalDate(holiday.from, `${where} from`);
      assertLocalDate(holiday.to, `${where} to`);
      if (toDayNumber(holiday.to) < toDayNumber(holiday.from)) {
        throw new CalendarConfigError(`${where} ends (${holiday.to}) before it starts (${holiday.from})`);
      }
      if (yearOf(holiday.from) !== entry.year && yearOf(holiday.to) !== entry.year) {
        throw new CalendarConfigError(`${where} (${holiday.from}..${holiday.to}) lies outside ${entry.year}`);
      }
    }
    for (const makeUp of entry.makeUpWorkdays) {
      const where = `calendar config ${entry.year} make-up working day ${makeUp.date}`;
      assertLocalDate(makeUp.date, where);
      const weekday = weekdayOf(makeUp.date);
      if (weekday !== 0 && weekday !== 6)
        throw new CalendarConfigError(`${where} is not a Saturday or Sunday`);
      if (yearOf(makeUp.date) !== entry.year)
        throw new CalendarConfigError(`${where} lies outside ${entry.year}`);
    }
  }
  return config;
}

export function createWorkingCalendar(config: CalendarConfig): WorkingCalendar {
  const checked = parseCalendarConfig(config);
  const restDays = new Set<number>();
  const makeUpDays = new Set<number>();
  const provisionalYears = new Set<number>();
  for (const entry of checked.years) {
    if (entry.status === 'provisional') provisionalYears.add(entry.year);
    for (const holiday of entry.holidays) {
      for (let day = toDayNumber(holiday.from); day <= toDayNumber(holiday.to); day += 1) restDays.add(day);
    }
    for (const makeUp of entry.makeUpWorkdays) makeUpDays.add(toDayNumber(makeUp.date));
  }
  for (const day of makeUpDays) {
    if (restDays.has(day)) {
      throw new CalendarConfigError(
        `calendar config: ${fromDayNumber(day)} is both a holiday and a make-up working day`,
      );
    }
  }
  const coveredYears = checked.years.map((entry) => entry.year).sort((a, b) => a - b);
  const covered = new Set(coveredYears);

  const requireCovered = (date: LocalDate): void => {
    const year = yearOf(date);
    if (!covered.has(year)) {
      throw new CalendarCoverageError(
        `the working-day calendar has no entry for ${year} (needed for ${date}); covered years: ${coveredYears.join(', ')}`,
      );
    }
  };

  const isWorkingDay = (date: LocalDate): boolean => {
    requireCovered(date);
    const day = toDayNumber(date);
    if (makeUpDays.has(day)) return true;
    if (restDays.has(day)) return false;
    const weekday = weekdayOf(date);
    return weekday !== 0 && weekday !== 6;
  };

  return {
    coveredYears,
    isWorkingDay,
    addWorkingDays(start, count) {
      assertLocalDate(start, 'addWorkingDays start');
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(`working-day count must be a whole number >= 0, got ${count}`);
      }
      let date = start;
      let remaining = count;
      for (let step = 0; remaining > 0; step += 1) {
        if (step > MAX_STEPS)
          throw new RangeError(`adding ${count} working days to ${start} ran past ${MAX_STEPS} days`);
        date = addDays(date, 1);
        if (isWorkingDay(date)) remaining -= 1;
      }
      return date;
    },
    onOrNextWorkingDay(date) {
      let current = date;
      for (let step = 0; !isWorkingDay(current); step += 1) {
        if (step > MAX_STEPS)
          throw new RangeError(`no working day found within ${MAX_STEPS} days of ${date}`);
        current = addDays(current, 1);
      }
      return current;
    },
    workingDaysBetween(from, to) {
      let count = 0;
      for (let day = toDayNumber(from) + 1; day <= toDayNumber(to); day += 1) {
        if (isWorkingDay(fromDayNumber(day))) count += 1;
      }
      return count;
    },
    isProvisional(date) {
      return provisionalYears.has(yearOf(date));
    },
  };
}
