import { describe, expect, it } from 'vitest';
import { FrameSequencer } from './frame-sequencer.js';

const t0 = Date.parse('2024-05-01T08:00:00Z');
const at = (offsetMs: number) => new Date(t0 + offsetMs);

describe('FrameSequencer', () => {
  it('numbers frames per camera from 1', () => {
    const sequencer = new FrameSequencer();
    const host = (ms: number) => ({ proposedAt: at(ms), receivedAt: at(ms), clock: 'host' as const });
    expect(sequencer.next('cam-a', host(0)).seq).toBe(1);
    expect(sequencer.next('cam-a', host(1000)).seq).toBe(2);
    expect(sequencer.next('cam-b', host(1000)).seq).toBe(1);
    expect(sequencer.next('cam-a', host(2000))).toEqual({ seq: 3, capturedAt: at(2000), adjustment: 'none' });
  });

  it('uses a camera stamp that agrees with the receive time', () => {
    const sequencer = new FrameSequencer();
    const frame = sequencer.next('cam', { proposedAt: at(-1500), receivedAt: at(0), clock: 'camera' });
    expect(frame).toEqual({ seq: 1, capturedAt: at(-1500), adjustment: 'none' });
  });

  it('falls back to the receive time when the camera clock jumps back or ahead', () => {
    const sequencer = new FrameSequencer({ maxCameraLagMs: 10_000, maxCameraLeadMs: 2_000 });
    const back = sequencer.next('cam', { proposedAt: at(-3_600_000), receivedAt: at(0), clock: 'camera' });
    expect(back).toEqual({ seq: 1, capturedAt: at(0), adjustment: 'camera_clock_out_of_range' });
    const ahead = sequencer.next('cam', { proposedAt: at(60_000), receivedAt: at(1000), clock: 'camera' });
    expect(ahead).toEqual({ seq: 2, capturedAt: at(1000), adjustment: 'camera_clock_out_of_range' });
    const invalid = sequencer.next('cam', {
      proposedAt: new Date(Number.NaN),
      receivedAt: at(2000),
      clock: 'camera',
    });
    expect(invalid.capturedAt).toEqual(at(2000));
  });

  it('never lets capture times repeat or go back, even within the tolerated window', () => {
    const sequencer = new FrameSequencer();
    sequencer.next('cam', { proposedAt: at(5000), receivedAt: at(5000), clock: 'camera' });
    const earlier = sequencer.next('cam', { proposedAt: at(2000), receivedAt: at(6000), clock: 'camera' });
    expect(earlier).toEqual({ seq: 2, capturedAt: at(5001), adjustment: 'not_after_previous' });
    const same = sequencer.next('cam', { proposedAt: at(5001), receivedAt: at(5001), clock: 'host' });
    expect(same.capturedAt).toEqual(at(5002));
  });

  it('trusts a media timeline however far it is from the receive time', () => {
    const sequencer = new FrameSequencer();
    const replay = (i: number) => ({
      proposedAt: at(i * 1000),
      receivedAt: at(i * 20),
      clock: 'media' as const,
    });
    const times = [0, 1, 2, 3].map((i) => sequencer.next('demo', replay(i)).capturedAt.getTime() - t0);
    expect(times).toEqual([0, 1000, 2000, 3000]);
  });

  it('resumes after a restart without repeating numbers or times', () => {
    const sequencer = new FrameSequencer();
    sequencer.resume('cam', { lastSeq: 41, lastCapturedAt: at(10_000) });
    const frame = sequencer.next('cam', { proposedAt: at(9000), receivedAt: at(9000), clock: 'host' });
    expect(frame).toEqual({ seq: 42, capturedAt: at(10_001), adjustment: 'not_after_previous' });
    expect(sequencer.state('cam')).toEqual({ lastSeq: 42, lastCapturedAt: at(10_001) });
    expect(() => sequencer.resume('cam', { lastSeq: -1, lastCapturedAt: at(0) })).toThrow(
      /non-negative integer/,
    );
  });
});
