import { describe, expect, it } from 'vitest';
import { SealCheckCache } from './seal-check-cache.js';

describe('seal check cache', () => {
  it('reuses an answer within its time, checks again after it, and keeps keys and seals apart', async () => {
    let clock = 0;
    const cache = new SealCheckCache(1_000, 10, () => clock);
    let checks = 0;
    const verify = (answer: boolean) => async () => {
      checks += 1;
      return answer;
    };
    expect(await cache.check('doc-1', 'sig-a', verify(true))).toBe(true);
    expect(await cache.check('doc-1', 'sig-a', verify(false))).toBe(true);
    expect(checks).toBe(1);
    expect(await cache.check('doc-1', 'sig-b', verify(false))).toBe(false);
    expect(await cache.check('doc-2', 'sig-a', verify(false))).toBe(false);
    expect(checks).toBe(3);
    clock = 1_000;
    // the document was tampered with: seen once the answer's time is over
    expect(await cache.check('doc-1', 'sig-a', verify(false))).toBe(false);
    expect(checks).toBe(4);
  });

  it('holds at most its bound, dropping the oldest first', async () => {
    const cache = new SealCheckCache(60_000, 2, () => 0);
    let checks = 0;
    const verify = async () => {
      checks += 1;
      return true;
    };
    await cache.check('a', 's', verify);
    await cache.check('b', 's', verify);
    await cache.check('c', 's', verify);
    expect(checks).toBe(3);
    await cache.check('c', 's', verify);
    await cache.check('b', 's', verify);
    expect(checks).toBe(3);
    await cache.check('a', 's', verify);
    expect(checks).toBe(4);
  });
});
