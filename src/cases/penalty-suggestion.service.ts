import type { Queryable } from '../db/pool.js';
import { findParty } from '../parties/party.repo.js';
import { ValidationError } from '../shared/errors.js';
import { priorViolationsOfParty, type ViolationRow } from '../violations/violation.repo.js';
import { decideBenchmark, type BenchmarkDecision } from '../law/benchmark.js';
import { findViolationType, type Catalogue, type PartyKind } from '../law/catalogue.js';
import { currentCatalogue } from '../law/catalogue-store.js';
import {
  benchmarkInputFrom,
  circumstanceReasons,
  CircumstanceError,
  normaliseCircumstances,
  type RecordedCircumstance,
} from '../law/circumstances.js';
import { shanghaiDateOf, type LocalDate } from '../law/local-date.js';

/**
 * The penalty the benchmark suggests for a violation, from the circumstances the legal reviewer records and the
 * party's decided violations of the same type in the 12 months before. The workbench shows it as the reviewer
 * ticks circumstances, and the filing uses the same function, so the case carries exactly what was shown.
 */

export interface PenaltySuggestion {
  catalogue: Catalogue;
  priorViolations: number;
  circumstances: RecordedCircumstance[];
  /** One per party kind: the party's own kind, or every kind that can commit the violation when none is chosen. */
  suggestions: { partyKind: PartyKind; decision: BenchmarkDecision }[];
}

export async function suggestPenalty(
  db: Queryable,
  violation: ViolationRow,
  partyId: string | null,
  recorded: readonly RecordedCircumstance[],
  on: LocalDate = shanghaiDateOf(new Date()),
): Promise<PenaltySuggestion> {
  const catalogue = await currentCatalogue(on);
  const type = findViolationType(catalogue, violation.violation_type);
  const party = partyId ? await findParty(db, partyId) : null;
  if (partyId && (!party || party.district_id !== violation.district_id))
    throw new ValidationError("the party is not in this district's register");
  const prior = party
    ? (await priorViolationsOfParty(db, party.id, violation.confirmed_at, violation.id)).filter(
        (p) => p.violation_type === violation.violation_type,
      ).length
    : 0;
  const kinds: PartyKind[] = party
    ? [party.kind === 'person' ? 'individual' : 'unit']
    : (['individual', 'unit'] as const).filter((k) => type.fineRangeFen[k]);
  try {
    const input = benchmarkInputFrom(recorded, prior);
    const lines = circumstanceReasons(recorded);
    const suggestions = kinds.map((partyKind) => {
      if (!type.fineRangeFen[partyKind])
        throw new ValidationError(
          `a ${partyKind} cannot commit ${type.code} under catalogue ${catalogue.version}`,
        );
      const decision = decideBenchmark(type, { ...input, partyKind });
      return { partyKind, decision: { ...decision, reasons: [...lines, ...decision.reasons] } };
    });
    return {
      catalogue,
      priorViolations: prior,
      circumstances: normaliseCircumstances(recorded),
      suggestions,
    };
  } catch (error) {
    if (error instanceof CircumstanceError) throw new ValidationError(error.message);
    throw error;
  }
}
