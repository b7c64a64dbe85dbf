import { formatCitation } from './legal-citation.js';
import { assertFen, formatYuan } from './money.js';
import { PROCEDURE_CITATIONS } from './procedure-law.js';

/**
 * The review of a party's statement and defence (陈述、申辩). What the party proves must be accepted, and a
 * statement may never bring a heavier penalty (APL art. 45 para. 2; Pudong art. 12 para. 2): the outcome can
 * only keep, lower or drop the proposed fine, whatever the reviewer types.
 */

export interface DefenceReview {
  /** Whether the facts, reasons or evidence the party gave were found to stand. */
  accepted: boolean;
  /** The fine after accepting the defence; 0 drops the penalty. Required when accepted, ignored otherwise. */
  revisedFineFen?: number;
  /** The reviewer's reasons, quoted in the decision. */
  reasons: readonly string[];
}

export interface StatutoryRange {
  minFen: number;
  maxFen: number;
}

export interface DefenceOutcome {
  fineFen: number;
  effect: 'dropped' | 'lowered' | 'kept';
  reasons: string[];
}

export class DefenceError extends Error {
  override name = 'DefenceError';
}

/**
 * `range` is the statutory range for the party's kind. A revised fine below its minimum is a reduced penalty
 * (减轻处罚) and needs `reductionApproved`, which the bureau's leadership gives; a fine of 0 drops the penalty.
 */
export function applyDefence(
  proposedFineFen: number,
  review: DefenceReview,
  range: StatutoryRange,
  reductionApproved = false,
): DefenceOutcome {
  assertFen(proposedFineFen, 'proposed fine');
  if (review.reasons.length === 0 || review.reasons.some((reason) => reason.trim() === '')) {
    throw new DefenceError(
      'a statement review must give its reasons (APL art. 45: the agency re-checks and answers)',
    );
  }
  const noHeavier = `依据${formatCitation(PROCEDURE_CITATIONS.statementRight)}，不因当事人陈述、申辩而给予更重的处罚`;

  if (!review.accepted) {
    if (review.revisedFineFen !== undefined && review.revisedFineFen !== proposedFineFen) {
      throw new DefenceError(
        `a rejected defence keeps the proposed fine of ${proposedFineFen} fen; got a revised fine of ${review.revisedFineFen} fen`,
      );
    }
    return {
      fineFen: proposedFineFen,
      effect: 'kept',
      reasons: ['当事人提出的事实、理由和证据经复核不成立，不予采纳', ...review.reasons, noHeavier],
    };
  }

  if (review.revisedFineFen === undefined) {
    throw new DefenceError('an accepted defence must state the revised fine (0 to drop the penalty)');
  }
  const revised = review.revisedFineFen;
  assertFen(revised, 'revised fine');
  if (revised > proposedFineFen) {
    throw new DefenceError(
      `an accepted defence cannot raise the fine from ${proposedFineFen} to ${revised} fen (APL art. 45 para. 2)`,
    );
  }
  if (revised > 0 && revised < range.minFen && !reductionApproved) {
    throw new DefenceError(
      `a revised fine of ${revised} fen is below the statutory minimum of ${range.minFen} fen; a reduced penalty needs approval`,
    );
  }
  const accepted = '当事人提出的事实、理由或者证据成立，予以采纳';
  if (revised === 0) {
    return { fineFen: 0, effect: 'dropped', reasons: [accepted, ...review.reasons, '不予行政处罚'] };
  }
  if (revised < proposedFineFen) {
    return {
      fineFen: revised,
      effect: 'lowered',
      reasons: [
        accepted,
        ...review.reasons,
        `罚款由${formatYuan(proposedFineFen)}调整为${formatYuan(revised)}`,
      ],
    };
  }
  return {
    fineFen: revised,
    effect: 'kept',
    reasons: [accepted, ...review.reasons, '采纳的事实不影响处罚数额', noHeavier],
  };
}
