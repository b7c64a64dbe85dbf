import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

const settings = { initialDelayMs: 1000, maxDelayMs: 60_000 };

describe('backoffDelay', () => {
  it('doubles up to the maximum', () => {
    const highest = (attempt: number) => backoffDelay(attempt, settings, () => 1);
    expect([0, 1, 2, 3, 5, 6, 7, 50].map(highest)).toEqual([
      1000, 2000, 4000, 8000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });
  it('draws between half and all of the ceiling', () => {
    expect(backoffDelay(2, settings, () => 0)).toBe(2000);
    expect(backoffDelay(2, settings, () => 0.5)).toBe(3000);
  });
});
