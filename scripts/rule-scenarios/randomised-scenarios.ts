import type { Scenario, ScenarioObject } from '../../src/rules/scenario.js';
import { seededRandom } from '../../src/rules/synthetic-grid.js';
import { box, crowd, dumpingCorner, fruitShop, gate, START, stall, still, walker } from './scene-parts.js';

/*
 * A randomised labelled set, to measure the rules on more than the hand-picked cases. Each scenario draws its
 * timings, positions, occlusions and detector misses from a seeded generator, and its label comes from what
 * happens in the world it describes (did the stall stay past the dwell time? did the crates stand beyond the
 * allowance? was the pile left alone?), never from running the rules. Some draws are deliberately unkind: long
 * occlusions, heavy misses, goods close to the allowance, vans parked on the spot.
 */

const DWELL = 600;
const TOLERANCE = 120;
const GRACE = 900;

type Random = () => number;
const between = (r: Random, a: number, b: number) => a + r() * (b - a);
const round10 = (t: number) => Math.round(t / 10) * 10;

function hiddenSpells(r: Random, from: number, to: number, longest: number): Array<[number, number]> {
  const spells: Array<[number, number]> = [];
  const count = Math.floor(between(r, 0, 3));
  for (let i = 0; i < count; i++) {
    const start = round10(between(r, from, Math.max(from, to - 60)));
    spells.push([start, start + round10(between(r, 20, longest))]);
  }
  return spells;
}

function randomStall(index: number): Scenario {
  const r = seededRandom(1000 + index);
  const positive = index % 2 === 0;
  const setUp = round10(between(r, 0, 300));
  const stay = round10(positive ? DWELL + between(r, 200, 900) : between(r, 60, DWELL - 150));
  const x = between(r, 0.08, 0.36);
  const y = between(r, 0.47, 0.68);
  const hidden = hiddenSpells(r, setUp, setUp + stay, 180);
  const missRate = between(r, 0, 0.35);
  const objects: ScenarioObject[] = [
    ...stall(x, y, [[setUp, setUp + stay]], {
      hidden,
      missRate,
      jitter: between(r, 0.002, 0.006),
      score: between(r, 0.35, 0.9),
    }),
    ...hidden.flatMap(([a, b]) => crowd(a, b, 8, y)),
    ...crowd(round10(between(r, 0, 1500)), round10(between(r, 0, 1500)) + 60, 15, 0.6),
  ];
  if (r() < 0.5) {
    const from = round10(between(r, 0, 900));
    objects.push(still('person', 'person', box(0.45, 0.55, 0.05, 0.24), { present: [[from, from + 500]] }));
    objects.push(still('backpack', 'carried', box(0.46, 0.6, 0.03, 0.06), { present: [[from, from + 500]] }));
  }
  return {
    name: `random-stall-${String(index).padStart(2, '0')}`,
    description: `Randomised: a stall set up at ${setUp} s staying ${stay} s, hidden ${JSON.stringify(hidden)}, missed on ${Math.round(missRate * 100)}% of frames.`,
    tags: ['street_stall', 'randomised'],
    start: START,
    durationSeconds: Math.max(1500, setUp + stay + 300),
    intervalSeconds: 10,
    seed: index + 1,
    zones: [gate],
    objects,
    expected: positive
      ? [{ rule: 'street_stall', zoneId: gate.id, confirmedBetween: [setUp + DWELL, setUp + DWELL + 150] }]
      : [],
  };
}

function randomShop(index: number): Scenario {
  const r = seededRandom(2000 + index);
  const kind = (['beyond', 'within', 'brief'] as const)[index % 3]!;
  const allowance = fruitShop.frontLine!.allowedDepth;
  const depth = kind === 'within' ? between(r, -0.08, allowance - 0.01) : allowance + between(r, 0.01, 0.1);
  const out = round10(between(r, 0, 200));
  const corrected = r() < 0.5;
  // Removal well before the re-check (so the scene has cleared) or well after it (so it is seen at the re-check).
  const stay =
    kind === 'brief'
      ? round10(between(r, 60, DWELL - 150))
      : corrected
        ? round10(between(r, DWELL + 60, DWELL + GRACE - 300))
        : 2000;
  const missRate = between(r, 0, 0.3);
  const footY = 0.5 + depth;
  const x = between(r, 0.64, 0.86);
  const objects: ScenarioObject[] = [
    still('crate', 'goods', box(x, footY - 0.08, 0.07, 0.08), {
      present: [[out, out + stay]],
      missRate,
      jitter: 0.003,
    }),
    ...crowd(round10(between(r, 0, 1500)), round10(between(r, 0, 1500)) + 60, 12, 0.5),
  ];
  const positive = kind === 'beyond';
  return {
    name: `random-shop-${String(index).padStart(2, '0')}`,
    description: `Randomised: a crate ${depth.toFixed(3)} beyond the line (allowance ${allowance}) from ${out} s for ${stay} s, missed on ${Math.round(missRate * 100)}%.`,
    tags: ['shop_encroachment', 'randomised'],
    start: START,
    durationSeconds: 2000,
    intervalSeconds: 10,
    seed: index + 1,
    zones: [fruitShop],
    objects,
    expected: positive
      ? [
          {
            rule: 'shop_encroachment',
            zoneId: fruitShop.id,
            confirmedBetween: [out + DWELL, out + DWELL + 100],
            recheck: corrected ? 'corrected' : 'escalate',
          },
        ]
      : [],
  };
}

function randomDumping(index: number): Scenario {
  const r = seededRandom(3000 + index);
  const kind = (['left', 'attended', 'short', 'left'] as const)[index % 4]!;
  const arrive = round10(between(r, 60, 300));
  const linger = round10(between(r, 10, 60));
  const x = between(r, 0.66, 0.85);
  const y = between(r, 0.5, 0.8);
  const detected = r() < 0.4;
  const pileStays = kind === 'short' ? round10(between(r, 60, DWELL - 200)) : 1600;
  const personStays = kind === 'attended' ? pileStays : linger;
  const pileObject: ScenarioObject = {
    ...still('rubbish', 'dumping', box(x, y, 0.09, 0.08), {
      present: [[arrive, arrive + pileStays]],
      gray: between(r, 30, 70),
      jitter: 0.003,
    }),
    detected,
    missRate: detected ? between(r, 0, 0.3) : 0,
  };
  const objects: ScenarioObject[] = [
    still('person', 'person', box(Math.max(0.62, x - 0.06), y - 0.15, 0.045, 0.22), {
      present: [[arrive - 10, arrive + personStays]],
      gray: 200,
      missRate: 0.1,
    }),
    pileObject,
    ...Array.from({ length: 6 }, (_, i) =>
      walker(round10(between(r, 0, 1800)), 30, 0.62, 0.98, 0.5 + (i % 3) * 0.05, { gray: 200 }),
    ),
  ];
  if (r() < 0.5) {
    const parked = round10(between(r, 200, 1200));
    objects.push(
      still('truck', 'vehicle', box(0.64, 0.3, 0.3, 0.25), {
        present: [[parked, parked + round10(between(r, 120, 600))]],
        missRate: 0.15,
        gray: 230,
      }),
    );
  }
  const leftAt = arrive + personStays;
  return {
    name: `random-dumping-${String(index).padStart(2, '0')}`,
    description: `Randomised: a ${detected ? 'detected' : 'grid-only'} pile left at ${arrive} s, the person staying ${personStays} s, the pile staying ${pileStays} s.`,
    tags: ['illegal_dumping', 'randomised'],
    start: START,
    durationSeconds: 1900,
    intervalSeconds: 10,
    seed: index + 1,
    zones: [dumpingCorner],
    scene: { textureSeed: 20 + index, noise: 5 },
    objects,
    expected:
      kind === 'left'
        ? [
            {
              rule: 'illegal_dumping',
              zoneId: dumpingCorner.id,
              // The dwell runs from the appearance; the pile must also have been left alone for 60 s.
              confirmedBetween: [
                Math.max(arrive + DWELL, leftAt + 60) - 20,
                Math.max(arrive + DWELL, leftAt + 60) + TOLERANCE,
              ],
            },
          ]
        : [],
  };
}

export function randomisedScenarios(perRule: number): Scenario[] {
  const indices = Array.from({ length: perRule }, (_, i) => i);
  return [...indices.map(randomStall), ...indices.map(randomShop), ...indices.map(randomDumping)];
}
