import type { Box } from '../../src/geometry/box.js';
import type { ScenarioObject } from '../../src/rules/scenario.js';
import type { Zone } from '../../src/zones/zone.schema.js';

/*
 * Building blocks of the rule scenarios: the zones of one imagined street camera (16:9, looking down a
 * sidewalk) and the things that appear in it. Boxes are normalised; people are about 0.05 wide and 0.22 tall
 * in the middle distance.
 */

export const START = '2024-05-06T10:00:00+08:00'; // a Monday

export const gate: Zone = {
  id: 'market-gate',
  name: 'Market gate',
  kind: 'no_stall',
  points: [
    { x: 0.05, y: 0.45 },
    { x: 0.6, y: 0.45 },
    { x: 0.6, y: 0.98 },
    { x: 0.05, y: 0.98 },
  ],
  enabled: true,
};

/** A fruit shop on the right; its door line runs along y = 0.5 and the sidewalk is below it (the line's right). */
export const fruitShop: Zone = {
  id: 'shop-12',
  name: 'No. 12 fruit shop',
  kind: 'shop_front',
  points: [
    { x: 0.62, y: 0.42 },
    { x: 0.95, y: 0.42 },
    { x: 0.95, y: 0.95 },
    { x: 0.62, y: 0.95 },
  ],
  frontLine: {
    points: [
      { x: 0.62, y: 0.5 },
      { x: 0.95, y: 0.5 },
    ],
    sidewalkSide: 'right',
    allowedDepth: 0.03,
    partyId: 'party-fruit-12',
  },
  enabled: true,
  warnFirst: true,
};

export const dumpingCorner: Zone = {
  id: 'corner-bins',
  name: 'Corner by the bins',
  kind: 'dumping_spot',
  points: [
    { x: 0.62, y: 0.4 },
    { x: 0.98, y: 0.4 },
    { x: 0.98, y: 0.98 },
    { x: 0.62, y: 0.98 },
  ],
  enabled: true,
};

export const box = (x1: number, y1: number, w: number, h: number): Box => ({
  x1,
  y1,
  x2: x1 + w,
  y2: y1 + h,
});

export function still(
  label: string,
  role: ScenarioObject['role'],
  b: Box,
  extra: Partial<ScenarioObject> = {},
): ScenarioObject {
  return { label, role, path: [{ t: 0, box: b }], jitter: 0.003, ...extra };
}

/** A stall: umbrella over a table of goods, with the vendor standing beside it. */
export function stall(
  x: number,
  y: number,
  present: Array<[number, number]>,
  extra: Partial<ScenarioObject> = {},
): ScenarioObject[] {
  return [
    still('umbrella', 'goods', box(x, y, 0.12, 0.14), { present, ...extra }),
    still('dining table', 'goods', box(x + 0.01, y + 0.12, 0.1, 0.08), { present, score: 0.6, ...extra }),
    still('person', 'person', box(x + 0.12, y + 0.02, 0.045, 0.22), { present, missRate: 0.1 }),
  ];
}

/** A person walking straight from one point to another, on screen from `from` seconds for `seconds`. */
export function walker(
  from: number,
  seconds: number,
  x0: number,
  x1: number,
  y: number,
  extra: Partial<ScenarioObject> = {},
): ScenarioObject {
  return {
    label: 'person',
    role: 'person',
    path: [
      { t: from, box: box(x0, y, 0.045, 0.22) },
      { t: from + seconds, box: box(x1, y, 0.045, 0.22) },
    ],
    present: [[from, from + seconds]],
    gray: 200,
    ...extra,
  };
}

/** A stream of people walking across the frame, one every `every` seconds during the interval. */
export function crowd(from: number, to: number, every: number, y: number): ScenarioObject[] {
  const people: ScenarioObject[] = [];
  for (let t = from, i = 0; t < to; t += every, i++) {
    const leftToRight = i % 2 === 0;
    people.push(walker(t, 24, leftToRight ? 0.0 : 0.95, leftToRight ? 0.95 : 0.0, y + (i % 3) * 0.02));
  }
  return people;
}
