import { describe, expect, it } from 'vitest';
import { GroupedCalls } from './grouped-calls.js';

/** A round trip the test finishes by hand: what each run was asked, and a way to answer it. */
function manualRun() {
  const runs: { inputs: number[]; answer: (outs: string[]) => void; fail: (e: Error) => void }[] = [];
  const run = (inputs: number[]) =>
    new Promise<string[]>((resolve, reject) => runs.push({ inputs, answer: resolve, fail: reject }));
  return { runs, run };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('GroupedCalls', () => {
  it('sends a lone call at once and the calls made meanwhile together in the next round trip', async () => {
    const { runs, run } = manualRun();
    const grouped = new GroupedCalls(run);
    const first = grouped.call(1);
    const rest = [2, 3, 4].map((n) => grouped.call(n));
    await tick();
    expect(runs.map((r) => r.inputs)).toEqual([[1]]);
    runs[0]!.answer(['one']);
    await tick();
    expect(runs.map((r) => r.inputs)).toEqual([[1], [2, 3, 4]]);
    runs[1]!.answer(['two', 'three', 'four']);
    // Each caller gets the answer to its own input.
    expect(await first).toBe('one');
    expect(await Promise.all(rest)).toEqual(['two', 'three', 'four']);
  });

  it('splits a crowd into round trips of at most maxBatch', async () => {
    const { runs, run } = manualRun();
    const grouped = new GroupedCalls(run, { maxBatch: 2 });
    const calls = [1, 2, 3, 4, 5, 6].map((n) => grouped.call(n));
    for (let i = 0; i < 4; i++) {
      await tick();
      runs[i]!.answer(runs[i]!.inputs.map(String));
    }
    expect(await Promise.all(calls)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(runs.map((r) => r.inputs)).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it('keeps up to inFlight round trips under way, the later calls grouped into the next to start', async () => {
    const { runs, run } = manualRun();
    const grouped = new GroupedCalls(run, { inFlight: 2 });
    const calls = [1, 2, 3, 4, 5].map((n) => grouped.call(n));
    await tick();
    expect(runs.map((r) => r.inputs)).toEqual([[1], [2]]);
    runs[1]!.answer(['2']);
    await tick();
    expect(runs.map((r) => r.inputs)).toEqual([[1], [2], [3, 4, 5]]);
    runs[2]!.answer(['3', '4', '5']);
    runs[0]!.answer(['1']);
    expect(await Promise.all(calls)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('fails only the calls of the round trip that failed, and goes on with the next', async () => {
    const { runs, run } = manualRun();
    const grouped = new GroupedCalls(run);
    const first = grouped.call(1);
    const second = grouped.call(2);
    await tick();
    runs[0]!.fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    runs[1]!.answer(['2']);
    expect(await second).toBe('2');
    // Idle again: the next call starts a round trip of its own.
    const third = grouped.call(3);
    await tick();
    runs[2]!.answer(['3']);
    expect(await third).toBe('3');
  });

  it('refuses a round trip that answers a different number of inputs rather than mismatch them', async () => {
    const grouped = new GroupedCalls(async (inputs: number[]) => inputs.slice(1).map(String));
    await expect(grouped.call(1)).rejects.toThrow('answered 0 of 1');
  });
});
