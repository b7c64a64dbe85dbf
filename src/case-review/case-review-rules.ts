import type { DeadlineFlag } from '../law/deadlines.js';
import { daysBetween, type LocalDate } from '../law/local-date.js';

/**
 * The automatic checks of case-file review (案卷评查), pure: given what the repository read, which subjects are
 * findings. The plan names three problems: cases not pursued (有案不查), overdue cases (办案超期) and arbitrary
 * withdrawal (随意撤案). Limits come from the configuration (src/config/case-review.ts).
 */

export interface CaseReviewLimits {
  /** a confirmed violation still without a reviewer's decision this many days after confirmation */
  violationDays: number;
  /** a review task (evidence or legal stage) open or claimed this many hours */
  taskHours: number;
  /** a case still open this many days after filing, whatever its deadlines */
  caseOpenDays: number;
}

export type FindingKind = 'not_pursued' | 'overdue' | 'withdrawal' | 'rejection';
export const FINDING_KINDS: readonly FindingKind[] = ['not_pursued', 'overdue', 'withdrawal', 'rejection'];
export type FindingSubject = 'violation' | 'case' | 'review_task' | 'withdrawal';

export interface Finding {
  /** one finding per subject and what was found: the same key on the next run updates it */
  key: string;
  districtId: string;
  kind: FindingKind;
  subjectKind: FindingSubject;
  subjectId: string;
  detail: Record<string, unknown>;
}

/** A violation waiting for a reviewer, with its open review task. */
export interface WaitingViolation {
  violationId: string;
  districtId: string;
  violationType: string;
  confirmedAt: Date;
  taskId: string;
  stage: string;
  taskCreatedAt: Date;
}

const HOUR_MS = 3_600_000;

/** 有案不查: confirmed violations left unreviewed past a limit, or whose review task waits past its limit. */
export function notPursued(
  items: readonly WaitingViolation[],
  now: Date,
  limits: CaseReviewLimits,
): Finding[] {
  const out: Finding[] = [];
  for (const v of items) {
    const waitedDays = Math.floor((now.getTime() - v.confirmedAt.getTime()) / (24 * HOUR_MS));
    const taskHours = Math.floor((now.getTime() - v.taskCreatedAt.getTime()) / HOUR_MS);
    const exceeded: string[] = [];
    if (waitedDays >= limits.violationDays) exceeded.push('violationDays');
    if (taskHours >= limits.taskHours) exceeded.push('taskHours');
    if (exceeded.length === 0) continue;
    out.push({
      key: `not_pursued:${v.violationId}`,
      districtId: v.districtId,
      kind: 'not_pursued',
      subjectKind: 'violation',
      subjectId: v.violationId,
      detail: {
        violationType: v.violationType,
        confirmedAt: v.confirmedAt.toISOString(),
        taskId: v.taskId,
        stage: v.stage,
        waitedDays,
        taskHours,
        exceeded,
      },
    });
  }
  return out;
}

/** An open case with its deadline flags as computed for today. */
export interface OpenCase {
  caseId: string;
  caseNumber: string;
  districtId: string;
  status: string;
  filedOn: LocalDate;
  flags: readonly DeadlineFlag[];
}

/**
 * 办案超期: an agency deadline missed (the decision within 90 days of filing, APL art. 60; delivery within seven
 * days of the decision, art. 61; the window to ask the court to enforce), or a case open past the configured
 * limit. The party's payment reminder is not the agency's deadline and is left out.
 */
export function overdueCases(
  cases: readonly OpenCase[],
  today: LocalDate,
  limits: CaseReviewLimits,
): Finding[] {
  const out: Finding[] = [];
  for (const c of cases) {
    for (const f of c.flags) {
      if (f.level !== 'missed') continue;
      out.push({
        key: `overdue:${c.caseId}:${f.key}`,
        districtId: c.districtId,
        kind: 'overdue',
        subjectKind: 'case',
        subjectId: c.caseId,
        detail: {
          caseNumber: c.caseNumber,
          status: c.status,
          deadline: f.key,
          dueOn: f.dueOn,
          daysLate: -f.daysLeft,
        },
      });
    }
    const openDays = daysBetween(c.filedOn, today);
    if (openDays >= limits.caseOpenDays) {
      out.push({
        key: `overdue:${c.caseId}:open`,
        districtId: c.districtId,
        kind: 'overdue',
        subjectKind: 'case',
        subjectId: c.caseId,
        detail: {
          caseNumber: c.caseNumber,
          status: c.status,
          deadline: 'open',
          filedOn: c.filedOn,
          openDays,
        },
      });
    }
  }
  return out;
}

export interface WithdrawalRecord {
  withdrawalId: string;
  caseId: string;
  caseNumber: string;
  districtId: string;
  status: 'proposed' | 'approved' | 'refused';
  reason: string;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
}

export interface RejectionRecord {
  taskId: string;
  violationId: string;
  districtId: string;
  stage: string;
  violationType: string;
  reasonCode: string | null;
  reasonText: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

/** 随意撤案: every withdrawal (proposed, approved or refused) and every review rejection, with reason and who. */
export function withdrawalsAndRejections(
  withdrawals: readonly WithdrawalRecord[],
  rejections: readonly RejectionRecord[],
): Finding[] {
  return [
    ...withdrawals.map((w): Finding => ({
      key: `withdrawal:${w.withdrawalId}`,
      districtId: w.districtId,
      kind: 'withdrawal',
      subjectKind: 'withdrawal',
      subjectId: w.withdrawalId,
      detail: {
        caseId: w.caseId,
        caseNumber: w.caseNumber,
        status: w.status,
        reason: w.reason,
        proposedBy: w.proposedBy,
        proposedAt: w.proposedAt.toISOString(),
        decidedBy: w.decidedBy,
        decidedAt: w.decidedAt?.toISOString() ?? null,
        decisionNote: w.decisionNote,
      },
    })),
    ...rejections.map((r): Finding => ({
      key: `rejection:${r.taskId}`,
      districtId: r.districtId,
      kind: 'rejection',
      subjectKind: 'review_task',
      subjectId: r.taskId,
      detail: {
        violationId: r.violationId,
        stage: r.stage,
        violationType: r.violationType,
        reasonCode: r.reasonCode,
        reasonText: r.reasonText,
        decidedBy: r.decidedBy,
        decidedAt: r.decidedAt?.toISOString() ?? null,
      },
    })),
  ];
}

/** Kinds a run resolves when it no longer finds them; the record kinds stay. */
export const RESOLVING_KINDS: readonly FindingKind[] = ['not_pursued', 'overdue'];
