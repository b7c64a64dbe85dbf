import { describe, expect, it } from 'vitest';
import type { Detection } from '../detect/detection.js';
import { DEFAULT_TRACKER_CONFIG } from '../zones/rules-config.schema.js';
import {
  applyFrame,
  createTrackerState,
  tracksSeenIn,
  type TrackerFrame,
  type TrackerState,
} from './tracker.js';

const T0 = Date.parse('2024-05-06T10:00:00+08:00');
const umbrella = (dx = 0, score = 0.8): Detection => ({
  label: 'umbrella',
  role: 'goods',
  score,
  box: { x1: 0.3 + dx, y1: 0.4, x2: 0.4 + dx, y2: 0.55 },
});
const person = (x: number): Detection => ({
  label: 'person',
  role: 'person',
  score: 0.9,
  box: { x1: x, y1: 0.35, x2: x + 0.05, y2: 0.6 },
});

function run(
  frames: Array<{ t: number; detections: Detection[] }>,
  start: TrackerState = createTrackerState(),
): TrackerState {
  return frames.reduce(
    (state, f, i) => applyFrame(state, { seq: i + 1, capturedAt: T0 + f.t * 1000, detections: f.detections }),
    start,
  );
}

describe('tracker', () => {
  it('keeps one id for an object that stays and marks it stationary after the stationary time', () => {
    const state = run([0, 5, 10, 15, 20, 25].map((t) => ({ t, detections: [umbrella(t * 0.0002)] })));
    expect(state.tracks).toHaveLength(1);
    const track = state.tracks[0]!;
    expect(track).toMatchObject({
      id: 't1',
      hits: 6,
      misses: 0,
      firstSeenSeq: 1,
      lastSeenSeq: 6,
      stationary: true,
    });
    expect(track.lastSeenAt - track.firstSeenAt).toBe(25_000);
    const early = run([0, 5, 10].map((t) => ({ t, detections: [umbrella()] })));
    expect(early.tracks[0]!.stationary).toBe(false);
  });

  it('keeps a stationary track through passers-by hiding it, and a person never takes it over', () => {
    const frames = [
      ...[0, 5, 10, 15, 20, 25].map((t) => ({ t, detections: [umbrella()] })),
      // A crowd walks in front: the umbrella is missed and a person stands right where it was.
      { t: 30, detections: [person(0.33)] },
      { t: 35, detections: [person(0.34)] },
      { t: 40, detections: [] },
      { t: 45, detections: [umbrella(0.004)] },
    ];
    const state = run(frames);
    const goods = state.tracks.filter((t) => t.role === 'goods');
    expect(goods).toHaveLength(1);
    expect(goods[0]).toMatchObject({ id: 't1', hits: 7, misses: 0, stationary: true });
    expect(state.tracks.find((t) => t.role === 'person')?.id).not.toBe('t1');
  });

  it('lets a moving object that vanishes expire quickly, but a stationary one only after its longer limit', () => {
    const walker = run([
      { t: 0, detections: [person(0.1)] },
      { t: 5, detections: [person(0.14)] },
      { t: 10, detections: [] },
      { t: 5 + DEFAULT_TRACKER_CONFIG.maxMissSecondsMoving + 1, detections: [] },
    ]);
    expect(walker.tracks).toHaveLength(0);

    const still = run([
      ...[0, 10, 20, 30].map((t) => ({ t, detections: [umbrella()] })),
      { t: 30 + DEFAULT_TRACKER_CONFIG.maxMissSecondsStationary - 5, detections: [] },
    ]);
    expect(still.tracks).toHaveLength(1);
    const gone = applyFrame(still, {
      seq: 99,
      capturedAt: T0 + (31 + DEFAULT_TRACKER_CONFIG.maxMissSecondsStationary) * 1000,
      detections: [],
    });
    expect(gone.tracks).toHaveLength(0);
  });

  it('follows a person walking in small steps and re-anchors it, so it is not stationary', () => {
    const state = run([0, 5, 10, 15, 20, 25, 30].map((t) => ({ t, detections: [person(0.1 + t * 0.004)] })));
    expect(state.tracks).toHaveLength(1);
    expect(state.tracks[0]!.stationary).toBe(false);
    expect(state.tracks[0]!.hits).toBe(7);
  });

  it('matches to continue as many tracks as it can, not greedily by the best single overlap', () => {
    const chair = (x1: number): Detection => ({
      label: 'chair',
      role: 'goods',
      score: 0.7,
      box: { x1, y1: 0.5, x2: x1 + 0.1, y2: 0.6 },
    });
    const first = run([{ t: 0, detections: [chair(0.2), chair(0.26)] }]);
    // Both chairs were pushed left. The best single pair is t1 with the detection at 0.22, but only giving that
    // detection to t2 lets t1 continue with the one at 0.14: greedy matching would break t2's track.
    const second = applyFrame(first, {
      seq: 2,
      capturedAt: T0 + 5000,
      detections: [chair(0.22), chair(0.14)],
    });
    expect(second.tracks).toHaveLength(2);
    const byId = Object.fromEntries(second.tracks.map((t) => [t.id, t.lastBox.x1]));
    expect(byId.t1).toBeCloseTo(0.14, 10);
    expect(byId.t2).toBeCloseTo(0.22, 10);
  });

  it('ignores late, duplicate and back-dated frames, returning the same state', () => {
    const state = run([0, 5].map((t) => ({ t, detections: [umbrella()] })));
    const late: TrackerFrame = { seq: 1, capturedAt: T0 + 7000, detections: [person(0.5)] };
    expect(applyFrame(state, late)).toBe(state);
    expect(applyFrame(state, { seq: 2, capturedAt: T0 + 7000, detections: [] })).toBe(state);
    expect(applyFrame(state, { seq: 3, capturedAt: T0 + 1000, detections: [] })).toBe(state);
    expect(applyFrame(state, { seq: 3, capturedAt: T0 + 10_000, detections: [] })).not.toBe(state);
  });

  it('round-trips through JSON and continues identically after a restart', () => {
    const firstHalf = [0, 5, 10].map((t) => ({ t, detections: [umbrella(), person(0.1 + t * 0.01)] }));
    const restored = JSON.parse(JSON.stringify(run(firstHalf))) as TrackerState;
    const next: TrackerFrame = { seq: 4, capturedAt: T0 + 30_000, detections: [umbrella(0.002)] };
    expect(applyFrame(restored, next)).toEqual(applyFrame(run(firstHalf), next));
    expect(restored.startedSeq).toBe(1);
  });

  it('keeps odd labels as plain data', () => {
    const odd = { ...umbrella(), label: '__proto__' };
    const state = run([
      { t: 0, detections: [odd] },
      { t: 5, detections: [odd] },
    ]);
    expect(state.tracks[0]!.label).toBe('__proto__');
    expect(Object.getPrototypeOf(state.tracks[0]!.labelVotes)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(state)).tracks[0].labelVotes.__proto__.weight).toBeCloseTo(1.6, 10);
  });

  it('drops low scores, keeps the most voted label and reports tracks seen in a frame', () => {
    const bench = { ...umbrella(), label: 'bench', score: 0.5 };
    const state = run([
      { t: 0, detections: [umbrella(0, 0.9), { ...person(0.8), score: 0.05 }] },
      { t: 5, detections: [bench] },
      { t: 10, detections: [umbrella(0, 0.9)] },
      { t: 15, detections: [] },
    ]);
    expect(state.tracks).toHaveLength(1);
    expect(state.tracks[0]!.label).toBe('umbrella');
    expect(tracksSeenIn(state, 3).map((t) => t.id)).toEqual(['t1']);
    expect(tracksSeenIn(state, 4)).toEqual([]);
  });
});
