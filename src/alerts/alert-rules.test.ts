import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS as T } from '../config/alerts.js';
import {
  cameraOffline,
  decide,
  detectorFailing,
  falsePositiveRate,
  queueStalled,
  reviewBacklog,
} from './alert-rules.js';
import { captureVolume, median, medianAbsoluteDeviation, robustZ } from './capture-volume.js';

const now = new Date('2026-12-01T08:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe('decide', () => {
  it('raises only when none is unresolved, resolves only an unresolved one, keeps it otherwise', () => {
    expect(decide(false, { raise: true, clear: false })).toBe('raise');
    expect(decide(false, { raise: false, clear: true })).toBe('none');
    expect(decide(false, { raise: false, clear: false })).toBe('none');
    expect(decide(true, { raise: true, clear: false })).toBe('keep');
    expect(decide(true, { raise: false, clear: false })).toBe('keep');
    expect(decide(true, { raise: false, clear: true })).toBe('resolve');
  });
});

describe('camera_offline', () => {
  const base = { createdAt: ago(86_400), scheduled: true, now };
  it('raises once the camera has been offline or failing past the threshold', () => {
    const v = cameraOffline({ ...base, status: 'offline', lastFrameAt: ago(T.cameraOfflineS + 1) }, T);
    expect(v.raise).toBe(true);
    expect(v.clear).toBe(false);
    expect(v.detail.downS).toBe(T.cameraOfflineS + 1);
    expect(cameraOffline({ ...base, status: 'failing', lastFrameAt: ago(T.cameraOfflineS) }, T).raise).toBe(
      true,
    );
  });
  it('does not raise before the threshold, nor outside the schedule', () => {
    expect(cameraOffline({ ...base, status: 'offline', lastFrameAt: ago(60) }, T).raise).toBe(false);
    const night = cameraOffline({ ...base, scheduled: false, status: 'offline', lastFrameAt: ago(9e4) }, T);
    expect(night).toMatchObject({ raise: false, clear: false });
  });
  it('counts a camera that never sent a frame from its registration, critical after the longer limit', () => {
    const v = cameraOffline({ ...base, status: 'offline', lastFrameAt: null }, T);
    expect(v).toMatchObject({ raise: true, severity: 'critical' });
  });
  it('clears when the camera is online again; stale keeps the alert', () => {
    expect(cameraOffline({ ...base, status: 'online', lastFrameAt: ago(1) }, T).clear).toBe(true);
    expect(cameraOffline({ ...base, status: 'stale', lastFrameAt: ago(20) }, T)).toMatchObject({
      raise: false,
      clear: false,
    });
  });
});

describe('capture_volume (robust z-score)', () => {
  it('median and MAD', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(medianAbsoluteDeviation([1, 2, 3, 4, 100])).toBe(1);
    expect(robustZ(10, [5, 5, 5, 5])).toMatchObject({ median: 5, mad: 0, scale: 1, z: 5 });
  });
  it('one unusual week does not move the baseline', () => {
    const s = robustZ(30, [10, 11, 9, 10, 200, 10, 12, 9]);
    expect(s.median).toBe(10);
    expect(s.z).toBeGreaterThan(T.volumeZ);
  });
  it('raises a surge with enough captures, and a collapse from a busy median', () => {
    const baseline = [10, 12, 9, 11, 10, 10, 13, 8];
    expect(captureVolume({ current: 40, baseline }, T)).toMatchObject({ raise: true, clear: false });
    expect(captureVolume({ current: 40, baseline }, T).detail.direction).toBe('up');
    expect(captureVolume({ current: 0, baseline }, T)).toMatchObject({ raise: true });
    expect(captureVolume({ current: 11, baseline }, T)).toMatchObject({ raise: false, clear: true });
  });
  it('never raises on a handful of captures, however quiet the baseline', () => {
    expect(captureVolume({ current: 4, baseline: [0, 0, 0, 0, 0] }, T).raise).toBe(false);
    expect(captureVolume({ current: 0, baseline: [1, 2, 1, 1] }, T).raise).toBe(false);
  });
  it('keeps between the resolve and raise thresholds (hysteresis)', () => {
    const v = captureVolume({ current: 13, baseline: [10, 10, 10, 10] }, T);
    expect(v).toMatchObject({ raise: false, clear: false });
  });
  it('a baseline shorter than the minimum neither raises nor clears', () => {
    expect(captureVolume({ current: 500, baseline: [1, 1, 1] }, T)).toMatchObject({
      raise: false,
      clear: false,
    });
  });
});

describe('false_positive_rate', () => {
  it('needs the minimum count, raises at the threshold, clears under the resolve rate', () => {
    expect(falsePositiveRate({ reviewed: 10, rejected: 10 }, T).raise).toBe(false);
    expect(falsePositiveRate({ reviewed: 20, rejected: 8 }, T)).toMatchObject({ raise: true, clear: false });
    expect(falsePositiveRate({ reviewed: 20, rejected: 7 }, T)).toMatchObject({ raise: false, clear: false });
    expect(falsePositiveRate({ reviewed: 20, rejected: 5 }, T)).toMatchObject({ raise: false, clear: true });
  });
});

describe('review_backlog', () => {
  it('raises while any task waits past the limit', () => {
    expect(reviewBacklog({ overdue: 2, oldestAt: ago(25 * 3600), now }, T)).toMatchObject({
      raise: true,
      severity: 'warning',
    });
    expect(reviewBacklog({ overdue: 2, oldestAt: ago(49 * 3600), now }, T).severity).toBe('critical');
    expect(reviewBacklog({ overdue: 0, oldestAt: ago(3600), now }, T)).toMatchObject({ clear: true });
  });
});

describe('queue_stalled', () => {
  const t = { queueStallS: 600 };
  it('raises when jobs wait past the limit and nothing completed in as long', () => {
    expect(
      queueStalled({ waiting: 3, oldestWaitingAt: ago(700), lastCompletedAt: ago(900), now }, t).raise,
    ).toBe(true);
    expect(queueStalled({ waiting: 3, oldestWaitingAt: ago(700), lastCompletedAt: null, now }, t).raise).toBe(
      true,
    );
  });
  it('does not raise on fresh jobs after an idle spell, nor while jobs complete', () => {
    expect(
      queueStalled({ waiting: 3, oldestWaitingAt: ago(10), lastCompletedAt: ago(9000), now }, t).raise,
    ).toBe(false);
    const busy = queueStalled({ waiting: 30, oldestWaitingAt: ago(900), lastCompletedAt: ago(5), now }, t);
    expect(busy).toMatchObject({ raise: false, clear: true });
  });
  it('clears when nothing waits', () => {
    expect(queueStalled({ waiting: 0, oldestWaitingAt: null, lastCompletedAt: null, now }, t).clear).toBe(
      true,
    );
  });
});

describe('detector_failing', () => {
  it('raises on a failure rate past the threshold with enough jobs', () => {
    const v = detectorFailing({ failed: 6, completed: 4, detections: 4, framesWaiting: 0 }, T);
    expect(v).toMatchObject({ raise: true, clear: false });
    expect(detectorFailing({ failed: 3, completed: 0, detections: 0, framesWaiting: 0 }, T).raise).toBe(
      false,
    );
  });
  it('raises when frames wait and no detection is stored', () => {
    expect(detectorFailing({ failed: 0, completed: 0, detections: 0, framesWaiting: 2 }, T).raise).toBe(true);
  });
  it('clears when detections come again', () => {
    expect(detectorFailing({ failed: 1, completed: 50, detections: 50, framesWaiting: 1 }, T).clear).toBe(
      true,
    );
  });
});
