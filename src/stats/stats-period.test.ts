import { describe, expect, it } from 'vitest';
import {
  formatDays,
  formatRate,
  monthPeriod,
  parsePeriod,
  periodBounds,
  periodDays,
  previousMonth,
  rate,
} from './stats-period.js';

describe('statistics period', () => {
  it('defaults to the last 30 days up to today', () => {
    expect(parsePeriod(undefined, undefined, '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(parsePeriod('', '2026-01-10', '2026-03-31')).toEqual({ from: '2025-12-12', to: '2026-01-10' });
  });

  it('takes a one-day period and a whole leap year', () => {
    expect(parsePeriod('2026-03-05', '2026-03-05', '2026-03-31')).toEqual({
      from: '2026-03-05',
      to: '2026-03-05',
    });
    expect(parsePeriod('2024-01-01', '2024-12-31', '2026-03-31').to).toBe('2024-12-31');
  });

  it('refuses reversed, unbounded and malformed periods', () => {
    expect(() => parsePeriod('2026-03-06', '2026-03-05', '2026-03-31')).toThrow(/reversed/);
    expect(() => parsePeriod('2025-01-01', '2026-01-02', '2026-03-31')).toThrow(/at most 366/);
    expect(() => parsePeriod('2026-02-30', '2026-03-05', '2026-03-31')).toThrow(/from/);
    expect(() => parsePeriod('yesterday', undefined, '2026-03-31')).toThrow(/from/);
    expect(() => parsePeriod(undefined, '2026-13-01', '2026-03-31')).toThrow(/to/);
  });

  it('bounds a period by Beijing midnights', () => {
    const { start, end } = periodBounds({ from: '2026-03-01', to: '2026-03-31' });
    expect(start.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });

  it('lists the days of a period', () => {
    expect(periodDays({ from: '2026-02-27', to: '2026-03-02' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });

  it('finds months', () => {
    expect(previousMonth('2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(previousMonth('2026-01-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(monthPeriod('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthPeriod('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(() => monthPeriod('2026-13')).toThrow();
  });

  it('computes and formats rates and durations', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(formatRate(0.71357)).toBe('71.4 %');
    expect(formatRate(null)).toBe('—');
    expect(formatDays(86_400 * 1.25)).toBe('1.3');
    expect(formatDays(null)).toBe('—');
  });
});
