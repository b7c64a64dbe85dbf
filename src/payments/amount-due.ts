import type { CaseRow } from '../cases/case.repo.js';
import { computeLateFee, type LateFee } from '../law/late-fee.js';
import { shanghaiDateOf, type LocalDate } from '../law/local-date.js';

/** The case states in which the fine can be paid. */
export const PAYABLE_STATES = ['payment_due', 'overdue', 'suspended'];

/** What a payment made on `asOf` must be (fine + late fee, APL art. 72); null when the case is not payable. */
export function amountDueOn(row: Pick<CaseRow, 'snapshot'>, asOf: LocalDate): LateFee | null {
  const s = row.snapshot;
  if (!PAYABLE_STATES.includes(s.state) || !s.deadlines.payment) return null;
  return computeLateFee({
    fineFen: s.fineFen,
    paymentDueOn: s.deadlines.payment,
    asOf,
    pauses: s.pauses,
  });
}

/** Orders carry one day's late fee, so they stop being payable at midnight in Shanghai. */
export function endOfShanghaiDay(now: Date): Date {
  const day = shanghaiDateOf(now);
  return new Date(`${day}T23:59:59.999+08:00`);
}
