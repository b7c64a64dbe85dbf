import { describe, expect, it } from 'vitest';
import { frontLine, noStallZone, rectangle, shopFrontZone } from '../rules/scene.fixtures.js';
import { DEFAULT_RULES_CONFIG, rulesConfigWith } from './rules-config.schema.js';
import { isScheduleActive, localTime, parseTimeOfDay } from './schedule.js';
import { zoneSettings, zoneWatches } from './zone-settings.js';
import {
  assertValidZones,
  validateRulesConfig,
  validateZone,
  validateZones,
  ZoneValidationError,
} from './zone-validation.js';

const marketGate = noStallZone({ id: 'market-gate', points: rectangle(0.1, 0.5, 0.5, 0.9) });

const shopFront = shopFrontZone('party-12', {
  id: 'shop-12',
  name: 'No. 12 fruit shop',
  points: marketGate.points,
  frontLine: frontLine(0.55, 0.1, 0.5, 'party-12'),
});

/** Shanghai local time to epoch ms; the city has kept UTC+8 without daylight saving since 1991. */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('zone validation', () => {
  it('accepts well-formed zones', () => {
    expect(validateZones([marketGate, shopFront])).toEqual([]);
    expect(assertValidZones([marketGate])).toHaveLength(1);
  });

  it('names the zone and the crossing edges of a self-intersecting polygon', () => {
    const points = [
      { x: 0.1, y: 0.1 },
      { x: 0.4, y: 0.1 },
      { x: 0.4, y: 0.4 },
      { x: 0.3, y: 0.4 },
      { x: 0.3, y: 0.05 },
      { x: 0.1, y: 0.4 },
    ];
    const faults = validateZone({ ...marketGate, points });
    // The notch drawn up through the top edge: both of its sides cross edge 1.
    expect(faults.map((f) => f.message)).toEqual([
      "zone 'Market gate': the polygon: edges 1 and 4 cross",
      "zone 'Market gate': the polygon: edges 1 and 5 cross",
    ]);
    expect(faults[0]!.zone).toBe('market-gate');
  });

  it('rejects too few points, too many points, points outside the frame and repeated points', () => {
    const few = validateZone({ ...marketGate, points: marketGate.points.slice(0, 2) });
    expect(few[0]!.message).toBe("zone 'Market gate': the polygon has 2 points, fewer than the 3 needed");

    const circle = Array.from({ length: 80 }, (_, i) => ({
      x: 0.5 + 0.3 * Math.cos(i / 12.7),
      y: 0.5 + 0.3 * Math.sin(i / 12.7),
    }));
    expect(validateZone({ ...marketGate, points: circle })[0]!.message).toMatch(
      /has 80 points, more than the 64 allowed/,
    );

    const outside = validateZone({
      ...marketGate,
      points: [...marketGate.points.slice(0, 3), { x: 1.2, y: 0.9 }],
    });
    expect(outside.map((f) => f.message)).toEqual([
      "zone 'Market gate': the polygon: point 4 (1.2, 0.9) is outside the frame (0..1)",
    ]);

    const repeated = [
      marketGate.points[0]!,
      marketGate.points[1]!,
      marketGate.points[1]!,
      marketGate.points[2]!,
    ];
    expect(validateZone({ ...marketGate, points: repeated })[0]!.message).toMatch(
      /points 2 and 3 are the same/,
    );
  });

  it('rejects a degenerate sliver and a polygon folding back on itself', () => {
    const sliver = [
      { x: 0.1, y: 0.1 },
      { x: 0.9, y: 0.1 },
      { x: 0.5, y: 0.10005 },
    ];
    expect(validateZone({ ...marketGate, points: sliver })[0]!.message).toMatch(/too small to watch/);
    const fold = [
      { x: 0.1, y: 0.1 },
      { x: 0.5, y: 0.1 },
      { x: 0.3, y: 0.1 },
      { x: 0.3, y: 0.5 },
    ];
    expect(validateZone({ ...marketGate, points: fold }).map((f) => f.message)).toContain(
      "zone 'Market gate': the polygon: edges 1 and 2 overlap",
    );
  });

  it('reports schema faults with the field, and unknown fields', () => {
    const faults = validateZone({ ...marketGate, dwellSeconds: -5, colour: 'red' }, 2);
    const messages = faults.map((f) => f.message).join('\n');
    expect(messages).toMatch(/zone 'Market gate': dwellSeconds:/);
    expect(messages).toMatch(/colour/);
    expect(validateZone({ kind: 'no_stall' }, 4)[0]!.message).toMatch(/^zone #5: /);
  });

  it('checks kind-specific fields: the front line, warn-first and schedule windows', () => {
    const { frontLine: _unused, ...withoutLine } = shopFront;
    expect(validateZone(withoutLine)[0]!.message).toMatch(/needs a frontLine/);
    expect(validateZone({ ...marketGate, frontLine: shopFront.frontLine })[0]!.message).toMatch(
      /only shop_front zones have a frontLine/,
    );
    expect(validateZone({ ...marketGate, warnFirst: true })[0]!.message).toMatch(
      /warn-first needs a known party/,
    );
    const shortLine = { ...shopFront, frontLine: { ...shopFront.frontLine!, points: [{ x: 0.1, y: 0.55 }] } };
    expect(validateZone(shortLine)[0]!.message).toBe(
      "zone 'No. 12 fruit shop': the front line has 1 point, fewer than the 2 needed",
    );
    const emptyWindow = { ...marketGate, schedule: [{ days: [1], start: '08:00', end: '08:00' }] };
    expect(validateZone(emptyWindow)[0]!.message).toMatch(/schedule window 1 opens and closes at 08:00/);
  });

  it('rejects duplicate ids and throws a listing error', () => {
    const faults = validateZones([marketGate, { ...shopFront, id: 'market-gate' }]);
    expect(faults.map((f) => f.message)).toEqual(["zone #2: id 'market-gate' is already used by zone #1"]);
    expect(() => assertValidZones([marketGate, marketGate])).toThrow(ZoneValidationError);
  });

  it('refuses ids that would clash with object internals in the stored state', () => {
    expect(validateZone({ ...marketGate, id: '__proto__' })[0]!.message).toBe(
      "zone 'Market gate': id '__proto__' is reserved, choose another",
    );
  });

  it('lays a camera override over the defaults field by field', () => {
    const config = rulesConfigWith({
      clusterGap: 0.1,
      tracker: { minScore: 0.4 },
      defaults: { no_stall: { dwellSeconds: 300 } },
    });
    expect(config.clusterGap).toBe(0.1);
    expect(config.tracker).toEqual({ ...DEFAULT_RULES_CONFIG.tracker, minScore: 0.4 });
    expect(config.defaults.no_stall).toEqual({
      ...DEFAULT_RULES_CONFIG.defaults.no_stall,
      dwellSeconds: 300,
    });
    expect(config.defaults.shop_front).toEqual(DEFAULT_RULES_CONFIG.defaults.shop_front);
    expect(validateRulesConfig(config)).toEqual([]);
    expect(DEFAULT_RULES_CONFIG.clusterGap).not.toBe(0.1);
  });

  it('validates the camera rules config', () => {
    expect(validateRulesConfig(DEFAULT_RULES_CONFIG)).toEqual([]);
    expect(validateRulesConfig({ ...DEFAULT_RULES_CONFIG, clusterGap: -1 })[0]).toMatch(
      /^rules config: clusterGap:/,
    );
    const fragile = {
      ...DEFAULT_RULES_CONFIG,
      tracker: { ...DEFAULT_RULES_CONFIG.tracker, maxMissSecondsStationary: 30 },
    };
    expect(validateRulesConfig(fragile)[0]).toMatch(/shorter than missToleranceSeconds/);
  });
});

describe('zone settings', () => {
  it('fills unset fields from the per-kind defaults and keeps warn-first to shop fronts', () => {
    const stall = zoneSettings(marketGate, DEFAULT_RULES_CONFIG);
    expect(stall.dwellSeconds).toBe(DEFAULT_RULES_CONFIG.defaults.no_stall.dwellSeconds);
    expect(stall.warnFirst).toBe(false);
    const shop = zoneSettings({ ...shopFront, dwellSeconds: 120 }, DEFAULT_RULES_CONFIG);
    expect(shop.dwellSeconds).toBe(120);
    expect(shop.warnFirst).toBe(true);
  });

  it('watches by role, optional label list and score', () => {
    const settings = zoneSettings({ ...marketGate, labels: ['umbrella'] }, DEFAULT_RULES_CONFIG);
    expect(zoneWatches(settings, { role: 'goods', label: 'umbrella', score: 0.8 })).toBe(true);
    expect(zoneWatches(settings, { role: 'goods', label: 'chair', score: 0.8 })).toBe(false);
    expect(zoneWatches(settings, { role: 'goods', label: 'umbrella', score: 0.1 })).toBe(false);
    expect(zoneWatches(settings, { role: 'person', label: 'umbrella', score: 0.9 })).toBe(false);
  });
});

describe('schedule', () => {
  const weekdaysDaytime = [{ days: [1, 2, 3, 4, 5], start: '08:00', end: '20:00' }];
  // 2024-05-06 is a Monday.
  it('reads local weekday and time in Asia/Shanghai whatever the instant', () => {
    expect(localTime(shanghai('2024-05-06T00:30:00'))).toEqual({ weekday: 1, secondOfDay: 1800 });
    expect(localTime(Date.parse('2024-05-05T16:30:00Z'))).toEqual({ weekday: 1, secondOfDay: 1800 });
    expect(() => parseTimeOfDay('24:30')).toThrow(/between 00:00 and 24:00/);
  });

  it('opens inclusively and closes exclusively', () => {
    expect(isScheduleActive(weekdaysDaytime, shanghai('2024-05-06T07:59:59.500'))).toBe(false);
    expect(isScheduleActive(weekdaysDaytime, shanghai('2024-05-06T08:00:00'))).toBe(true);
    expect(isScheduleActive(weekdaysDaytime, shanghai('2024-05-06T19:59:59'))).toBe(true);
    expect(isScheduleActive(weekdaysDaytime, shanghai('2024-05-06T20:00:00'))).toBe(false);
    expect(isScheduleActive(weekdaysDaytime, shanghai('2024-05-11T10:00:00'))).toBe(false);
  });

  it('runs overnight windows into the next day, including across the week end', () => {
    const nightMarket = [{ days: [5, 7], start: '22:00', end: '02:00' }];
    expect(isScheduleActive(nightMarket, shanghai('2024-05-10T21:59:00'))).toBe(false);
    expect(isScheduleActive(nightMarket, shanghai('2024-05-10T22:00:00'))).toBe(true);
    expect(isScheduleActive(nightMarket, shanghai('2024-05-11T01:59:59'))).toBe(true);
    expect(isScheduleActive(nightMarket, shanghai('2024-05-11T02:00:00'))).toBe(false);
    expect(isScheduleActive(nightMarket, shanghai('2024-05-12T01:00:00'))).toBe(false);
    expect(isScheduleActive(nightMarket, shanghai('2024-05-13T01:00:00'))).toBe(true);
  });

  it('treats a missing or empty schedule as always, and 24:00 as the end of the day', () => {
    expect(isScheduleActive(undefined, shanghai('2024-05-06T03:00:00'))).toBe(true);
    expect(isScheduleActive([], shanghai('2024-05-06T03:00:00'))).toBe(true);
    const allSunday = [{ days: [7], start: '00:00', end: '24:00' }];
    expect(isScheduleActive(allSunday, shanghai('2024-05-12T23:59:59'))).toBe(true);
    expect(isScheduleActive(allSunday, shanghai('2024-05-13T00:00:00'))).toBe(false);
  });
});
