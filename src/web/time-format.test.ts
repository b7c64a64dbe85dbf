import { describe, expect, it } from 'vitest';
import { formatShanghai, formatShanghaiDate } from './time-format.js';

describe('formatShanghai', () => {
  it('shows Beijing time with the zone', () => {
    expect(formatShanghai(new Date('2026-11-27T21:50:05Z'))).toBe('2026-11-28 05:50:05 (UTC+8)');
    expect(formatShanghai('2026-11-27T21:50:05Z', false)).toBe('2026-11-28 05:50 (UTC+8)');
    expect(formatShanghai(null)).toBe('—');
  });
});

describe('formatShanghaiDate', () => {
  it('gives the Beijing day, not the UTC day, across midnight', () => {
    // 06:18 Beijing on the 2nd is 22:18 UTC on the 1st
    expect(formatShanghaiDate(new Date('2026-03-01T22:18:00Z'))).toBe('2026-03-02');
    expect(formatShanghaiDate('2026-03-01T15:59:59Z')).toBe('2026-03-01');
    expect(formatShanghaiDate('2026-03-01T16:00:00Z')).toBe('2026-03-02');
    expect(formatShanghaiDate(null)).toBe('—');
  });
});
