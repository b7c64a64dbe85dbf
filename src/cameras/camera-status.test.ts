import { describe, expect, it } from 'vitest';
import { cameraStatus } from './camera-status.js';

const now = new Date('2026-11-27T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe('cameraStatus', () => {
  it('is online while frames arrive on time', () => {
    expect(cameraStatus({ lastFrameAt: ago(6), lastErrorAt: null, sampleIntervalS: 5, now })).toBe('online');
  });
  it('goes stale, then offline, as samples are missed', () => {
    expect(cameraStatus({ lastFrameAt: ago(20), lastErrorAt: null, sampleIntervalS: 5, now })).toBe('stale');
    expect(cameraStatus({ lastFrameAt: ago(60), lastErrorAt: null, sampleIntervalS: 5, now })).toBe(
      'offline',
    );
    expect(cameraStatus({ lastFrameAt: null, lastErrorAt: null, sampleIntervalS: 5, now })).toBe('offline');
  });
  it('is failing when the last attempt after the last frame failed', () => {
    expect(cameraStatus({ lastFrameAt: ago(30), lastErrorAt: ago(3), sampleIntervalS: 5, now })).toBe(
      'failing',
    );
    expect(cameraStatus({ lastFrameAt: ago(2), lastErrorAt: ago(3), sampleIntervalS: 5, now })).toBe(
      'online',
    );
  });
});
