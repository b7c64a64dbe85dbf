import { hearingRightApplies, type BenchmarkDecision } from '../law/benchmark.js';
import type { WorkingCalendar } from '../law/calendar.js';
import type { PartyKind, ProcedureSettings } from '../law/catalogue.js';
import type { RecordedCircumstance } from '../law/circumstances.js';
import {
  TRANSITIONS,
  type CaseEvent,
  type CaseEventType,
  type CaseSnapshot,
  type CaseState,
} from './case-state.js';
import { planDeadlines, statementPeriodEnd, type PendingObligations } from '../law/deadlines.js';
import { applyDefence } from '../law/defence.js';
import { computeLateFee } from '../law/late-fee.js';
import { addDays, assertLocalDate, compareDates, type LocalDate } from '../law/local-date.js';
import { assertFen } from '../law/money.js';

/**
 * The administrative penalty procedure as a pure state machine: `transition(snapshot, event, context)` returns
 * the next snapshot or throws a `CaseTransitionError` saying which rule the event breaks. Scheduled jobs call
 * `dueTimedEvents` to move cases whose periods have run out, and `pendingObligations` to flag deadlines.
 */

export interface MachineContext {
  calendar: WorkingCalendar;
  procedure: ProcedureSettings;
}

export class CaseTransitionError extends Error {
  override name = 'CaseTransitionError';
  constructor(
    readonly state: CaseState,
    readonly eventType: CaseEventType,
    reason: string,
  ) {
    super(`case in state ${state} cannot take ${eventType}: ${reason}`);
  }
}

export interface NewCase {
  catalogueVersion: string;
  violationCode: string;
  partyKind: PartyKind;
  onlineDeliveryConsent: boolean;
  statutoryRangeFen: { minFen: number; maxFen: number };
  filedOn: LocalDate;
  benchmark: BenchmarkDecision;
  /** What the legal reviewer found, each with its basis; the benchmark decision was taken on them. */
  circumstances?: RecordedCircumstance[];
  /** The catalogue marks this case complex or serious (`needsCollectiveDiscussion`). */
  collectiveDiscussionRequired?: boolean;
}

export function createCase(input: NewCase, context: MachineContext): CaseSnapshot {
  assertLocalDate(input.filedOn, 'filedOn');
  assertFen(input.benchmark.fineFen, 'benchmark fine');
  const plan = planDeadlines({ filedOn: input.filedOn }, context.calendar, context.procedure);
  return {
    state: 'filed',
    catalogueVersion: input.catalogueVersion,
    violationCode: input.violationCode,
    partyKind: input.partyKind,
    onlineDeliveryConsent: input.onlineDeliveryConsent,
    statutoryRangeFen: { ...input.statutoryRangeFen },
    filedOn: input.filedOn,
    proposedFineFen: input.benchmark.fineFen,
    fineFen: input.benchmark.fineFen,
    hearingRight: hearingRightApplies(input.benchmark.fineFen, input.partyKind, context.procedure),
    deadlines: { decision: plan.decision.dueOn },
    steps: {},
    lastEventOn: input.filedOn,
    rightsWaived: false,
    pauses: [],
    reasons: [...input.benchmark.reasons],
    circumstances: (input.circumstances ?? []).map((item) => ({ ...item })),
    collectiveDiscussionRequired: input.collectiveDiscussionRequired ?? false,
  };
}

export function transition(snapshot: CaseSnapshot, event: CaseEvent, context: MachineContext): CaseSnapshot {
  const fail = (reason: string): never => {
    throw new CaseTransitionError(snapshot.state, event.type, reason);
  };
  if (!TRANSITIONS[snapshot.state].includes(event.type)) {
    fail(`allowed here: ${TRANSITIONS[snapshot.state].join(', ') || 'nothing (the case is closed)'}`);
  }
  assertLocalDate(event.on, `${event.type} date`);
  if (compareDates(event.on, snapshot.lastEventOn) < 0) {
    fail(`dated ${event.on}, before the case's last step on ${snapshot.lastEventOn}`);
  }
  const next: CaseSnapshot = {
    ...snapshot,
    deadlines: { ...snapshot.deadlines },
    steps: { ...snapshot.steps, [event.type]: event.on },
    pauses: snapshot.pauses.map((pause) => ({ ...pause })),
    reasons: [...snapshot.reasons],
    lastEventOn: event.on,
  };
  const move = (state: CaseState): CaseSnapshot => ({ ...next, state });
  const deadline = (key: keyof CaseSnapshot['deadlines']): LocalDate =>
    snapshot.deadlines[key] ?? fail(`the case has no ${key} deadline yet`);

  switch (event.type) {
    case 'send_advance_notice':
      if (snapshot.proposedFineFen === 0)
        fail('no penalty is proposed; close the case without penalty instead');
      return move('advance_notice_sent');

    case 'advance_notice_received': {
      const plan = planDeadlines(
        { filedOn: snapshot.filedOn, advanceNoticeReceivedOn: event.on, hearingRight: snapshot.hearingRight },
        context.calendar,
        context.procedure,
      );
      next.deadlines.statement = plan.statement!.dueOn;
      if (plan.hearing_request) next.deadlines.hearing_request = plan.hearing_request.dueOn;
      return move('statement_window');
    }

    case 'statement_submitted':
      if (compareDates(event.on, deadline('statement')) > 0)
        fail(`the statement window closed on ${deadline('statement')}`);
      return move('statement_review');

    case 'hearing_requested':
      if (!snapshot.hearingRight)
        fail('the proposed fine is below the hearing threshold for this party (APL art. 63)');
      if (compareDates(event.on, deadline('hearing_request')) > 0) {
        fail(`a hearing had to be asked for by ${deadline('hearing_request')} (APL art. 64 (1))`);
      }
      return move('hearing_requested');

    case 'rights_waived':
      if (!event.waiverReference?.trim())
        fail("a waiver is recorded only with the reference of the party's written declaration");
      next.rightsWaived = true;
      next.waiverReference = event.waiverReference.trim();
      // A party that already made its statement keeps it under review; only the waiting ends.
      return move(snapshot.state === 'statement_window' ? 'awaiting_decision' : snapshot.state);

    case 'statement_window_elapsed': {
      const end = statementPeriodEnd(snapshot.deadlines);
      if (end === undefined || compareDates(event.on, end) <= 0)
        fail(`the statement window runs until ${end ?? 'an unknown day'}`);
      return move('awaiting_decision');
    }

    case 'legal_review': {
      if (!event.opinion.trim()) fail('a legal review records its opinion (APL art. 58)');
      if (!event.reviewerId.trim()) fail('a legal review records who made it');
      const afterStatement = snapshot.state === 'statement_review' || snapshot.state === 'hearing_requested';
      if (event.review && !afterStatement) fail('there is no statement or hearing to review');
      if (afterStatement && event.conclusion === 'approved' && !event.review)
        fail("the party's statement must be reviewed with the legal review (APL art. 45)");
      if (event.review)
        // Checked now, so that a review the decision could not apply is refused while the reviewer is at it.
        applyDefence(
          snapshot.proposedFineFen,
          event.review,
          snapshot.statutoryRangeFen,
          event.reductionApproved ?? false,
        );
      next.legalReview = {
        on: event.on,
        conclusion: event.conclusion,
        opinion: event.opinion.trim(),
        reviewerId: event.reviewerId,
        ...(event.review ? { review: event.review } : {}),
        ...(event.reductionApproved ? { reductionApproved: true } : {}),
      };
      return move(snapshot.state);
    }

    case 'decide':
      return decide(snapshot, next, event, fail);

    case 'deliver_decision':
      if (event.channel === 'online' && !snapshot.onlineDeliveryConsent) {
        fail("online delivery needs the party's recorded consent (APL art. 61 para. 2; Pudong art. 13)");
      }
      next.deliveryChannel = event.channel;
      return move('decision_delivered');

    case 'decision_received': {
      if (snapshot.fineFen === 0) return { ...move('closed'), outcome: 'no_penalty' };
      const plan = planDeadlines(
        { filedOn: snapshot.filedOn, decisionReceivedOn: event.on },
        context.calendar,
        context.procedure,
      );
      next.deadlines.payment = plan.payment!.dueOn;
      return move('payment_due');
    }

    case 'payment_deadline_passed':
      if (compareDates(event.on, deadline('payment')) <= 0)
        fail(`payment is in time until ${deadline('payment')}`);
      return move('overdue');

    case 'review_started':
      next.pauses.push({ kind: event.kind, from: event.on });
      next.suspendedFrom = snapshot.state as 'payment_due' | 'overdue';
      return move('suspended');

    case 'review_concluded': {
      const open =
        next.pauses.find((pause) => pause.to === undefined) ?? fail('no reconsideration or lawsuit is open');
      open.to = event.on;
      if (event.outcome === 'revoked') return { ...move('closed'), outcome: 'revoked' };
      if (event.outcome === 'varied') {
        const revised = event.revisedFineFen ?? fail('a varied decision must give the revised fine');
        assertFen(revised, 'revised fine');
        // Neither the reviewing body nor the court may make the party worse off for having asked for review.
        if (revised > snapshot.fineFen)
          fail(`a review may not raise the fine from ${snapshot.fineFen} to ${revised} fen`);
        next.fineFen = revised;
        if (revised === 0) return { ...move('closed'), outcome: 'no_penalty' };
      }
      next.suspendedFrom = undefined;
      return move(compareDates(event.on, deadline('payment')) > 0 ? 'overdue' : 'payment_due');
    }

    case 'payment_received': {
      const paidOn = event.paidOn ?? event.on;
      assertLocalDate(paidOn, 'payment date');
      if (compareDates(paidOn, event.on) > 0) fail(`paid on ${paidOn}, after the day it is recorded`);
      const received = snapshot.steps.decision_received;
      if (received !== undefined && compareDates(paidOn, received) < 0)
        fail(`paid on ${paidOn}, before the decision was received on ${received}`);
      const fee = computeLateFee({
        fineFen: snapshot.fineFen,
        paymentDueOn: deadline('payment'),
        asOf: paidOn,
        pauses: next.pauses,
      });
      if (event.amountFen !== fee.totalDueFen) {
        fail(
          `payment of ${event.amountFen} fen does not match the ${fee.totalDueFen} fen due on ${paidOn} (fine ${snapshot.fineFen} + late fee ${fee.lateFeeFen})`,
        );
      }
      next.paidFen = event.amountFen;
      next.lateFeePaidFen = fee.lateFeeFen;
      // Payment ends any open pause: nothing is left to accrue.
      for (const pause of next.pauses) pause.to ??= event.on;
      return move('paid');
    }

    case 'refer_for_enforcement':
      return move('enforcement_referred');

    case 'close_without_penalty':
      if (snapshot.proposedFineFen !== 0) fail('a penalty is proposed; the advance notice must be sent');
      return { ...move('closed'), outcome: 'no_penalty' };

    case 'withdraw':
      if (event.reason.trim() === '') fail('a withdrawal must give its reason');
      return { ...move('closed'), outcome: 'withdrawn', withdrawalReason: event.reason };

    case 'close':
      return { ...move('closed'), outcome: snapshot.state === 'paid' ? 'paid' : 'enforced' };
  }
}

function decide(
  snapshot: CaseSnapshot,
  next: CaseSnapshot,
  event: Extract<CaseEvent, { type: 'decide' }>,
  fail: (reason: string) => never,
): CaseSnapshot {
  const decisionDue = snapshot.deadlines.decision!;
  if (compareDates(event.on, decisionDue) > 0 && !event.extensionReference?.trim()) {
    fail(`the decision was due by ${decisionDue} (APL art. 60); give the approved extension's reference`);
  }
  const waitUntil = partyPeriodsEnd(snapshot);
  if (waitUntil !== undefined && compareDates(event.on, waitUntil) <= 0) {
    fail(
      `当事人的陈述、申辩${snapshot.deadlines.hearing_request ? '和要求听证' : ''}期限至${waitUntil}（北京时间）届满，${addDays(waitUntil, 1)}起方可作出决定；当事人书面放弃的，记录其放弃声明的文号 / ` +
        `the party's statement${snapshot.deadlines.hearing_request ? ' and hearing-request' : ''} periods run until ${waitUntil} (Beijing date, APL art. 45, 62, 64): decide from ${addDays(waitUntil, 1)}, or record the party's written waiver with its reference`,
    );
  }
  const legal = snapshot.legalReview;
  if (!legal) fail('the legal review (法制审核) comes before the decision (APL art. 58)');
  if (legal.conclusion !== 'approved')
    fail(`the legal review of ${legal.on} did not approve (APL art. 58): ${legal.opinion}`);
  if (snapshot.collectiveDiscussionRequired) {
    const discussion = event.collectiveDiscussion;
    if (
      !discussion ||
      discussion.participants.filter((p) => p.trim()).length < 3 ||
      !discussion.conclusion.trim()
    )
      fail(
        'the catalogue marks this case complex or serious: the decision rests on a collective discussion with its date, at least three participants and the conclusion (APL art. 57 para. 2)',
      );
    if (!isLocalDate(discussion.on)) fail('the collective discussion needs its date (YYYY-MM-DD)');
    if (compareDates(discussion.on, event.on) > 0)
      fail('the collective discussion cannot come after the decision');
    next.collectiveDiscussion = {
      on: discussion.on,
      participants: discussion.participants.map((p) => p.trim()).filter(Boolean),
      conclusion: discussion.conclusion.trim(),
    };
  }
  const afterStatement = snapshot.state === 'statement_review' || snapshot.state === 'hearing_requested';
  if (snapshot.state === 'hearing_requested' && !event.hearingRecordRef?.trim()) {
    fail('a decision after a hearing rests on the hearing record (APL art. 65); give its reference');
  }
  if (afterStatement) {
    const review =
      legal.review ?? fail("the party's statement must be reviewed before deciding (APL art. 45)");
    const outcome = applyDefence(
      snapshot.proposedFineFen,
      review,
      snapshot.statutoryRangeFen,
      legal.reductionApproved ?? false,
    );
    next.fineFen = outcome.fineFen;
    next.reasons.push(...outcome.reasons);
  }
  if (event.deciderId) next.decidedBy = event.deciderId;
  if (event.hearingRecordRef) next.hearingRecordRef = event.hearingRecordRef;
  if (event.extensionReference) next.decisionExtensionReference = event.extensionReference;
  return { ...next, state: 'decided' };
}

/**
 * The last day of the party's periods that a decision must wait for (APL art. 45, 62, 64): the statement
 * period and, where the hearing right applies, the hearing-request period. Undefined once the party waived them
 * in writing, or before the advance notice reached it (no decision can be taken then anyway).
 */
function isLocalDate(value: string): boolean {
  try {
    assertLocalDate(value, 'date');
    return true;
  } catch {
    return false;
  }
}

export function partyPeriodsEnd(snapshot: CaseSnapshot): LocalDate | undefined {
  if (snapshot.rightsWaived) return undefined;
  return statementPeriodEnd(snapshot.deadlines);
}

/** Events a scheduled job should apply today to cases whose periods have run out. */
export function dueTimedEvents(snapshot: CaseSnapshot, today: LocalDate): CaseEvent[] {
  if (snapshot.state === 'statement_window') {
    const end = statementPeriodEnd(snapshot.deadlines);
    if (end !== undefined && compareDates(today, end) > 0)
      return [{ type: 'statement_window_elapsed', on: today }];
  }
  if (
    snapshot.state === 'payment_due' &&
    snapshot.deadlines.payment &&
    compareDates(today, snapshot.deadlines.payment) > 0
  ) {
    return [{ type: 'payment_deadline_passed', on: today }];
  }
  return [];
}

const BEFORE_DECISION: readonly CaseState[] = [
  'filed',
  'advance_notice_sent',
  'statement_window',
  'statement_review',
  'hearing_requested',
  'awaiting_decision',
];

/** Which deadlines are still open, for `deadlineFlags`. The fine stays payable during a review (APL art. 73). */
export function pendingObligations(snapshot: CaseSnapshot): PendingObligations {
  return {
    decision: BEFORE_DECISION.includes(snapshot.state),
    delivery: snapshot.state === 'decided',
    payment: snapshot.state === 'payment_due' || snapshot.state === 'suspended',
  };
}
