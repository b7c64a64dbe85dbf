/** Rejection reason codes; the first two count as false positives in the per-camera feedback. */
export const REJECT_REASONS = {
  not_violation: 'Not a violation',
  false_detection: 'False detection (wrong object or no object)',
  exempt: 'Exempt (permitted activity, emergency, authorised event)',
  insufficient_evidence: 'Insufficient evidence',
  duplicate: 'Duplicate of another violation',
  other: 'Other (explain)',
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;
export const REJECT_REASON_CODES = Object.keys(REJECT_REASONS) as RejectReason[];

export type ReviewStage = 'evidence' | 'legal';
export type ReviewDecision = 'approve' | 'reject' | 'more_evidence';
