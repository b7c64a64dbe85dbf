import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  formatChineseDate,
  shanghaiDateByZone,
  shanghaiDateOf,
  toDayNumber,
  weekdayOf,
} from './local-date.js';

describe('local dates', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-25', 10)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-04-01')).toBe(90);
  });

  it('rejects dates that do not exist or are badly written', () => {
    expect(() => toDayNumber('2026-02-30')).toThrow(/does not exist/);
    expect(() => toDayNumber('2026-2-3')).toThrow(/YYYY-MM-DD/);
  });

  it('knows the weekday', () => {
    expect(weekdayOf('2026-10-01')).toBe(4);
    expect(weekdayOf('2026-02-14')).toBe(6);
  });

  it('takes the Shanghai calendar date of an instant, not the UTC one', () => {
    // 16:30 UTC is already half past midnight the next day in Shanghai.
    expect(shanghaiDateOf(new Date('2026-05-31T16:30:00Z'))).toBe('2026-06-01');
    expect(shanghaiDateOf(new Date('2026-05-31T15:59:59Z'))).toBe('2026-05-31');
  });

  it('gives the date the time-zone database gives for every instant, summer time of 1986-1991 included', () => {
    // Midnight in Shanghai and a millisecond either side, on every day of two years around the last summer time
    // and of a year now, and instants spread over the next two centuries.
    const instants: number[] = [];
    for (const year of [1990, 1991, 1992, 2026])
      for (let day = 0; day < 366; day++) {
        const midnight = Date.UTC(year, 0, 1 + day) - 8 * 3_600_000;
        instants.push(midnight - 3_600_001, midnight - 1, midnight, midnight + 1, midnight + 3_600_000);
      }
    for (let i = 0; i < 2_000; i++) instants.push(Date.UTC(1992, 0, 1) + i * 3_155_760_000 + i * 7_919_000);
    for (const t of instants) expect(shanghaiDateOf(new Date(t))).toBe(shanghaiDateByZone(new Date(t)));
    // 1988-07-01 23:30 UTC+8 was already 00:30 the next day on the summer-time clock.
    expect(shanghaiDateOf(new Date('1988-07-01T15:30:00Z'))).toBe('1988-07-02');
    expect(shanghaiDateOf(new Date('2188-07-01T15:30:00Z'))).toBe('2188-07-01');
  });

  it('writes dates the way documents do', () => {
    expect(formatChineseDate('2026-03-05')).toBe('2026年3月5日');
  });
});
