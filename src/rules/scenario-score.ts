import { RULE_NAMES, type RuleEvent, type RuleName, type ViolationStartedEvent } from './rule-events.js';
import type { Scenario } from './scenario.js';

export interface RuleCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface ScenarioScore {
  perRule: Record<RuleName, RuleCounts>;
  /** Labels that name a warn-first re-check outcome, and how many of those the run got right. */
  rechecks: { labelled: number; right: number };
  /** Every disagreement with the labels, as a sentence: missed, spurious, ended or re-checked wrongly. */
  faults: string[];
}

export function emptyCounts(): Record<RuleName, RuleCounts> {
  return Object.fromEntries(
    RULE_NAMES.map((r) => [r, { truePositives: 0, falsePositives: 0, falseNegatives: 0 }]),
  ) as Record<RuleName, RuleCounts>;
}

const inside = (t: number, [from, to]: readonly [number, number]) => t >= from && t <= to;

/**
 * Compares the events of a run with the scenario's labels. A reported violation matches a label of the same rule
 * and zone confirmed inside the label's window; a violation confirmed too early or too late is both spurious
 * and missed, as it would be in the field.
 */
export function scoreScenario(scenario: Scenario, events: readonly RuleEvent[]): ScenarioScore {
  const start = Date.parse(scenario.start);
  const seconds = (at: number) => (at - start) / 1000;
  const perRule = emptyCounts();
  const faults: string[] = [];
  const rechecks = { labelled: scenario.expected.filter((e) => e.recheck).length, right: 0 };
  const started = events.filter((e): e is ViolationStartedEvent => e.type === 'violation_started');
  const unmatched = new Set(scenario.expected.keys());

  for (const event of started) {
    const t = seconds(event.confirmedAt);
    const index = [...unmatched].find((i) => {
      const label = scenario.expected[i]!;
      return label.rule === event.rule && label.zoneId === event.zoneId && inside(t, label.confirmedBetween);
    });
    if (index === undefined) {
      perRule[event.rule].falsePositives++;
      faults.push(
        `spurious ${event.rule} in zone '${event.zoneId}' confirmed at ${t}s (tracks ${event.trackIds.join(', ') || 'none'})`,
      );
      continue;
    }
    unmatched.delete(index);
    perRule[event.rule].truePositives++;
    const label = scenario.expected[index]!;
    const ended = events.find((e) => e.type === 'violation_ended' && e.violationId === event.violationId);
    if (label.endedBetween) {
      const [from, to] = label.endedBetween;
      if (!ended)
        faults.push(`${event.rule} in '${event.zoneId}' never ended, expected between ${from}s and ${to}s`);
      else if (!inside(seconds(ended.at), label.endedBetween)) {
        faults.push(
          `${event.rule} in '${event.zoneId}' ended at ${seconds(ended.at)}s, expected between ${from}s and ${to}s`,
        );
      }
    }
    const recheck = events.find((e) => e.type === 'warning_rechecked' && e.violationId === event.violationId);
    const outcome = recheck?.type === 'warning_rechecked' ? recheck.outcome : 'none';
    if ((label.recheck ?? 'none') !== outcome) {
      faults.push(
        `${event.rule} in '${event.zoneId}' re-check was ${outcome}, expected ${label.recheck ?? 'none'}`,
      );
    } else if (label.recheck) {
      rechecks.right++;
    }
  }
  for (const index of unmatched) {
    const label = scenario.expected[index]!;
    perRule[label.rule].falseNegatives++;
    faults.push(
      `missed ${label.rule} in zone '${label.zoneId}' expected between ${label.confirmedBetween[0]}s and ${label.confirmedBetween[1]}s`,
    );
  }
  return { perRule, rechecks, faults };
}

export function addCounts(into: Record<RuleName, RuleCounts>, from: Record<RuleName, RuleCounts>): void {
  for (const rule of RULE_NAMES) {
    into[rule].truePositives += from[rule].truePositives;
    into[rule].falsePositives += from[rule].falsePositives;
    into[rule].falseNegatives += from[rule].falseNegatives;
  }
}

/** Precision and recall, or null where there is nothing to divide (no reports, or no labels). */
export function precisionRecall(c: RuleCounts): { precision: number | null; recall: number | null } {
  const reported = c.truePositives + c.falsePositives;
  const labelled = c.truePositives + c.falseNegatives;
  return {
    precision: reported === 0 ? null : c.truePositives / reported,
    recall: labelled === 0 ? null : c.truePositives / labelled,
  };
}
