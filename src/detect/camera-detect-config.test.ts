import { describe, expect, it } from 'vitest';
import { noStallZone, rectangle } from '../rules/scene.fixtures.js';
import type { Zone } from '../zones/zone.schema.js';
import { cameraDetectConfig } from './camera-detect-config.js';

const square = (x: number, y: number, s: number) => rectangle(x, y, x + s, y + s);
const zone = (over: Partial<Zone>): Zone =>
  noStallZone({ id: 'z', name: 'z', points: square(0.1, 0.1, 0.2), ...over });

describe('cameraDetectConfig', () => {
  it('crops watched zones, masks ignore zones, and keeps zone score overrides', () => {
    const c = cameraDetectConfig(
      [
        zone({ id: 'a', minScore: 0.5 }),
        zone({ id: 'b', kind: 'ignore', points: square(0.6, 0.6, 0.1) }),
        zone({ id: 'c', enabled: false }),
      ],
      { minArea: 0.0005 },
      Date.UTC(2026, 10, 27, 4),
    );
    expect(c.crops).toEqual([{ x1: 0.1, y1: 0.1, x2: expect.closeTo(0.3), y2: expect.closeTo(0.3) }]);
    expect(c.filter.ignoreMasks).toHaveLength(1);
    expect(c.filter.minScore).toBe(0.25);
    expect(c.zoneFilters).toHaveLength(1);
    expect(c.zoneFilters[0]!.filter.minScore).toBe(0.5);
  });

  it('leaves out zones outside their schedule', () => {
    const nightOnly = zone({ schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '06:00' }] });
    // 12:00 in Shanghai
    expect(cameraDetectConfig([nightOnly], {}, Date.UTC(2026, 10, 27, 4)).crops).toEqual([]);
  });
});
