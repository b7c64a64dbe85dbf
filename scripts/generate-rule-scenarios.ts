/*
 * Writes the labelled rule scenarios to fixtures/scenarios/<name>.json from their definitions in
 * scripts/rule-scenarios/, and removes files of scenarios that no longer exist. Run after editing a definition:
 *   npm run scenarios:rules
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { allScenarios, scenarioFileText } from './rule-scenarios/all-scenarios.js';
import { parseScenario } from '../src/rules/scenario.js';

const directory = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

async function main(): Promise<void> {
  const scenarios = allScenarios();
  const names = new Set<string>();
  await mkdir(directory, { recursive: true });
  for (const scenario of scenarios) {
    if (names.has(scenario.name)) throw new Error(`two scenarios are named '${scenario.name}'`);
    names.add(scenario.name);
    const text = scenarioFileText(scenario);
    parseScenario(JSON.parse(text), scenario.name);
    await writeFile(`${directory}${scenario.name}.json`, text);
  }
  for (const file of await readdir(directory)) {
    if (file.endsWith('.json') && !names.has(file.slice(0, -'.json'.length))) {
      await rm(`${directory}${file}`);
      console.log(`removed ${file}`);
    }
  }
  console.log(`wrote ${scenarios.length} scenarios to fixtures/scenarios/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
