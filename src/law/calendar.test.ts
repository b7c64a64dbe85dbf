import { beforeAll, describe, expect, it } from 'vitest';
import {
  CalendarConfigError,
  CalendarCoverageError,
  createWorkingCalendar,
  type CalendarConfig,
  type WorkingCalendar,
} from './calendar.js';
import { loadWorkingCalendar } from './law-config.adapter.js';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadWorkingCalendar();
});

describe('working-day calendar (configured holidays)', () => {
  it('treats holidays as rest days and make-up Saturdays and Sundays as working days', () => {
    expect(calendar.isWorkingDay('2026-10-05')).toBe(false); // Monday inside National Day
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday worked for National Day
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday worked for National Day
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // an ordinary Sunday
    expect(calendar.isWorkingDay('2026-10-12')).toBe(true);
  });

  it('counts 7 working days across the National Day week, including the make-up Saturday', () => {
    // Wed 30 Sep: Oct 1-7 rest; Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13, Wed 14, Thu 15.
    expect(calendar.addWorkingDays('2026-09-30', 7)).toBe('2026-10-15');
  });

  it('counts 5 working days across the Spring Festival', () => {
    // Fri 13 Feb: Sat 14 is worked, 15-23 rest, then Tue 24 .. Fri 27.
    expect(calendar.addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
    expect(calendar.workingDaysBetween('2026-02-13', '2026-02-27')).toBe(5);
  });

  it('does not count the starting day and returns it unchanged for zero days', () => {
    expect(calendar.addWorkingDays('2026-03-02', 1)).toBe('2026-03-03');
    expect(calendar.addWorkingDays('2026-03-02', 0)).toBe('2026-03-02');
  });

  it('moves a rest day on to the next working day', () => {
    expect(calendar.onOrNextWorkingDay('2026-10-03')).toBe('2026-10-08');
    expect(calendar.onOrNextWorkingDay('2026-10-09')).toBe('2026-10-09');
  });

  it('refuses to count into a year it does not cover, and marks provisional years', () => {
    expect(() => calendar.addWorkingDays('2027-12-20', 15)).toThrow(CalendarCoverageError);
    expect(() => calendar.isWorkingDay('2028-01-03')).toThrow(/no entry for 2028/);
    expect(calendar.isProvisional('2027-03-01')).toBe(true);
    expect(calendar.isProvisional('2026-03-01')).toBe(false);
  });
});

describe('calendar config validation', () => {
  const base = (): CalendarConfig => ({
    name: 'test',
    reviewNotice: 'test',
    years: [{ year: 2026, status: 'official', source: 'test', holidays: [], makeUpWorkdays: [] }],
  });

  it('uses weekends alone when no holiday is listed', () => {
    const plain = createWorkingCalendar(base());
    expect(plain.addWorkingDays('2026-10-01', 3)).toBe('2026-10-06');
  });

  it('rejects a make-up working day that is not a weekend day', () => {
    const config = base();
    config.years[0]!.makeUpWorkdays.push({ date: '2026-10-12', for: '国庆节' });
    expect(() => createWorkingCalendar(config)).toThrow(/not a Saturday or Sunday/);
  });

  it('rejects a day that is both a holiday and a make-up working day', () => {
    const config = base();
    config.years[0]!.holidays.push({ name: 'x', from: '2026-10-10', to: '2026-10-11' });
    config.years[0]!.makeUpWorkdays.push({ date: '2026-10-10', for: 'x' });
    expect(() => createWorkingCalendar(config)).toThrow(CalendarConfigError);
  });

  it('names the bad field when the shape is wrong', () => {
    expect(() =>
      createWorkingCalendar({ ...base(), years: [{ year: 2026 }] } as unknown as CalendarConfig),
    ).toThrow(/calendar config \/years\/0/);
  });
});
