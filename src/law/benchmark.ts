import {
  PARTY_KINDS,
  tierMatches,
  CatalogueError,
  type FineBand,
  type HarmLevel,
  type PartyKind,
  type ProcedureSettings,
  type ViolationType,
} from './catalogue.js';
import { formatCitation } from './legal-citation.js';
import { addDays, compareDates, type LocalDate } from './local-date.js';
import { assertFen, formatYuan } from './money.js';
import { PROCEDURE_CITATIONS } from './procedure-law.js';

/**
 * The discretion benchmark decision: which tier of the catalogue applies to this party and what it proposes,
 * with reasons a reviewer and the party can read. Statutory exemptions come first because no catalogue may
 * fine where the law says there is no penalty.
 */

/** APL art. 32 circumstances that require a lighter penalty. */
export const MITIGATING_FACTORS = {
  eliminated_harm: '主动消除或者减轻违法行为危害后果',
  coerced: '受他人胁迫或者诱骗实施违法行为',
  confessed_unknown_violation: '主动供述行政机关尚未掌握的违法行为',
  meritorious_cooperation: '配合行政机关查处违法行为有立功表现',
} as const;
export type MitigatingFactor = keyof typeof MITIGATING_FACTORS;

export const AGGRAVATING_FACTORS = {
  refused_correction: '经责令改正拒不改正',
  obstructed_enforcement: '阻碍执法人员依法执行职务',
  caused_public_complaints: '造成较大社会影响或者多次被投诉',
} as const;
export type AggravatingFactor = keyof typeof AGGRAVATING_FACTORS;

export interface Circumstances {
  /** The reviewer's finding that the violation is minor (违法行为轻微). */
  minorViolation: boolean;
  harm: HarmLevel;
  /** The party proved it bore no fault (APL art. 33 para. 2). */
  noFaultProven?: boolean;
  mitigating?: readonly MitigatingFactor[];
  aggravating?: readonly AggravatingFactor[];
}

export interface BenchmarkInput {
  partyKind: PartyKind;
  /** Decided violations of the same type by the same party in the 12 months before this one. */
  priorViolations: number;
  /** Whether the party corrected within the warn-first grace period (Pudong art. 15). */
  correctedInTime: boolean;
  circumstances: Circumstances;
}

export interface BenchmarkDecision {
  /** The catalogue tier id, or `statutory_*` when the law itself exempts the party. */
  tierId: string;
  tierLabel: string;
  penalty: 'none' | 'fine';
  /** 0 when `penalty` is `none`. */
  fineFen: number;
  /** The tier's band, within which a reviewer's change stays in the benchmark. */
  bandFen?: { minFen: number; maxFen: number };
  reasons: string[];
}

export function decideBenchmark(type: ViolationType, input: BenchmarkInput): BenchmarkDecision {
  const { partyKind, priorViolations, correctedInTime, circumstances } = input;
  if (!PARTY_KINDS.includes(partyKind)) throw new CatalogueError(`unknown party kind "${String(partyKind)}"`);
  if (!type.fineRangeFen[partyKind]) {
    throw new CatalogueError(
      `violation type ${type.code} cannot be committed by a party of kind ${partyKind}`,
    );
  }
  if (!Number.isInteger(priorViolations) || priorViolations < 0) {
    throw new RangeError(`priorViolations must be a whole number >= 0, got ${priorViolations}`);
  }
  const history =
    priorViolations === 0
      ? '当事人十二个月内无同类违法记录'
      : `当事人十二个月内有同类违法记录${priorViolations}次`;

  if (circumstances.noFaultProven) {
    return noPenalty('statutory_no_fault', '无主观过错', [
      `当事人有证据足以证明没有主观过错，依据${formatCitation(PROCEDURE_CITATIONS.noPenaltyNoFault)}不予行政处罚`,
    ]);
  }
  if (circumstances.minorViolation && correctedInTime && circumstances.harm === 'none') {
    return noPenalty('statutory_minor_corrected', '违法行为轻微并及时改正', [
      `违法行为轻微并及时改正，没有造成危害后果，依据${formatCitation(PROCEDURE_CITATIONS.noPenaltyMinorCorrected)}、${formatCitation(PROCEDURE_CITATIONS.pudongWarnFirst)}不予行政处罚`,
    ]);
  }

  const situation = {
    priorViolations,
    correctedInTime,
    minorViolation: circumstances.minorViolation,
    harm: circumstances.harm,
  };
  const tier = type.tiers.find((candidate) => tierMatches(candidate.when, situation));
  if (!tier)
    throw new CatalogueError(`violation type ${type.code}: no tier decides ${JSON.stringify(situation)}`);
  if (tier.penalty.kind === 'none') return noPenalty(tier.id, tier.label, [history, tier.reason]);

  const band = tier.penalty[partyKind];
  if (!band)
    throw new CatalogueError(`violation type ${type.code} tier ${tier.id} has no band for ${partyKind}`);
  const { fineFen, reason } = placeInBand(band, circumstances);
  return {
    tierId: tier.id,
    tierLabel: tier.label,
    penalty: 'fine',
    fineFen,
    bandFen: { minFen: band.minFen, maxFen: band.maxFen },
    reasons: [history, tier.reason, reason, `拟处罚款${formatYuan(fineFen)}`],
  };
}

function noPenalty(tierId: string, tierLabel: string, reasons: string[]): BenchmarkDecision {
  return { tierId, tierLabel, penalty: 'none', fineFen: 0, reasons };
}

// Mitigation is a legal duty (APL art. 32) and takes the band's floor; aggravation takes its ceiling; when both
// are present neither wins automatically and the standard amount stands, leaving the weighing to the reviewer.
function placeInBand(band: FineBand, circumstances: Circumstances): { fineFen: number; reason: string } {
  const mitigating = [...new Set(circumstances.mitigating ?? [])];
  const aggravating = [...new Set(circumstances.aggravating ?? [])];
  const describe = (factors: readonly string[], names: Record<string, string>): string =>
    factors.map((factor) => names[factor] ?? factor).join('、');
  for (const factor of mitigating) {
    if (!(factor in MITIGATING_FACTORS)) throw new RangeError(`unknown mitigating factor "${factor}"`);
  }
  for (const factor of aggravating) {
    if (!(factor in AGGRAVATING_FACTORS)) throw new RangeError(`unknown aggravating factor "${factor}"`);
  }
  const mitigation = `具有${formatCitation(PROCEDURE_CITATIONS.mitigation)}规定的从轻情形（${describe(mitigating, MITIGATING_FACTORS)}）`;
  const aggravation = `具有从重情节（${describe(aggravating, AGGRAVATING_FACTORS)}）`;
  if (mitigating.length > 0 && aggravating.length > 0) {
    return { fineFen: band.standardFen, reason: `${mitigation}，同时${aggravation}，按本档标准额处罚` };
  }
  if (mitigating.length > 0) return { fineFen: band.minFen, reason: `${mitigation}，按本档最低额处罚` };
  if (aggravating.length > 0) return { fineFen: band.maxFen, reason: `${aggravation}，按本档最高额处罚` };
  return { fineFen: band.standardFen, reason: '无从轻、从重情节，按本档标准额处罚' };
}

/** APL art. 63: a proposed fine at or above the bureau's threshold for the party's kind carries a hearing right. */
export function hearingRightApplies(
  fineFen: number,
  partyKind: PartyKind,
  procedure: ProcedureSettings,
): boolean {
  assertFen(fineFen, 'fine');
  return fineFen > 0 && fineFen >= procedure.hearingThresholdFen[partyKind];
}

/** The first day of the 12-month look-back for repeat offences; 29 February steps back to 28 February. */
export function lookBackStart(violationDate: LocalDate): LocalDate {
  const [year, month, day] = violationDate.split('-').map(Number) as [number, number, number];
  const previous = `${year - 1}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (month === 2 && day === 29) return `${year - 1}-02-28`;
  // Validates the date on the way through.
  return addDays(previous, 0);
}

/** Counts decided violations in [violationDate - 12 months, violationDate). */
export function countPriorViolations(
  decidedViolationDates: readonly LocalDate[],
  violationDate: LocalDate,
): number {
  const from = lookBackStart(violationDate);
  return decidedViolationDates.filter(
    (date) => compareDates(date, from) >= 0 && compareDates(date, violationDate) < 0,
  ).length;
}
