import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  formatChineseDate,
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

  it('writes dates the way documents do', () => {
    expect(formatChineseDate('2026-03-05')).toBe('2026年3月5日');
  });
});
