import type { DeadlineFlag } from './deadlines.js';
import { addDays, compareDates, daysBetween, maxDate, type LocalDate } from './local-date.js';

/*
 * When an unpaid fine may go to the people's court for compulsory enforcement. The bureau has no power to
 * enforce a fine itself, so after the payment deadline it may only apply to the court, and only:
 *
 * - once the party can no longer ask for administrative reconsideration or sue (Administrative Compulsion Law
 *   art. 53: "在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定的"), the periods being the agency's
 *   `reconsiderationDays` and `litigationMonths` from the day the decision was received;
 * - within three months of that period's end (art. 53: "自期限届满之日起三个月内");
 * - at least ten days after a written demand to pay (催告书) reached the party (art. 54: "催告书送达十日后当事人
 *   仍未履行义务的").
 *
 * The Administrative Compulsion Law is not among the texts in shared/law; the ten days and three months below
 * are quoted from it and must be confirmed for the bureau like the appeal periods (docs/procedure.md).
 *
 * When the party did ask for review and it concluded, the decision became final through that review; the
 * appeal-period condition is then replaced by the final document's reference, which the staff must give.
 */

/** Administrative Compulsion Law art. 54: the demand must have been delivered this many days before. */
export const DEMAND_WAIT_DAYS = 10;
/** Administrative Compulsion Law art. 53: the application is made within this many months of the period's end. */
export const APPLICATION_WINDOW_MONTHS = 3;

export interface AppealPeriods {
  reconsiderationDays: number;
  litigationMonths: number;
}

/** The same day `months` calendar months later, or the month's last day when it has no such day. */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface EnforcementWindow {
  /** The last day the party could still ask for reconsideration or sue. */
  appealEndsOn: LocalDate;
  /** The first day the court may be asked, given the demand's delivery (when there was one). */
  earliestOn: LocalDate;
  /** The last day the court may be asked. */
  latestOn: LocalDate;
}

export function enforcementWindow(
  decisionReceivedOn: LocalDate,
  appeal: AppealPeriods,
  demandDeliveredOn: LocalDate | null,
): EnforcementWindow {
  const appealEndsOn = maxDate(
    addDays(decisionReceivedOn, appeal.reconsiderationDays),
    addMonths(decisionReceivedOn, appeal.litigationMonths),
  );
  const afterAppeal = addDays(appealEndsOn, 1);
  const afterDemand = demandDeliveredOn ? addDays(demandDeliveredOn, DEMAND_WAIT_DAYS + 1) : afterAppeal;
  return {
    appealEndsOn,
    earliestOn: maxDate(afterAppeal, afterDemand),
    latestOn: addMonths(appealEndsOn, APPLICATION_WINDOW_MONTHS),
  };
}

export interface ReferralFacts {
  /** The day of the application to the court. */
  on: LocalDate;
  today: LocalDate;
  decisionReceivedOn: LocalDate;
  demandDeliveredOn: LocalDate;
  appeal: AppealPeriods;
  /** A reconsideration or lawsuit was brought and has concluded. */
  reviewed: boolean;
  /** The reference of the reconsideration decision or judgment that made the decision final. */
  finalDocumentRef?: string;
}

/** Why the court may not be asked on `on`, or null when it may. */
export function referralRefusal(f: ReferralFacts): string | null {
  if (compareDates(f.on, f.today) > 0) return `the application date ${f.on} is in the future`;
  if (compareDates(f.demandDeliveredOn, f.decisionReceivedOn) < 0) {
    return `the demand to pay (${f.demandDeliveredOn}) cannot come before the decision was received (${f.decisionReceivedOn})`;
  }
  if (compareDates(f.demandDeliveredOn, f.on) > 0) {
    return `the demand to pay (${f.demandDeliveredOn}) was delivered after the application date ${f.on}`;
  }
  const window = enforcementWindow(f.decisionReceivedOn, f.appeal, f.demandDeliveredOn);
  const afterDemand = addDays(f.demandDeliveredOn, DEMAND_WAIT_DAYS + 1);
  if (compareDates(f.on, afterDemand) < 0) {
    return `the demand to pay reached the party on ${f.demandDeliveredOn}: the court may be asked from ${afterDemand}, ${DEMAND_WAIT_DAYS} days later (Administrative Compulsion Law art. 54)`;
  }
  if (f.reviewed) {
    if (!f.finalDocumentRef?.trim()) {
      return 'after a reconsideration or lawsuit, give the reference of the decision or judgment that made the penalty final';
    }
    return null;
  }
  if (compareDates(f.on, window.appealEndsOn) <= 0) {
    return `the party may still ask for reconsideration or sue until ${window.appealEndsOn}: the court may be asked from ${addDays(window.appealEndsOn, 1)} (Administrative Compulsion Law art. 53)`;
  }
  if (compareDates(f.on, window.latestOn) > 0) {
    return `the three months to apply to the court ended on ${window.latestOn} (Administrative Compulsion Law art. 53)`;
  }
  return null;
}

/** Days before the court window closes from which an overdue case is flagged at risk. */
export const ENFORCEMENT_WARN_DAYS = 30;

/**
 * The flag of an unpaid fine whose window to ask the court is open and closing, or has closed: without it an
 * overdue case can sit until the bureau has lost the means to enforce it. None after a concluded review (the
 * window then runs from the final document, which the system does not date) or in any other state.
 */
export function enforcementFlag(
  c: { state: string; decisionReceivedOn: LocalDate | undefined; reviewed: boolean },
  appeal: AppealPeriods,
  today: LocalDate,
): DeadlineFlag | null {
  if (c.state !== 'overdue' || !c.decisionReceivedOn || c.reviewed) return null;
  const window = enforcementWindow(c.decisionReceivedOn, appeal, null);
  const daysLeft = daysBetween(today, window.latestOn);
  if (daysLeft < 0) {
    return {
      key: 'enforcement',
      dueOn: window.latestOn,
      level: 'missed',
      daysLeft,
      message: `the three months to apply to the court ended on ${window.latestOn} (Administrative Compulsion Law art. 53)`,
    };
  }
  if (compareDates(today, window.earliestOn) >= 0 && daysLeft <= ENFORCEMENT_WARN_DAYS) {
    return {
      key: 'enforcement',
      dueOn: window.latestOn,
      level: 'at_risk',
      daysLeft,
      message: `apply to the court by ${window.latestOn}: ${daysLeft} days left, with a demand to pay delivered at least ${DEMAND_WAIT_DAYS} days before`,
    };
  }
  return null;
}
