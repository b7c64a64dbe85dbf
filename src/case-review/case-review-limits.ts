import type { CaseReviewLimits } from './case-review-rules.js';

/** The check limits out of the configuration (CASE_REVIEW_* variables, src/config/case-review.ts). */
export function caseReviewLimits(config: {
  caseReviewViolationDays: number;
  caseReviewTaskHours: number;
  caseReviewCaseOpenDays: number;
}): CaseReviewLimits {
  return {
    violationDays: config.caseReviewViolationDays,
    taskHours: config.caseReviewTaskHours,
    caseOpenDays: config.caseReviewCaseOpenDays,
  };
}
