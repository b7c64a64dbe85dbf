import { describe, expect, it } from 'vitest';
import { BatchQueue } from './batch-queue.js';

describe('BatchQueue', () => {
  it('runs one item at a time in arrival order when the batch is 1', async () => {
    const seen: number[][] = [];
    const q = new BatchQueue<number, number>(async (items) => {
      seen.push(items);
      return items.map((i) => i * 10);
    }, 1);
    expect(await Promise.all([q.push(1), q.push(2), q.push(3)])).toEqual([10, 20, 30]);
    expect(seen).toEqual([[1], [2], [3]]);
  });

  it('puts items that arrive together, or wait behind a running batch, into one batch', async () => {
    const seen: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new BatchQueue<number, string>(async (items) => {
      seen.push(items);
      if (seen.length === 1) await gate;
      return items.map(String);
    }, 3);
    const first = [q.push(1), q.push(2)];
    await Promise.resolve();
    const later = [q.push(3), q.push(4), q.push(5), q.push(6)];
    release();
    expect(await Promise.all([...first, ...later])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(seen).toEqual([[1, 2], [3, 4, 5], [6]]);
    expect(q.batchCount).toBe(3);
  });

  it('fails only the items of a failed batch and goes on with the rest', async () => {
    const q = new BatchQueue<number, number>(async ([n]) => {
      if (n === 2) throw new Error('bad input 2');
      return [n!];
    }, 1);
    const results = await Promise.allSettled([q.push(1), q.push(2), q.push(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('bad input 2');
    expect(await q.push(4)).toBe(4);
  });

  it('keeps up to maxRunning batches under way and batches what waits behind them', async () => {
    const started: number[][] = [];
    const gates: (() => void)[] = [];
    const q = new BatchQueue<number, number>(
      async (items) => {
        started.push(items);
        await new Promise<void>((r) => gates.push(r));
        return items;
      },
      4,
      2,
    );
    const first = q.push(1);
    await Promise.resolve();
    const second = q.push(2);
    await new Promise((r) => setImmediate(r));
    // Two batches under way, neither finished: the next items wait for a free slot and go together.
    expect(started).toEqual([[1], [2]]);
    const rest = [q.push(3), q.push(4), q.push(5)];
    await new Promise((r) => setImmediate(r));
    expect(started).toHaveLength(2);
    gates[1]!();
    expect(await second).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([[1], [2], [3, 4, 5]]);
    gates[0]!();
    gates[2]!();
    expect(await Promise.all([first, ...rest])).toEqual([1, 3, 4, 5]);
    expect(q.batchCount).toBe(3);
  });

  it('refuses a batch size or a number of running batches below 1', () => {
    expect(() => new BatchQueue(async () => [], 0)).toThrow(/at least 1/);
    expect(() => new BatchQueue(async () => [], 1, 0)).toThrow(/maxRunning must be/);
  });
});
