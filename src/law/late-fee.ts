import { assertLocalDate, compareDates, fromDayNumber, toDayNumber, type LocalDate } from './local-date.js';
import { assertFen } from './money.js';
import { LATE_FEE_PERCENT_PER_DAY } from './procedure-law.js';

/**
 * The late fee (加处罚款) of APL art. 72 (1): 3 % of the fine for every day the fine is overdue, never more than
 * the fine; the days of a reconsideration or a lawsuit are not counted (art. 73 para. 3).
 *
 * Counting: the first chargeable day is the day after the payment deadline, and a payment on day D counts D as
 * overdue (due 15 May, paid 16 May: one day). A pause covers its first and last days inclusive, both in the
 * party's favour; an open pause (no end yet) covers every day from its start.
 *
 * Rounding: the fee is computed once from the whole count, fine × 3 × days / 100, and rounded down to whole fen.
 * Summing rounded daily amounts would let rounding drift with the number of days; rounding down means the party
 * is never charged a fraction of a fen the law does not ask for. Fines in whole yuan never round at all.
 */

export type PauseKind = 'reconsideration' | 'litigation';

export interface PauseInterval {
  kind: PauseKind;
  /** The day the application or lawsuit was filed. */
  from: LocalDate;
  /** The day the reconsideration decision or the judgment took effect; absent while still pending. */
  to?: LocalDate;
}

export interface LateFeeInput {
  fineFen: number;
  /** The last day to pay without a late fee. */
  paymentDueOn: LocalDate;
  /** The day to compute for: today, or the day of payment. */
  asOf: LocalDate;
  pauses?: readonly PauseInterval[];
}

export interface LateFee {
  lateFeeFen: number;
  /** Days after the deadline, up to `asOf`, that are not paused. */
  chargeableDays: number;
  /** Days after the deadline, up to `asOf`, that a pause excluded. */
  pausedDays: number;
  /** True when the fee has reached the fine and stops growing. */
  capped: boolean;
  /** Fine plus late fee: what a payment on `asOf` must be. */
  totalDueFen: number;
}

/** Days of charging after which 3 % a day has reached the whole fine. */
export const DAYS_TO_CAP = Math.ceil(100 / LATE_FEE_PERCENT_PER_DAY);

export function computeLateFee(input: LateFeeInput): LateFee {
  const { fineFen, paymentDueOn, asOf } = input;
  assertFen(fineFen, 'fine');
  assertLocalDate(paymentDueOn, 'paymentDueOn');
  assertLocalDate(asOf, 'asOf');
  const firstDay = toDayNumber(paymentDueOn) + 1;
  const lastDay = toDayNumber(asOf);
  const overdueDays = Math.max(0, lastDay - firstDay + 1);
  const pausedDays = overdueDays === 0 ? 0 : countPausedDays(input.pauses ?? [], firstDay, lastDay);
  const chargeableDays = overdueDays - pausedDays;
  const uncapped = Math.floor(
    (fineFen * LATE_FEE_PERCENT_PER_DAY * Math.min(chargeableDays, DAYS_TO_CAP)) / 100,
  );
  const lateFeeFen = Math.min(fineFen, uncapped);
  return {
    lateFeeFen,
    chargeableDays,
    pausedDays,
    capped: fineFen > 0 && lateFeeFen === fineFen,
    totalDueFen: fineFen + lateFeeFen,
  };
}

// Pauses may overlap (a lawsuit after a reconsideration); merging first counts each day once.
function countPausedDays(pauses: readonly PauseInterval[], firstDay: number, lastDay: number): number {
  const ranges = pauses
    .map((pause, index) => {
      assertLocalDate(pause.from, `pause ${index} from`);
      if (pause.to !== undefined) {
        assertLocalDate(pause.to, `pause ${index} to`);
        if (compareDates(pause.to, pause.from) < 0) {
          throw new RangeError(
            `pause ${index} (${pause.kind}) ends on ${pause.to}, before it starts on ${pause.from}`,
          );
        }
      }
      const start = Math.max(firstDay, toDayNumber(pause.from));
      const end = Math.min(lastDay, pause.to === undefined ? lastDay : toDayNumber(pause.to));
      return [start, end] as const;
    })
    .filter(([start, end]) => start <= end)
    .sort((a, b) => a[0] - b[0]);
  let counted = 0;
  let coveredUpTo = firstDay - 1;
  for (const [start, end] of ranges) {
    const from = Math.max(start, coveredUpTo + 1);
    if (end >= from) counted += end - from + 1;
    coveredUpTo = Math.max(coveredUpTo, end);
  }
  return counted;
}

/**
 * The day the fee reaches the fine, given the pauses known so far; useful to tell a party when the amount stops
 * growing. An open pause means the day cannot be known yet (undefined).
 */
export function capReachedOn(
  paymentDueOn: LocalDate,
  pauses: readonly PauseInterval[] = [],
): LocalDate | undefined {
  if (pauses.some((pause) => pause.to === undefined)) return undefined;
  let day = toDayNumber(paymentDueOn);
  let charged = 0;
  while (charged < DAYS_TO_CAP) {
    day += 1;
    const date = fromDayNumber(day);
    const paused = pauses.some(
      (pause) => compareDates(date, pause.from) >= 0 && compareDates(date, pause.to!) <= 0,
    );
    if (!paused) charged += 1;
  }
  return fromDayNumber(day);
}
