import { describe, expect, it } from 'vitest';
import { KeptNoticeViews } from './kept-notice-views.js';

const notice = (id: string, caseId: string | null = null) => ({ id, case_id: caseId });

/** A clock the test moves, and a build that counts its calls. */
function setup(keepMs = 1_000, max = 100) {
  let now = 0;
  const clock = { advance: (ms: number) => (now += ms) };
  const kept = new KeptNoticeViews<{ built: number }>(keepMs, max, () => now);
  let built = 0;
  const build = () => Promise.resolve({ built: ++built });
  return { kept, clock, build, builds: () => built };
}

describe('KeptNoticeViews', () => {
  it('builds a notice once for everyone asking within keepMs, and again after it', async () => {
    const { kept, clock, build, builds } = setup();
    const together = await Promise.all([1, 2, 3].map(() => kept.get(notice('n1'), '2026-12-07', build)));
    expect(builds()).toBe(1);
    expect(new Set(together).size).toBe(1);
    clock.advance(999);
    expect(await kept.get(notice('n1'), '2026-12-07', build)).toBe(together[0]);
    clock.advance(1);
    expect((await kept.get(notice('n1'), '2026-12-07', build)).built).toBe(2);
  });

  it('builds again on a new day even within keepMs', async () => {
    const { kept, build, builds } = setup();
    await kept.get(notice('n1'), '2026-12-07', build);
    expect((await kept.get(notice('n1'), '2026-12-08', build)).built).toBe(2);
    expect(builds()).toBe(2);
  });

  it('keeps no failed build', async () => {
    const { kept, build } = setup();
    await expect(kept.get(notice('n1'), 'd', () => Promise.reject(new Error('gone')))).rejects.toThrow();
    expect((await kept.get(notice('n1'), 'd', build)).built).toBe(1);
  });

  it('forgets a notice and every notice of its case, and no other', async () => {
    const { kept, build, builds } = setup();
    await kept.get(notice('a1', 'case-a'), 'd', build);
    await kept.get(notice('a2', 'case-a'), 'd', build);
    await kept.get(notice('b1', 'case-b'), 'd', build);
    await kept.get(notice('w1'), 'd', build);
    kept.forget(notice('a1', 'case-a'));
    expect(kept.size).toBe(2);
    await kept.get(notice('b1', 'case-b'), 'd', build);
    await kept.get(notice('w1'), 'd', build);
    expect(builds()).toBe(4);
    kept.forget(notice('w1'));
    expect(kept.size).toBe(1);
  });

  it('holds at most max notices, letting the oldest go first', async () => {
    const { kept, build, builds } = setup(1_000, 8);
    for (let i = 0; i < 8; i++) await kept.get(notice(`n${i}`), 'd', build);
    await kept.get(notice('n8'), 'd', build);
    expect(kept.size).toBe(7);
    await kept.get(notice('n7'), 'd', build);
    expect(builds()).toBe(9);
    await kept.get(notice('n0'), 'd', build);
    expect(builds()).toBe(10);
  });
});
