/*
 * Precision and recall of the three rules over the labelled scenarios in fixtures/scenarios.
 *   npm run eval:rules              summary per rule, hand-written and randomised sets apart, then all together
 *   npm run eval:rules -- --faults  also every disagreement with the labels, scenario by scenario
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RULE_NAMES } from '../src/rules/rule-events.js';
import { parseScenario, runScenario, type Scenario } from '../src/rules/scenario.js';
import {
  addCounts,
  emptyCounts,
  precisionRecall,
  scoreScenario,
  type RuleCounts,
} from '../src/rules/scenario-score.js';
import type { RuleName } from '../src/rules/rule-events.js';

const directory = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));
const showFaults = process.argv.includes('--faults');

async function loadScenarios(): Promise<Scenario[]> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0)
    throw new Error('no scenarios in fixtures/scenarios: run npm run scenarios:rules first');
  return Promise.all(
    files.map(async (f) => parseScenario(JSON.parse(await readFile(`${directory}${f}`, 'utf8')), f)),
  );
}

const percent = (v: number | null) => (v === null ? '   n/a' : `${(v * 100).toFixed(1).padStart(5)}%`);

function printTable(
  title: string,
  counts: Record<RuleName, RuleCounts>,
  scenarioCount: number,
  recheck: { right: number; total: number },
): void {
  console.log(`\n${title} (${scenarioCount} scenarios)`);
  console.log('rule                 TP   FP   FN  precision  recall');
  for (const rule of RULE_NAMES) {
    const c = counts[rule];
    const { precision, recall } = precisionRecall(c);
    console.log(
      `${rule.padEnd(19)} ${String(c.truePositives).padStart(4)} ${String(c.falsePositives).padStart(4)} ${String(c.falseNegatives).padStart(4)}     ${percent(precision)}  ${percent(recall)}`,
    );
  }
  const all = RULE_NAMES.reduce(
    (sum, r) => ({
      truePositives: sum.truePositives + counts[r].truePositives,
      falsePositives: sum.falsePositives + counts[r].falsePositives,
      falseNegatives: sum.falseNegatives + counts[r].falseNegatives,
    }),
    { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
  );
  const { precision, recall } = precisionRecall(all);
  console.log(
    `${'all'.padEnd(19)} ${String(all.truePositives).padStart(4)} ${String(all.falsePositives).padStart(4)} ${String(all.falseNegatives).padStart(4)}     ${percent(precision)}  ${percent(recall)}`,
  );
  console.log(`warn-first re-checks right: ${recheck.right} of ${recheck.total}`);
}

async function main(): Promise<void> {
  const scenarios = await loadScenarios();
  const groups = { 'hand-written': [] as Scenario[], randomised: [] as Scenario[] };
  for (const s of scenarios)
    (s.tags.includes('randomised') ? groups.randomised : groups['hand-written']).push(s);

  const overall = emptyCounts();
  const overallRecheck = { right: 0, total: 0 };
  const started = performance.now();
  for (const [group, members] of Object.entries(groups)) {
    const counts = emptyCounts();
    const recheck = { right: 0, total: 0 };
    for (const scenario of members) {
      const score = scoreScenario(scenario, runScenario(scenario));
      addCounts(counts, score.perRule);
      recheck.total += score.rechecks.labelled;
      recheck.right += score.rechecks.right;
      if (showFaults && score.faults.length > 0) {
        console.log(`${scenario.name}: ${scenario.description}`);
        for (const fault of score.faults) console.log(`  - ${fault}`);
      }
    }
    printTable(group, counts, members.length, recheck);
    addCounts(overall, counts);
    overallRecheck.right += recheck.right;
    overallRecheck.total += recheck.total;
  }
  printTable('all scenarios', overall, scenarios.length, overallRecheck);
  const seconds = (performance.now() - started) / 1000;
  const frames = scenarios.reduce((n, s) => n + Math.floor(s.durationSeconds / s.intervalSeconds) + 1, 0);
  console.log(
    `\n${frames} frames in ${seconds.toFixed(1)} s: ${((seconds * 1000) / frames).toFixed(2)} ms per frame, synthesising the frames included`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
