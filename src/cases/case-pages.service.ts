import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import type { EnforcementWindow } from '../law/enforcement.js';
import { shanghaiDateOf, type LocalDate } from '../law/local-date.js';
import type { AfterDecisionService } from './after-decision.service.js';
import type { WithdrawalCard, WithdrawalService } from '../case-review/withdrawal.service.js';
import { caseDetail, type CaseDetail } from './case-detail.service.js';
import { partyPeriodsEnd } from './case-machine.js';
import { listCases, type CaseListItem, type CaseRow } from './case.repo.js';
import { listEvidence, type EvidenceItemRow } from '../violations/violation.repo.js';
import { windowFacts, type WindowFacts } from './window-pages.service.js';

/**
 * What the staff case pages show: the district's list, and one case with what this member of staff may do
 * next on it (legal review, waiver, decision, the steps after the decision).
 */

export interface CaseListPage {
  cases: CaseListItem[];
}

/** The case's periods after the decision and what is under way, for the card of the steps that follow. */
export interface AfterDecisionFacts {
  received: LocalDate;
  appeal: Awaited<ReturnType<AfterDecisionService['appealOf']>>;
  window: EnforcementWindow;
  /** the reconsideration or lawsuit under way, if any */
  open: { kind: string; from: LocalDate } | null;
  /** a reconsideration or lawsuit has ended */
  reviewed: boolean;
  /** when the demand to pay reached the party (overdue cases) */
  demand: LocalDate | null;
  today: LocalDate;
}

export interface CasePage {
  detail: CaseDetail;
  /** the day the party's statement (and hearing) periods end, while the decision waits for them */
  waitUntil: LocalDate | undefined;
  /** a legal reviewer or admin: may record the legal review and the steps after the decision */
  reviewer: boolean;
  /** the legal review form is shown */
  canReview: boolean;
  /** the review form asks how the party's statement was dealt with */
  withStatement: boolean;
  /** the waiver form is shown */
  canRecordWaiver: boolean;
  /** the agency head's decision card is shown */
  canDecide: boolean;
  afterDecision: AfterDecisionFacts | null;
  /** the evidence items of the case's violation, linked from the page */
  evidence: EvidenceItemRow[];
  /** what may be recorded from the designated window (statement, bank payment, postal receipt) */
  window: WindowFacts | null;
  /** withdrawals proposed and decided, and whether this member of staff may propose or decide one */
  withdrawal: WithdrawalCard;
}

const BEFORE_DECISION_STATES = [
  'statement_window',
  'statement_review',
  'hearing_requested',
  'awaiting_decision',
];
const AFTER_DECISION_STATES = ['payment_due', 'overdue', 'suspended', 'enforcement_referred'];

export async function caseListPage(
  pool: Pool,
  staff: StaffPrincipal,
  flagged: boolean,
): Promise<CaseListPage> {
  return { cases: await listCases(pool, districtScope(staff), { flagged, limit: 200, offset: 0 }) };
}

/** One case as its staff page shows it; the view itself is logged (see `caseDetail`). */
export async function casePage(
  pool: Pool,
  afterDecision: AfterDecisionService,
  staff: StaffPrincipal,
  caseId: string,
  withdrawals: WithdrawalService,
): Promise<CasePage> {
  const detail = await caseDetail(pool, staff, caseId);
  const c = detail.caseRow;
  const reviewer = staff.role === 'legal_reviewer' || staff.role === 'admin';
  const beforeDecision = BEFORE_DECISION_STATES.includes(c.status);
  const waitUntil = beforeDecision ? partyPeriodsEnd(c.snapshot) : undefined;
  return {
    detail,
    waitUntil,
    reviewer,
    canReview: reviewer && ['statement_review', 'hearing_requested', 'awaiting_decision'].includes(c.status),
    withStatement: c.status === 'statement_review' || c.status === 'hearing_requested',
    canRecordWaiver: waitUntil !== undefined && staff.role !== 'evidence_reviewer',
    canDecide: staff.role === 'agency_head' && beforeDecision && c.status !== 'statement_window',
    afterDecision: await afterDecisionFacts(afterDecision, c),
    evidence: await listEvidence(pool, c.violation_id),
    window: windowFacts(detail, staff, shanghaiDateOf(new Date())),
    withdrawal: await withdrawals.card(staff, c),
  };
}

async function afterDecisionFacts(
  service: AfterDecisionService,
  c: CaseRow,
): Promise<AfterDecisionFacts | null> {
  const s = c.snapshot;
  const received = s.steps.decision_received;
  if (!received || !AFTER_DECISION_STATES.includes(c.status)) return null;
  const open = s.pauses.find((p) => p.to === undefined);
  return {
    received,
    appeal: await service.appealOf(c.district_id),
    window: (await service.referralWindow(c))!,
    open: open ? { kind: open.kind, from: open.from } : null,
    reviewed: s.pauses.some((p) => p.to !== undefined),
    demand: c.status === 'overdue' ? await service.demandDeliveredOn(c.id) : null,
    today: shanghaiDateOf(new Date()),
  };
}
