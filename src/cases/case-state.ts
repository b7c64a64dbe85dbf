import type { PartyKind } from '../law/catalogue.js';
import type { RecordedCircumstance } from '../law/circumstances.js';
import type { DeadlineKey } from '../law/deadlines.js';
import type { DefenceReview } from '../law/defence.js';
import type { PauseInterval, PauseKind } from '../law/late-fee.js';
import type { LocalDate } from '../law/local-date.js';

/**
 * The states, events and record of a case's procedure. The snapshot is plain JSON so the database can keep it
 * as it is; `case-machine.ts` holds the rules that move it.
 */

export const CASE_STATES = [
  'filed',
  'advance_notice_sent',
  'statement_window',
  'statement_review',
  'hearing_requested',
  'awaiting_decision',
  'decided',
  'decision_delivered',
  'payment_due',
  'overdue',
  'suspended',
  'paid',
  'enforcement_referred',
  'closed',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export type CaseOutcome = 'no_penalty' | 'paid' | 'revoked' | 'withdrawn' | 'enforced';
export type DeliveryChannel = 'online' | 'in_person' | 'post' | 'announcement';

export type CaseEvent =
  /** The proposed penalty, facts and rights go out (APL art. 44; Pudong art. 11). */
  | { type: 'send_advance_notice'; on: LocalDate }
  | { type: 'advance_notice_received'; on: LocalDate }
  | { type: 'statement_submitted'; on: LocalDate }
  | { type: 'hearing_requested'; on: LocalDate }
  /**
   * The party expressly gives up the rest of its statement and hearing periods in writing (APL art. 62, last
   * clause); the reference of that writing is kept, because without it the decision must wait for the periods.
   */
  | { type: 'rights_waived'; on: LocalDate; waiverReference: string }
  /** Timed: the statement and hearing windows have both passed. */
  | { type: 'statement_window_elapsed'; on: LocalDate }
  /**
   * The legal review (法制审核) before the decision (APL art. 58): the reviewer's opinion and conclusion and, after
   * a statement or hearing, the review of the party's defence that the decision will apply.
   */
  | {
      type: 'legal_review';
      on: LocalDate;
      conclusion: LegalReviewConclusion;
      opinion: string;
      reviewerId: string;
      review?: DefenceReview;
      reductionApproved?: boolean;
    }
  | {
      type: 'decide';
      on: LocalDate;
      /** The agency head who takes the decision (APL art. 57). */
      deciderId?: string;
      /** Required for a case the catalogue marks complex or serious (APL art. 57 para. 2). */
      collectiveDiscussion?: CollectiveDiscussion;
      /** Reference of the hearing record the decision rests on (APL art. 65). */
      hearingRecordRef?: string;
      /** Reference of an approved extension when deciding after the 90-day limit. */
      extensionReference?: string;
    }
  | { type: 'deliver_decision'; on: LocalDate; channel: DeliveryChannel }
  | { type: 'decision_received'; on: LocalDate }
  /** Timed: the payment deadline has passed unpaid. */
  | { type: 'payment_deadline_passed'; on: LocalDate }
  | { type: 'review_started'; on: LocalDate; kind: PauseKind }
  | {
      type: 'review_concluded';
      on: LocalDate;
      outcome: 'upheld' | 'varied' | 'revoked';
      revisedFineFen?: number;
    }
  | {
      type: 'payment_received';
      on: LocalDate;
      amountFen: number;
      /** The day the party paid, when the payment is recorded later (a bank receipt): the late fee is counted to it. */
      paidOn?: LocalDate;
    }
  | { type: 'refer_for_enforcement'; on: LocalDate }
  | { type: 'close_without_penalty'; on: LocalDate }
  | { type: 'withdraw'; on: LocalDate; reason: string }
  | { type: 'close'; on: LocalDate };

export type CaseEventType = CaseEvent['type'];

export type LegalReviewConclusion = 'approved' | 'rejected';

export interface LegalReviewRecord {
  on: LocalDate;
  conclusion: LegalReviewConclusion;
  opinion: string;
  reviewerId: string;
  review?: DefenceReview;
  reductionApproved?: boolean;
}

/** The record of the agency's collective discussion (集体讨论) of a complex or serious case. */
export interface CollectiveDiscussion {
  on: LocalDate;
  participants: string[];
  conclusion: string;
}

/** Which events each state accepts before guards are checked; the text diagram in docs/procedure.md follows it. */
export const TRANSITIONS: Readonly<Record<CaseState, readonly CaseEventType[]>> = {
  filed: ['send_advance_notice', 'close_without_penalty', 'withdraw'],
  advance_notice_sent: ['advance_notice_received', 'withdraw'],
  statement_window: [
    'statement_submitted',
    'hearing_requested',
    'rights_waived',
    'statement_window_elapsed',
    'withdraw',
  ],
  statement_review: ['hearing_requested', 'rights_waived', 'legal_review', 'decide', 'withdraw'],
  hearing_requested: ['legal_review', 'decide', 'withdraw'],
  awaiting_decision: ['legal_review', 'decide', 'withdraw'],
  decided: ['deliver_decision'],
  decision_delivered: ['decision_received'],
  payment_due: ['payment_deadline_passed', 'review_started', 'payment_received'],
  overdue: ['review_started', 'payment_received', 'refer_for_enforcement'],
  suspended: ['review_concluded', 'payment_received'],
  paid: ['close'],
  enforcement_referred: ['close'],
  closed: [],
};

export interface CaseSnapshot {
  state: CaseState;
  /** Catalogue version whose benchmark proposed the fine. */
  catalogueVersion: string;
  violationCode: string;
  partyKind: PartyKind;
  /** The party agreed in writing to online delivery (APL art. 61 para. 2; Pudong art. 13). */
  onlineDeliveryConsent: boolean;
  /** Statutory range for the party's kind, kept so a later review is checked against the law in force at filing. */
  statutoryRangeFen: { minFen: number; maxFen: number };
  filedOn: LocalDate;
  /** The fine proposed in the advance notice; the decision may never exceed it. */
  proposedFineFen: number;
  /** The fine now in force: after the defence review, a hearing, or a reconsideration that varied it. */
  fineFen: number;
  hearingRight: boolean;
  deadlines: Partial<Record<DeadlineKey, LocalDate>>;
  /** Dates of the steps taken so far. */
  steps: Partial<Record<CaseEventType, LocalDate>>;
  /** The date of the latest event: no event may be dated before it. */
  lastEventOn: LocalDate;
  rightsWaived: boolean;
  /** The reference of the party's written waiver (a signed declaration, or the portal record of it). */
  waiverReference?: string;
  hearingRecordRef?: string;
  decisionExtensionReference?: string;
  deliveryChannel?: DeliveryChannel;
  pauses: PauseInterval[];
  /** Where a concluded review returns to. */
  suspendedFrom?: 'payment_due' | 'overdue';
  paidFen?: number;
  lateFeePaidFen?: number;
  outcome?: CaseOutcome;
  withdrawalReason?: string;
  /** Reasons for the decided fine: the benchmark's, then the defence review's. */
  reasons: string[];
  /** The latest legal review; a decision needs one that approved (APL art. 58). */
  legalReview?: LegalReviewRecord;
  /** The catalogue marks the case complex or serious: the decision needs a collective discussion (APL art. 57). */
  collectiveDiscussionRequired?: boolean;
  collectiveDiscussion?: CollectiveDiscussion;
  /** Who decided (the agency head). */
  decidedBy?: string;
  /** The circumstances the legal reviewer recorded at filing (absent on cases filed before they were kept). */
  circumstances?: RecordedCircumstance[];
}
