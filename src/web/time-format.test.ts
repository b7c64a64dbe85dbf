import { describe, expect, it } from 'vitest';
import { formatShanghai } from './time-format.js';

describe('formatShanghai', () => {
  it('shows Beijing time with the zone', () => {
    expect(formatShanghai(new Date('2026-11-27T21:50:05Z'))).toBe('2026-11-28 05:50:05 (UTC+8)');
    expect(formatShanghai('2026-11-27T21:50:05Z', false)).toBe('2026-11-28 05:50 (UTC+8)');
    expect(formatShanghai(null)).toBe('—');
  });
});
