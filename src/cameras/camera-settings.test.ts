import { describe, expect, it } from 'vitest';
import { cameraScheduleActive } from '../zones/schedule.js';
import { detectionFilterFaults, scheduleFaults } from './camera-settings.js';

const monday10 = Date.parse('2026-03-02T10:00:00+08:00');
const monday20 = Date.parse('2026-03-02T20:00:00+08:00');
const window = (start: string, end: string) => ({ days: [1], start, end });

describe('camera settings that would switch a camera or a filter off', () => {
  it('refuses a window that opens and closes at once, and "not always" with no window', () => {
    expect(scheduleFaults({ windows: [window('08:00', '08:00')] })).toHaveLength(1);
    expect(scheduleFaults({ windows: [window('24:00', '24:00')] })).toHaveLength(1);
    expect(scheduleFaults({ always: false })).toHaveLength(1);
    expect(scheduleFaults({ always: false, windows: [] })).toHaveLength(1);
    expect(scheduleFaults({ always: true, windows: [window('08:00', '18:00')] })).toHaveLength(1);
    expect(scheduleFaults({ always: true })).toEqual([]);
    expect(scheduleFaults({ always: false, windows: [window('22:00', '02:00')] })).toEqual([]);
    expect(scheduleFaults(undefined)).toEqual([]);
  });

  it('refuses filters no detection can pass', () => {
    expect(detectionFilterFaults({ minArea: 0.5, maxArea: 0.1 })).toHaveLength(1);
    expect(detectionFilterFaults({ minArea: 0.2, maxArea: 0.2 })).toHaveLength(1);
    expect(detectionFilterFaults({ maxArea: 0 })).toHaveLength(1);
    expect(detectionFilterFaults({ minArea: 1 })).toHaveLength(1);
    expect(detectionFilterFaults({ minScore: 1 })).toHaveLength(1);
    expect(detectionFilterFaults({ minScoreByLabel: { umbrella: 1, chair: 0.4 } })).toHaveLength(1);
    expect(detectionFilterFaults({ minScore: 0.3, minArea: 0.001, maxArea: 0.5 })).toEqual([]);
  });

  it('samples a camera with "always: false" and windows within its windows, not never', () => {
    const schedule = { always: false, windows: [window('08:00', '18:00')] };
    expect(cameraScheduleActive(schedule, monday10)).toBe(true);
    expect(cameraScheduleActive(schedule, monday20)).toBe(false);
    expect(cameraScheduleActive({ always: true }, monday20)).toBe(true);
    expect(cameraScheduleActive(undefined, monday20)).toBe(true);
  });
});
