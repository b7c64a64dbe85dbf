import { describe, expect, it } from 'vitest';
import {
  backlogAgeMs,
  backlogLevel,
  beijingDayStart,
  compare,
  dayWindows,
  formatCount,
  formatDelta,
  formatFenDelta,
} from './screen-figures.js';

describe('the Beijing day', () => {
  it('starts at 00:00 Beijing time, which is 16:00 UTC the day before', () => {
    expect(beijingDayStart(new Date('2026-03-05T10:00:00Z')).toISOString()).toBe('2026-03-04T16:00:00.000Z');
    // 23:30 UTC is 07:30 the next morning in Beijing
    expect(beijingDayStart(new Date('2026-03-05T23:30:00Z')).toISOString()).toBe('2026-03-05T16:00:00.000Z');
    // exactly midnight in Beijing is the start of that day
    expect(beijingDayStart(new Date('2026-03-05T16:00:00Z')).toISOString()).toBe('2026-03-05T16:00:00.000Z');
  });

  it('compares today so far with yesterday up to the same time of day', () => {
    const w = dayWindows(new Date('2026-03-05T02:15:00Z')); // 10:15 in Beijing
    expect(w.todayStart.toISOString()).toBe('2026-03-04T16:00:00.000Z');
    expect(w.yesterdayStart.toISOString()).toBe('2026-03-03T16:00:00.000Z');
    expect(w.yesterdayNow.toISOString()).toBe('2026-03-04T02:15:00.000Z');
  });
});

describe('a figure against yesterday', () => {
  it('gives the change, its direction and its share of yesterday', () => {
    expect(compare(12, 10)).toEqual({ today: 12, yesterday: 10, delta: 2, trend: 'up', percent: 20 });
    expect(compare(5, 10)).toMatchObject({ delta: -5, trend: 'down', percent: -50 });
    expect(compare(3, 3)).toMatchObject({ delta: 0, trend: 'same', percent: 0 });
  });

  it('has no percentage when yesterday had nothing', () => {
    expect(compare(4, 0)).toMatchObject({ delta: 4, trend: 'up', percent: null });
    expect(compare(0, 0)).toMatchObject({ trend: 'same', percent: null });
  });

  it('writes counts and changes for a wall', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
    expect(formatDelta(compare(1500, 1000))).toBe('+500 (+50%)');
    expect(formatDelta(compare(1, 3))).toBe('-2 (-67%)');
    expect(formatDelta(compare(2, 0))).toBe('+2');
    expect(formatDelta(compare(0, 0))).toBe('±0');
  });

  it('writes money changes in 元', () => {
    expect(formatFenDelta(compare(70_000, 20_000))).toBe('+500元 (+250%)');
    expect(formatFenDelta(compare(0, 5_050))).toBe('-50.50元 (-100%)');
  });
});

describe('the review backlog', () => {
  const now = new Date('2026-03-05T02:00:00Z');

  it('is as old as its oldest task, in whole minutes', () => {
    expect(backlogAgeMs(new Date('2026-03-05T01:28:30Z'), now)).toBe(31 * 60_000);
    expect(backlogAgeMs(null, now)).toBeNull();
    expect(backlogAgeMs(new Date('2026-03-05T02:05:00Z'), now)).toBe(0);
  });

  it('is coloured by its age', () => {
    expect(backlogLevel(null)).toBe('ok');
    expect(backlogLevel(59 * 60_000)).toBe('ok');
    expect(backlogLevel(2 * 3_600_000)).toBe('warn');
    expect(backlogLevel(25 * 3_600_000)).toBe('late');
  });
});
