import type { Scenario, ScenarioObject } from '../../src/rules/scenario.js';
import { box, crowd, fruitShop, START, still } from './scene-parts.js';

/*
 * Shop encroachment scenarios. The door line of shop 12 runs along y = 0.5, the sidewalk below it, and goods
 * may stand up to 0.03 frame heights beyond it. What counts is the foot of the box (its lower edge's middle).
 * Warn-first is on with the default 15 minute grace: a violation confirmed at t is re-checked from t + 900.
 */

const base = { start: START, intervalSeconds: 10, zones: [fruitShop], expected: [] as Scenario['expected'] };

/** A fruit crate whose foot stands `depth` frame heights beyond the door line (negative: inside the shop). */
function crate(x: number, depth: number, extra: Partial<ScenarioObject> = {}): ScenarioObject {
  const footY = 0.5 + depth;
  return still('crate', 'goods', box(x, footY - 0.08, 0.07, 0.08), { jitter: 0.002, ...extra });
}

export const shopScenarios: Scenario[] = [
  {
    ...base,
    name: 'shop-goods-warned-and-corrected',
    description:
      'Crates stand 0.1 beyond the line from the start; the shop is warned at 600 s, clears them at 1000 s, and the re-check at 1500 s finds it corrected.',
    tags: ['shop_encroachment', 'warn_first', 'clearing'],
    durationSeconds: 1800,
    objects: [crate(0.7, 0.1, { present: [[0, 1000]] }), crate(0.78, 0.12, { present: [[0, 1000]] })],
    expected: [
      {
        rule: 'shop_encroachment',
        zoneId: 'shop-12',
        confirmedBetween: [600, 620],
        endedBetween: [1120, 1140],
        recheck: 'corrected',
      },
    ],
  },
  {
    ...base,
    name: 'shop-goods-warned-not-corrected',
    description: 'Crates stay beyond the line after the warning: the re-check at 1500 s escalates to review.',
    tags: ['shop_encroachment', 'warn_first'],
    durationSeconds: 1800,
    objects: [crate(0.7, 0.1), crate(0.78, 0.12)],
    expected: [
      { rule: 'shop_encroachment', zoneId: 'shop-12', confirmedBetween: [600, 620], recheck: 'escalate' },
    ],
  },
  {
    ...base,
    name: 'shop-goods-back-during-grace',
    description:
      'Hard: the shop clears its crates after the warning but puts them back before the re-check: escalated, and no second violation.',
    tags: ['shop_encroachment', 'warn_first', 'hard'],
    durationSeconds: 1800,
    objects: [
      crate(0.7, 0.1, {
        present: [
          [0, 700],
          [1000, 1800],
        ],
      }),
    ],
    expected: [
      {
        rule: 'shop_encroachment',
        zoneId: 'shop-12',
        confirmedBetween: [600, 620],
        endedBetween: [820, 840],
        recheck: 'escalate',
      },
    ],
  },
  {
    ...base,
    name: 'shop-goods-hidden-at-recheck',
    description:
      'Hard: at the re-check a crowd hides the crates for a minute; the re-check waits for a clear view and escalates.',
    tags: ['shop_encroachment', 'warn_first', 'occlusion', 'hard'],
    durationSeconds: 1800,
    objects: [crate(0.7, 0.1, { hidden: [[1480, 1560]] }), ...crowd(1480, 1560, 8, 0.52)],
    expected: [
      { rule: 'shop_encroachment', zoneId: 'shop-12', confirmedBetween: [600, 620], recheck: 'escalate' },
    ],
  },
  {
    ...base,
    name: 'shop-goods-just-inside-allowance',
    description: 'Crates stand 0.02 beyond the line, inside the 0.03 allowance: no violation.',
    tags: ['shop_encroachment', 'negative', 'boundary'],
    durationSeconds: 1500,
    objects: [crate(0.7, 0.02), crate(0.8, 0.02)],
  },
  {
    ...base,
    name: 'shop-goods-just-beyond-allowance',
    description: 'Crates stand 0.045 beyond the line, just past the 0.03 allowance: a violation.',
    tags: ['shop_encroachment', 'boundary'],
    durationSeconds: 1500,
    objects: [crate(0.7, 0.045), crate(0.8, 0.045)],
    expected: [
      { rule: 'shop_encroachment', zoneId: 'shop-12', confirmedBetween: [600, 620], recheck: 'escalate' },
    ],
  },
  {
    ...base,
    name: 'shop-goods-exactly-on-line',
    description:
      'Hard: with no allowance at all, a rack straddles the door line (its foot on the line): not beyond it, no violation.',
    tags: ['shop_encroachment', 'negative', 'boundary', 'hard'],
    durationSeconds: 1500,
    zones: [{ ...fruitShop, frontLine: { ...fruitShop.frontLine!, allowedDepth: 0 } }],
    objects: [still('rack', 'goods', box(0.7, 0.38, 0.08, 0.12), { jitter: 0 })],
  },
  {
    ...base,
    name: 'shop-tall-rack-leaning-over-line',
    description:
      'Hard: a tall clothes rack inside the door reaches over the line in the image, but stands behind it: no violation.',
    tags: ['shop_encroachment', 'negative', 'hard'],
    durationSeconds: 1500,
    objects: [still('rack', 'goods', box(0.72, 0.2, 0.08, 0.28))],
  },
  {
    ...base,
    name: 'shop-neighbour-goods',
    description:
      "The neighbour's goods stand beyond the line's extension but outside this shop's stretch of sidewalk: not this shop's violation.",
    tags: ['shop_encroachment', 'negative'],
    durationSeconds: 1500,
    objects: [crate(0.52, 0.1)],
  },
  {
    ...base,
    name: 'shop-no-warn-first',
    description:
      'Warn-first switched off for this shop (a repeat offender): the violation goes straight to review, no warning.',
    tags: ['shop_encroachment'],
    durationSeconds: 1500,
    zones: [{ ...fruitShop, warnFirst: false, warnFirstOffReason: '屡次劝阻仍不改正的商户，直接转审核' }],
    objects: [crate(0.7, 0.1)],
    expected: [{ rule: 'shop_encroachment', zoneId: 'shop-12', confirmedBetween: [600, 620] }],
  },
  {
    ...base,
    name: 'shop-customer-with-shopping',
    description:
      'Customers stand in front of the shop for a few minutes each holding bags of fruit: carried goods are not encroachment.',
    tags: ['shop_encroachment', 'negative'],
    durationSeconds: 1500,
    objects: [
      still('person', 'person', box(0.7, 0.45, 0.05, 0.22), { present: [[100, 400]] }),
      still('handbag', 'goods', box(0.71, 0.55, 0.03, 0.05), { present: [[100, 400]] }),
      still('person', 'person', box(0.8, 0.47, 0.05, 0.22), { present: [[500, 1300]] }),
      still('suitcase', 'goods', box(0.805, 0.56, 0.035, 0.1), { present: [[500, 1300]] }),
    ],
  },
];
