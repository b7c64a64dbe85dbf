import { ScenarioSchema, type Scenario } from '../../src/rules/scenario.js';
import { dumpingScenarios } from './dumping-scenarios.js';
import { randomisedScenarios } from './randomised-scenarios.js';
import { shopScenarios } from './shop-scenarios.js';
import { scheduleScenarios, stallScenarios } from './stall-scenarios.js';

/** How many randomised scenarios each rule gets in the labelled set. */
export const RANDOMISED_PER_RULE = 20;

/** Every scenario of the labelled set, as written to fixtures/scenarios. */
export function allScenarios(): Scenario[] {
  return [
    ...stallScenarios,
    ...scheduleScenarios,
    ...shopScenarios,
    ...dumpingScenarios,
    ...randomisedScenarios(RANDOMISED_PER_RULE),
  ];
}

/**
 * The JSON text a scenario is stored as, so the generator and the freshness test agree byte for byte: one line
 * per field, and one line per zone, object and label, which keeps the files short and easy to diff.
 */
export function scenarioFileText(scenario: Scenario): string {
  // Round-tripping drops undefined fields (e.g. a scenario that turns the grid off) the way the file would.
  const plain = JSON.parse(JSON.stringify(scenario)) as Record<string, unknown>;
  const order = Object.keys(ScenarioSchema.properties);
  const entries = Object.entries(plain).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  const fields = entries.map(([key, value]) => {
    const text =
      Array.isArray(value) && value.some((v) => typeof v === 'object')
        ? value.length === 0
          ? '[]'
          : `[\n${value.map((v) => `    ${JSON.stringify(v)}`).join(',\n')}\n  ]`
        : JSON.stringify(value);
    return `  ${JSON.stringify(key)}: ${text}`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}
