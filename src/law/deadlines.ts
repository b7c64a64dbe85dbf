import type { WorkingCalendar } from './calendar.js';
import type { ProcedureSettings } from './catalogue.js';
import { formatCitation, type Citation } from './legal-citation.js';
import { addDays, assertLocalDate, daysBetween, type LocalDate } from './local-date.js';
import {
  DECISION_PERIOD_DAYS,
  DELIVERY_PERIOD_WORKING_DAYS,
  HEARING_REQUEST_WORKING_DAYS,
  PAYMENT_PERIOD_DAYS,
  PROCEDURE_CITATIONS,
} from './procedure-law.js';

/**
 * The deadline plan of a case. Each period starts the day after its event (the event's own day is not counted)
 * and its due date is the last day on which the act is still in time.
 *
 * - Working-day periods (APL art. 85: "五日", "七日") skip weekends and configured holidays and count make-up
 *   working days.
 * - Natural-day periods the party must meet (payment) move to the next working day when they end on a rest day,
 *   as Chinese procedural law extends a period that ends on a holiday.
 * - Natural-day periods the agency must meet (the 90-day decision) do not move: the agency plans to the
 *   earlier date rather than rely on an extension.
 */

export type DeadlineKey = 'statement' | 'hearing_request' | 'decision' | 'delivery' | 'payment';

export interface Deadline {
  key: DeadlineKey;
  dueOn: LocalDate;
  /** Who must act by `dueOn`. */
  owner: 'agency' | 'party';
  counting: 'natural' | 'working';
  /** The provision the period comes from, as printed in documents. */
  basis: string;
  /** True when the calendar year used is only provisional: check again once the holiday notice is out. */
  provisional: boolean;
}

export interface DeadlineEvents {
  filedOn: LocalDate;
  advanceNoticeReceivedOn?: LocalDate;
  /** Whether the proposed fine carries a hearing right (see `hearingRightApplies`). */
  hearingRight?: boolean;
  decidedOn?: LocalDate;
  decisionReceivedOn?: LocalDate;
}

export type DeadlinePlan = Partial<Record<DeadlineKey, Deadline>> & { decision: Deadline };

export function planDeadlines(
  events: DeadlineEvents,
  calendar: WorkingCalendar,
  procedure: ProcedureSettings,
): DeadlinePlan {
  assertLocalDate(events.filedOn, 'filedOn');
  const make = (
    key: DeadlineKey,
    dueOn: LocalDate,
    owner: Deadline['owner'],
    counting: Deadline['counting'],
    citation: Citation,
    from: LocalDate,
  ): Deadline => ({
    key,
    dueOn,
    owner,
    counting,
    basis: formatCitation(citation),
    provisional: calendar.isProvisional(from) || calendar.isProvisional(dueOn),
  });

  const decisionDue = addDays(events.filedOn, DECISION_PERIOD_DAYS);
  const plan: DeadlinePlan = {
    decision: {
      key: 'decision',
      dueOn: decisionDue,
      owner: 'agency',
      counting: 'natural',
      basis: formatCitation(PROCEDURE_CITATIONS.decisionPeriod),
      // A natural-day deadline that never moves does not depend on the holiday list.
      provisional: false,
    },
  };

  const noticed = events.advanceNoticeReceivedOn;
  if (noticed !== undefined) {
    assertLocalDate(noticed, 'advanceNoticeReceivedOn');
    plan.statement = make(
      'statement',
      calendar.addWorkingDays(noticed, procedure.statementWindowWorkingDays),
      'party',
      'working',
      PROCEDURE_CITATIONS.pudongNotice,
      noticed,
    );
    if (events.hearingRight) {
      plan.hearing_request = make(
        'hearing_request',
        calendar.addWorkingDays(noticed, HEARING_REQUEST_WORKING_DAYS),
        'party',
        'working',
        PROCEDURE_CITATIONS.hearingRequestPeriod,
        noticed,
      );
    }
  }
  if (events.decidedOn !== undefined) {
    assertLocalDate(events.decidedOn, 'decidedOn');
    plan.delivery = make(
      'delivery',
      calendar.addWorkingDays(events.decidedOn, DELIVERY_PERIOD_WORKING_DAYS),
      'agency',
      'working',
      PROCEDURE_CITATIONS.deliveryPeriod,
      events.decidedOn,
    );
  }
  if (events.decisionReceivedOn !== undefined) {
    assertLocalDate(events.decisionReceivedOn, 'decisionReceivedOn');
    const lastDay = addDays(events.decisionReceivedOn, PAYMENT_PERIOD_DAYS);
    plan.payment = make(
      'payment',
      calendar.onOrNextWorkingDay(lastDay),
      'party',
      'natural',
      PROCEDURE_CITATIONS.paymentPeriod,
      events.decisionReceivedOn,
    );
  }
  return plan;
}

/** The last day on which the party may still make a statement or ask for a hearing. */
export function statementPeriodEnd(deadlines: {
  statement?: LocalDate;
  hearing_request?: LocalDate;
}): LocalDate | undefined {
  const candidates = [deadlines.statement, deadlines.hearing_request].filter(
    (date): date is LocalDate => date !== undefined,
  );
  return candidates.sort().at(-1);
}

export interface PendingObligations {
  decision: boolean;
  delivery: boolean;
  payment: boolean;
}

export interface DeadlineFlag {
  /** A deadline of the plan, or `enforcement`: the window to ask the court to enforce an unpaid fine. */
  key: DeadlineKey | 'enforcement';
  dueOn: LocalDate;
  level: 'at_risk' | 'missed' | 'reminder';
  /** Days left counted the way the deadline is counted: natural or working. Negative once missed. */
  daysLeft: number;
  message: string;
}

/**
 * What a scheduled job should raise today: agency deadlines close to or past their limit, and a reminder to the
 * party before the payment deadline. Only obligations still open are checked.
 */
export function deadlineFlags(
  plan: DeadlinePlan,
  pending: PendingObligations,
  today: LocalDate,
  calendar: WorkingCalendar,
  procedure: ProcedureSettings,
): DeadlineFlag[] {
  const flags: DeadlineFlag[] = [];
  if (pending.decision) {
    const daysLeft = daysBetween(today, plan.decision.dueOn);
    if (daysLeft < 0) {
      flags.push({
        key: 'decision',
        dueOn: plan.decision.dueOn,
        level: 'missed',
        daysLeft,
        message: `decision was due by ${plan.decision.dueOn} (${plan.decision.basis})`,
      });
    } else if (daysLeft <= procedure.decisionWarnDays) {
      flags.push({
        key: 'decision',
        dueOn: plan.decision.dueOn,
        level: 'at_risk',
        daysLeft,
        message: `decision due by ${plan.decision.dueOn}: ${daysLeft} days left`,
      });
    }
  }
  if (pending.delivery && plan.delivery) {
    const due = plan.delivery.dueOn;
    const missed = daysBetween(today, due) < 0;
    const daysLeft = missed
      ? -calendar.workingDaysBetween(due, today)
      : calendar.workingDaysBetween(today, due);
    if (missed) {
      flags.push({
        key: 'delivery',
        dueOn: due,
        level: 'missed',
        daysLeft,
        message: `decision was to be delivered by ${due} (${plan.delivery.basis})`,
      });
    } else if (daysLeft <= procedure.deliveryWarnWorkingDays) {
      flags.push({
        key: 'delivery',
        dueOn: due,
        level: 'at_risk',
        daysLeft,
        message: `decision to be delivered by ${due}: ${daysLeft} working days left`,
      });
    }
  }
  if (pending.payment && plan.payment) {
    const daysLeft = daysBetween(today, plan.payment.dueOn);
    if (daysLeft >= 0 && daysLeft <= procedure.paymentWarnDays) {
      flags.push({
        key: 'payment',
        dueOn: plan.payment.dueOn,
        level: 'reminder',
        daysLeft,
        message: `fine to be paid by ${plan.payment.dueOn}: ${daysLeft} days left`,
      });
    }
  }
  return flags;
}
