import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * The rules that raise and lower a shop's risk level (风险等级升降规则), versioned like the penalty catalogue: one
 * file per version in config/shop-risk/, the newest in force on a day applies, and a district may override any
 * part of it. Every change of level records the version it was made under. Pure: no I/O.
 */

export const RISK_LEVELS = ['high', 'medium', 'low'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The length of one inspection cycle: working days of the project's calendar, calendar days or months. */
const CycleSchema = Type.Union([
  Type.Object({ workingDays: Type.Integer({ minimum: 1, maximum: 60 }) }, { additionalProperties: false }),
  Type.Object({ days: Type.Integer({ minimum: 1, maximum: 366 }) }, { additionalProperties: false }),
  Type.Object({ months: Type.Integer({ minimum: 1, maximum: 12 }) }, { additionalProperties: false }),
]);
export type Cycle = Static<typeof CycleSchema>;

const Level = Type.Union(RISK_LEVELS.map((l) => Type.Literal(l)));
const Steps = Type.Integer({ minimum: 0, maximum: 2 });

const SettingsProps = {
  initialLevel: Level,
  cycles: Type.Object(
    { high: CycleSchema, medium: CycleSchema, low: CycleSchema },
    { additionalProperties: false },
  ),
  raise: Type.Object(
    {
      /** a case filed against the shop: the violation is confirmed */
      caseFiled: Steps,
      /** a complaint about the shop found substantiated (属实) */
      complaintSubstantiated: Steps,
      /** an inspection that found a problem */
      problemFound: Steps,
    },
    { additionalProperties: false },
  ),
  lower: Type.Object(
    {
      /** whole cycles at the current level, all clean, before the level goes down one step */
      cleanCycles: Type.Integer({ minimum: 1, maximum: 12 }),
      /** whether a camera's non-site check is needed beside the clean inspections */
      requireCameraObservation: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
  /** how far back a case or complaint not yet taken into account is still applied */
  eventLookbackDays: Type.Integer({ minimum: 1, maximum: 366 }),
};

export const RiskSettingsSchema = Type.Object(SettingsProps, { additionalProperties: false });
export type RiskSettings = Static<typeof RiskSettingsSchema>;

const DistrictOverride = Type.Partial(Type.Object(SettingsProps), { additionalProperties: false });

export const RiskRulesSchema = Type.Object(
  {
    version: Type.String({ pattern: '^\\d{4}\\.\\d{1,3}$' }),
    effectiveFrom: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    title: Type.String({ minLength: 1 }),
    basis: Type.String({ minLength: 1 }),
    ...SettingsProps,
    districts: Type.Record(Type.String({ minLength: 1, maxLength: 32 }), DistrictOverride),
  },
  { additionalProperties: false },
);
export type RiskRules = Static<typeof RiskRulesSchema>;

/** The settings of one district under one version, with the version named. */
export interface DistrictRiskRules extends RiskSettings {
  version: string;
}

export class RiskRulesError extends Error {
  override name = 'RiskRulesError';
}

export function parseRiskRules(raw: unknown): RiskRules {
  const error = Value.Errors(RiskRulesSchema, raw).First();
  if (error) throw new RiskRulesError(`shop risk rules: ${error.path || '/'} ${error.message}`);
  return raw as RiskRules;
}

/** The newest version in force on `date` (YYYY-MM-DD). */
export function riskRulesInForce(all: Iterable<RiskRules>, date: string): RiskRules {
  let best: RiskRules | undefined;
  for (const rules of all) {
    if (rules.effectiveFrom <= date && (!best || rules.effectiveFrom > best.effectiveFrom)) best = rules;
  }
  if (!best) throw new RiskRulesError(`no shop risk rules are in force on ${date}`);
  return best;
}

/** A version's settings for a district: the district's overrides over the version's defaults. */
export function rulesForDistrict(rules: RiskRules, districtId: string): DistrictRiskRules {
  const o = rules.districts[districtId] ?? {};
  return {
    version: rules.version,
    initialLevel: o.initialLevel ?? rules.initialLevel,
    cycles: o.cycles ?? rules.cycles,
    raise: o.raise ?? rules.raise,
    lower: o.lower ?? rules.lower,
    eventLookbackDays: o.eventLookbackDays ?? rules.eventLookbackDays,
  };
}

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

export function levelRank(level: RiskLevel): number {
  return RANK[level];
}

function levelAt(rank: number): RiskLevel {
  return rank <= 0 ? 'low' : rank === 1 ? 'medium' : 'high';
}

/** What raises a level. */
export type RaiseEvent = 'caseFiled' | 'complaintSubstantiated' | 'problemFound';

export interface LevelChange {
  to: RiskLevel;
  /** the rule that made it, e.g. `raise.caseFiled` or `lower.cleanCycles` */
  rule: string;
}

/** The level after an event that raises it; null when it stays (already high, or the rule counts 0 steps). */
export function raiseFor(level: RiskLevel, event: RaiseEvent, rules: DistrictRiskRules): LevelChange | null {
  const to = levelAt(Math.min(2, RANK[level] + rules.raise[event]));
  return to === level ? null : { to, rule: `raise.${event}` };
}

/** What is known of the shop over the clean-cycle window that lowering looks at. */
export interface CleanWindowFacts {
  /** whole cycles the shop has held its current level, up to today */
  cyclesAtLevel: number;
  /** compliant on-site inspections in the window */
  compliantInspections: number;
  /** inspections in the window that found a problem */
  problemInspections: number;
  /** cases filed or complaints substantiated in the window */
  raisingEvents: number;
  /** a camera covering the shop's frontage was online and saw no violation in the window */
  cameraClean: boolean;
}

/**
 * A level goes down one step after `cleanCycles` whole cycles at it that were all clean: at least one compliant
 * inspection and none that found a problem, no case filed and no complaint substantiated, and (where the rules ask
 * for it) a camera watching the frontage that saw nothing. Low stays low.
 */
export function lowerFor(
  level: RiskLevel,
  facts: CleanWindowFacts,
  rules: DistrictRiskRules,
): LevelChange | null {
  if (level === 'low') return null;
  const { cleanCycles, requireCameraObservation } = rules.lower;
  if (facts.cyclesAtLevel < cleanCycles) return null;
  if (facts.problemInspections > 0 || facts.raisingEvents > 0) return null;
  if (facts.compliantInspections < 1) return null;
  if (requireCameraObservation && !facts.cameraClean) return null;
  return { to: levelAt(RANK[level] - 1), rule: 'lower.cleanCycles' };
}
