import { describe, expect, it } from 'vitest';
import { nonSiteCheck, type CameraWatch } from './non-site-check.js';

const start = new Date('2026-03-02T00:00:00Z');
const watch = (over: Partial<CameraWatch> = {}): CameraWatch => ({
  cameraId: 'c1',
  cameraName: '张杨路口',
  status: 'online',
  lastOutageAt: null,
  lastViolationAt: null,
  ...over,
});

describe('non-site check by a camera', () => {
  it('counts an online camera that saw no violation and had no outage in the period', () => {
    expect(nonSiteCheck([watch({ lastViolationAt: new Date('2026-03-01T10:00:00Z') })], start)?.checked).toBe(
      true,
    );
  });

  it('does not count an offline camera, an outage or a violation in the period', () => {
    expect(nonSiteCheck([watch({ status: 'stale' })], start)?.reason).toBe('offline');
    expect(nonSiteCheck([watch({ lastOutageAt: new Date('2026-03-03T00:00:00Z') })], start)?.reason).toBe(
      'outage',
    );
    expect(nonSiteCheck([watch({ lastViolationAt: new Date('2026-03-02T08:00:00Z') })], start)?.reason).toBe(
      'violation',
    );
  });

  it('takes a camera that checked before one that did not, and none without cameras', () => {
    const best = nonSiteCheck([watch({ cameraId: 'a', status: 'offline' }), watch({ cameraId: 'b' })], start);
    expect(best?.watch.cameraId).toBe('b');
    expect(nonSiteCheck([], start)).toBeNull();
  });
});
