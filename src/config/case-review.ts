import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** Case-file review (案卷评查): the limits of the automatic checks and how often they run (docs/supervision.md). */
export const caseReviewSchema = {
  caseReviewViolationDays: Type.Integer({
    minimum: 1,
    maximum: 365,
    description:
      'CASE_REVIEW_VIOLATION_DAYS: a confirmed violation still without a review decision this many days is flagged not pursued (有案不查)',
  }),
  caseReviewTaskHours: Type.Integer({
    minimum: 1,
    maximum: 8_760,
    description:
      'CASE_REVIEW_TASK_HOURS: a review task open or claimed this many hours is flagged not pursued',
  }),
  caseReviewCaseOpenDays: Type.Integer({
    minimum: 1,
    maximum: 3_650,
    description:
      'CASE_REVIEW_CASE_OPEN_DAYS: a case still open this many days after filing is flagged overdue (办案超期)',
  }),
  caseReviewIntervalS: Type.Integer({
    minimum: 60,
    maximum: 604_800,
    description: 'CASE_REVIEW_INTERVAL_S: how often the notify worker runs the case-file review checks',
  }),
};

export function readCaseReview(env: EnvReader) {
  return {
    caseReviewViolationDays: env.int('CASE_REVIEW_VIOLATION_DAYS', 3),
    caseReviewTaskHours: env.int('CASE_REVIEW_TASK_HOURS', 72),
    caseReviewCaseOpenDays: env.int('CASE_REVIEW_CASE_OPEN_DAYS', 180),
    caseReviewIntervalS: env.int('CASE_REVIEW_INTERVAL_S', 3_600),
  };
}
