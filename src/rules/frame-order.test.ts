import { describe, expect, it } from 'vitest';
import { planFrames, type PendingFrame } from './frame-order.js';

const NOW = 1_000_000;
const options = { now: NOW, gapTimeoutMs: 60_000 };

function frame(seq: number, over: Partial<PendingFrame> = {}): PendingFrame {
  return { frameId: 100 + seq, seq, status: 'detected', ready: true, createdAt: NOW - 1_000, ...over };
}

describe('planFrames', () => {
  it('applies ready frames in sequence order and reports the new last seq', () => {
    const plan = planFrames(4, [frame(5), frame(6), frame(7)], options);
    expect(plan.steps).toEqual([
      { kind: 'apply', frameId: 105, seq: 5 },
      { kind: 'apply', frameId: 106, seq: 6 },
      { kind: 'apply', frameId: 107, seq: 7 },
    ]);
    expect(plan.lastSeq).toBe(7);
    expect(plan.waitingFor).toBeNull();
  });

  it('stops at a frame still being detected and says when to look again if ready frames wait behind it', () => {
    const plan = planFrames(
      4,
      [frame(5), frame(6, { status: 'queued', ready: false, createdAt: NOW - 20_000 }), frame(7)],
      options,
    );
    expect(plan.steps).toEqual([{ kind: 'apply', frameId: 105, seq: 5 }]);
    expect(plan.lastSeq).toBe(5);
    expect(plan.waitingFor).toEqual({ seq: 6, retryInMs: 40_000 });
  });

  it('does not ask for a retry when nothing ready waits behind the frame in detection', () => {
    const plan = planFrames(4, [frame(5, { status: 'queued', ready: false })], options);
    expect(plan.steps).toEqual([]);
    expect(plan.lastSeq).toBe(4);
    expect(plan.waitingFor).toBeNull();
  });

  it('passes over dropped and failed frames at once, and a frame waiting past the timeout as lost', () => {
    const plan = planFrames(
      0,
      [
        frame(1, { status: 'dropped', ready: false }),
        frame(2, { status: 'failed', ready: false }),
        frame(3, { status: 'queued', ready: false, createdAt: NOW - 61_000 }),
        frame(4),
      ],
      options,
    );
    expect(plan.steps).toEqual([
      { kind: 'skip', seq: 1, reason: 'dropped' },
      { kind: 'skip', seq: 2, reason: 'failed' },
      { kind: 'skip', seq: 3, reason: 'lost' },
      { kind: 'apply', frameId: 104, seq: 4 },
    ]);
    expect(plan.lastSeq).toBe(4);
  });

  it('applies a frame whose detections are stored even if its status was not updated', () => {
    const plan = planFrames(0, [frame(1, { status: 'queued', ready: true })], options);
    expect(plan.steps).toEqual([{ kind: 'apply', frameId: 101, seq: 1 }]);
  });

  it('waits for missing sequence numbers while they are young and passes over them once old', () => {
    const young = planFrames(2, [frame(5, { createdAt: NOW - 5_000 })], options);
    expect(young.steps).toEqual([]);
    expect(young.waitingFor).toEqual({ seq: 3, retryInMs: 55_000 });

    const old = planFrames(2, [frame(5, { createdAt: NOW - 90_000 })], options);
    expect(old.steps).toEqual([
      { kind: 'skip-missing', fromSeq: 3, seq: 4 },
      { kind: 'apply', frameId: 105, seq: 5 },
    ]);
    expect(old.lastSeq).toBe(5);
  });

  it('refuses frames out of order or already handled', () => {
    expect(() => planFrames(5, [frame(5)], options)).toThrow(/after seq 5/);
    expect(() => planFrames(0, [frame(2), frame(1)], { ...options, gapTimeoutMs: 0 })).toThrow(
      /ascending order; got seq 1/,
    );
  });
});
