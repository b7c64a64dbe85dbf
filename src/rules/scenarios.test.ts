import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allScenarios, scenarioFileText } from '../../scripts/rule-scenarios/all-scenarios.js';
import type { ViolationStartedEvent } from './rule-events.js';
import { parseScenario, runScenario, type Scenario } from './scenario.js';
import { scoreScenario } from './scenario-score.js';

/*
 * The hand-written scenarios in fixtures/scenarios, run through the whole rules pipeline (tracker, background
 * model, rules) and compared with their labels. The randomised ones are measured by `npm run eval:rules`
 * instead. Scenarios tagged known-limitation describe what the rules cannot do yet: they are expected to
 * disagree with their labels, and this test says so the day one starts to pass.
 */

const directory = new URL('../../fixtures/scenarios/', import.meta.url);
const files = readdirSync(directory)
  .filter((f) => f.endsWith('.json'))
  .sort();
const scenarios: Scenario[] = files.map((f) =>
  parseScenario(JSON.parse(readFileSync(new URL(f, directory), 'utf8')), f),
);
const handWritten = scenarios.filter((s) => !s.tags.includes('randomised'));
const VERSION = 'rules-v7';

function check(scenario: Scenario): void {
  const events = runScenario(scenario, VERSION);
  expect(scoreScenario(scenario, events).faults).toEqual([]);
  for (const event of events) expect(event.configVersion).toBe(VERSION);
  for (const started of events.filter((e): e is ViolationStartedEvent => e.type === 'violation_started')) {
    // The two frames named as proof are at least the dwell time apart.
    expect(started.confirmedAt - started.firstSeenAt).toBeGreaterThanOrEqual(started.dwellSeconds * 1000);
    expect(started.confirmedSeq).toBeGreaterThan(started.firstSeenSeq);
  }
}

describe('rule scenarios', () => {
  it('has the fixtures the generator writes, unchanged', () => {
    const expected = allScenarios();
    expect(files).toEqual(expected.map((s) => `${s.name}.json`).sort());
    for (const scenario of expected) {
      expect(readFileSync(new URL(`${scenario.name}.json`, directory), 'utf8'), scenario.name).toBe(
        scenarioFileText(scenario),
      );
    }
  });

  it('covers every rule with positive and negative hand-written cases', () => {
    for (const rule of ['street_stall', 'shop_encroachment', 'illegal_dumping']) {
      const mine = handWritten.filter((s) => s.tags.includes(rule));
      expect(
        mine.some((s) => s.expected.length > 0),
        rule,
      ).toBe(true);
      expect(
        mine.some((s) => s.expected.length === 0),
        rule,
      ).toBe(true);
    }
  });

  for (const scenario of handWritten) {
    if (scenario.tags.includes('known-limitation')) {
      it.fails(`${scenario.name} (known limitation)`, () => check(scenario));
    } else {
      it(scenario.name, () => check(scenario));
    }
  }
});
