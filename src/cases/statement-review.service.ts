import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { listCaseNotices, recordPostalReceipt } from '../notices/notice.repo.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import type { CollectiveDiscussion, LegalReviewConclusion } from './case-state.js';
import type { CaseService } from './case.service.js';
import { applyDefence, type DefenceReview } from '../law/defence.js';
import { assertLocalDate, compareDates } from '../law/local-date.js';
import { findCase } from './case.repo.js';
import { findCaseHearing } from './hearing.repo.js';
import { previewDecision, type DecisionPreview } from './decision-preview.js';
import { findParty } from '../parties/party.repo.js';
import {
  pendingStatements,
  recordStatementReview,
  type PendingStatement,
  type StatementRow,
} from '../portal/portal.repo.js';

/**
 * The legal reviewers' side of the procedure after the advance notice: the party's statements waiting in their
 * district, the review that decides the case (a defence may lower or drop the fine, never raise it:
 * `applyDefence` in the machine), a decision when no statement came, and a postal delivery recorded by hand.
 */

export type StatementOutcome = 'accept' | 'partly_accept' | 'reject';

export interface StatementReviewInput {
  outcome: StatementOutcome;
  /** The fine after the review: required for a partial acceptance; a full acceptance drops the penalty unless given. */
  revisedFineFen?: number;
  reasons: string[];
  reductionApproved?: boolean;
  /** The legal review's opinion; the reasons when not given. */
  opinion?: string;
  conclusion?: LegalReviewConclusion;
}

export interface LegalReviewInput {
  conclusion: LegalReviewConclusion;
  opinion: string;
  /** Where the party made a statement: how it is answered. */
  outcome?: StatementOutcome;
  revisedFineFen?: number;
  reasons?: string[];
  /** Approval of a fine below the statutory minimum (减轻处罚). */
  reductionApproved?: boolean;
}

export interface DecideInput {
  extensionReference?: string;
  /** Needed when the party asked for a hearing (APL art. 65). */
  hearingRecordRef?: string;
  collectiveDiscussion?: CollectiveDiscussion;
}

const REVIEWERS = ['legal_reviewer', 'admin'] as const;
/** Only the agency head decides (APL art. 57): not the legal reviewer, whose review comes first (art. 58). */
const DECIDERS = ['agency_head'] as const;
const REVIEW_STATUS: Record<StatementOutcome, Exclude<StatementRow['review_status'], 'pending'>> = {
  accept: 'accepted',
  partly_accept: 'partly_accepted',
  reject: 'rejected',
};

export class StatementReviewService {
  constructor(
    private readonly pool: Pool,
    private readonly cases: CaseService,
  ) {}

  async pending(principal: StaffPrincipal): Promise<PendingStatement[]> {
    assertRole(principal, REVIEWERS);
    return pendingStatements(this.pool, districtScope(principal));
  }

  /**
   * The legal review (法制审核, APL art. 58) by a legal reviewer of the district: the opinion and conclusion and,
   * where the party made a statement, the review of it that the decision will apply (a defence may lower or drop
   * the fine, never raise it). The decision itself is the agency head's (`decide`).
   */
  async legalReview(
    principal: StaffPrincipal,
    caseId: string,
    input: LegalReviewInput,
  ): Promise<{ state: string; conclusion: LegalReviewConclusion; fineFen: number }> {
    assertRole(principal, REVIEWERS);
    const opinion = input.opinion.trim();
    if (!opinion) throw new ValidationError('a legal review records its opinion (APL art. 58)');
    const reasons = (input.reasons ?? []).map((r) => r.trim()).filter(Boolean);
    if (input.outcome === 'partly_accept' && input.revisedFineFen === undefined)
      throw new ValidationError('a partial acceptance states the revised fine');
    if (input.outcome && reasons.length === 0)
      throw new ValidationError('a statement review gives its reasons');
    const review: DefenceReview | undefined = !input.outcome
      ? undefined
      : input.outcome === 'reject'
        ? { accepted: false, reasons }
        : { accepted: true, revisedFineFen: input.revisedFineFen ?? 0, reasons };
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      if (!['statement_review', 'hearing_requested', 'awaiting_decision'].includes(row.status))
        throw new ConflictError(
          `case ${row.case_number} is not waiting for a legal review (it is ${row.status})`,
        );
      const withStatement = row.status !== 'awaiting_decision';
      if (withStatement && input.conclusion === 'approved' && !review)
        throw new ValidationError(
          "the party's statement is answered in the legal review: give outcome and reasons",
        );
      if (!withStatement && review) throw new ValidationError('there is no statement to review');
      const snapshot = await this.cases.applyEvent(
        tx,
        row,
        {
          type: 'legal_review',
          on: this.cases.today(),
          conclusion: input.conclusion,
          opinion,
          reviewerId: principal.id,
          ...(review ? { review } : {}),
          ...(input.reductionApproved ? { reductionApproved: true } : {}),
        },
        { kind: 'staff', id: principal.id },
        input.outcome ? { outcome: input.outcome } : {},
      );
      const fineFen = review
        ? applyDefence(
            snapshot.proposedFineFen,
            review,
            snapshot.statutoryRangeFen,
            input.reductionApproved ?? false,
          ).fineFen
        : snapshot.fineFen;
      if (review && input.outcome && input.conclusion === 'approved') {
        const outcome = {
          outcome: input.outcome,
          fineFen,
          proposedFineFen: snapshot.proposedFineFen,
          reasons,
        };
        const answered = await recordStatementReview(tx, caseId, {
          status: REVIEW_STATUS[input.outcome],
          reviewerId: principal.id,
          outcome,
        });
        await appendAudit(tx, {
          actorKind: 'staff',
          actorId: principal.id,
          action: 'statement.review',
          subjectKind: 'case',
          subjectId: caseId,
          districtId: row.district_id,
          data: { ...outcome, statements: answered },
        });
      }
      return { state: snapshot.state, conclusion: input.conclusion, fineFen };
    });
  }

  /** The statement review as one step: an approving legal review whose opinion is the reasons unless given. */
  async review(
    principal: StaffPrincipal,
    caseId: string,
    input: StatementReviewInput,
  ): Promise<{ state: string; conclusion: LegalReviewConclusion; fineFen: number }> {
    const reasons = input.reasons.map((r) => r.trim()).filter(Boolean);
    if (reasons.length === 0) throw new ValidationError('a statement review gives its reasons');
    return this.legalReview(principal, caseId, {
      ...input,
      conclusion: input.conclusion ?? 'approved',
      opinion: input.opinion?.trim() || reasons.join('；'),
    });
  }

  /** What the decision would say if the agency head took it now (the page's confirm step; the API's preview). */
  async previewDecision(principal: StaffPrincipal, caseId: string): Promise<DecisionPreview> {
    assertRole(principal, [...DECIDERS, ...REVIEWERS]);
    const row = await findCase(this.pool, caseId);
    if (!row) throw new NotFoundError('case');
    if (!canActInDistrict(principal, row.district_id))
      throw new ForbiddenError('case belongs to another district');
    const party = row.party_id ? await findParty(this.pool, row.party_id) : null;
    if (!party) throw new ConflictError('the case has no party to decide against');
    return previewDecision(row.snapshot, {
      name: party.name,
      onlineDeliveryConsent: party.online_delivery_consent,
      phone: party.phone,
      email: party.email,
      address: party.address,
    });
  }

  /**
   * The decision, by the agency head (行政机关负责人, APL art. 57) of the case's district, after a legal review that
   * approved; for a case the catalogue marks complex or serious, with the record of the collective discussion.
   */
  async decide(
    principal: StaffPrincipal,
    caseId: string,
    input: DecideInput,
  ): Promise<{ state: string; fineFen: number }> {
    assertRole(principal, DECIDERS);
    const discussedOn = input.collectiveDiscussion?.on;
    if (discussedOn !== undefined) {
      try {
        assertLocalDate(discussedOn, 'collective discussion date');
      } catch {
        throw new ValidationError(`the collective discussion date ${discussedOn} is not a date (YYYY-MM-DD)`);
      }
    }
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      // After a hearing the decision rests on its record (APL art. 65): the record held in the system.
      let hearingRecordRef = input.hearingRecordRef?.trim();
      if (row.status === 'hearing_requested' && !hearingRecordRef) {
        const hearing = await findCaseHearing(tx, caseId);
        if (hearing?.status !== 'held' || !hearing.record_sha256)
          throw new ConflictError(
            `the decision rests on the hearing record (APL art. 65): the hearing is ${hearing?.status ?? 'not organised'}`,
          );
        hearingRecordRef = `听证笔录 SHA-256 ${hearing.record_sha256}`;
      }
      const snapshot = await this.cases.applyEvent(
        tx,
        row,
        {
          type: 'decide',
          on: this.cases.today(),
          deciderId: principal.id,
          ...(input.extensionReference?.trim()
            ? { extensionReference: input.extensionReference.trim() }
            : {}),
          ...(hearingRecordRef ? { hearingRecordRef } : {}),
          ...(input.collectiveDiscussion ? { collectiveDiscussion: input.collectiveDiscussion } : {}),
        },
        { kind: 'staff', id: principal.id },
      );
      return { state: snapshot.state, fineFen: snapshot.fineFen };
    });
  }

  /**
   * Staff record the party's written waiver of the rest of its statement and hearing periods (a declaration
   * signed at the window or sent in), with its reference and the day it was received. Without it a decision
   * waits until those periods have ended.
   */
  async recordWaiver(
    principal: StaffPrincipal,
    caseId: string,
    input: { reference: string; receivedOn?: string },
  ): Promise<{ state: string; waiverReference: string }> {
    assertRole(principal, ['district_staff', 'legal_reviewer', 'admin']);
    const reference = input.reference.trim();
    if (!reference)
      throw new ValidationError("a waiver is recorded with the reference of the party's declaration");
    const on = input.receivedOn ?? this.cases.today();
    assertLocalDate(on, 'receivedOn');
    if (compareDates(on, this.cases.today()) > 0)
      throw new ValidationError('a waiver cannot be received in the future');
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const snapshot = await this.cases.applyEvent(
        tx,
        row,
        { type: 'rights_waived', on, waiverReference: reference },
        { kind: 'staff', id: principal.id },
        { via: 'written declaration' },
      );
      return { state: snapshot.state, waiverReference: reference };
    });
  }

  /** Staff record a document delivered by post on the day the signed return receipt shows. */
  async recordPostalDelivery(
    principal: StaffPrincipal,
    caseId: string,
    noticeId: string,
    receivedOn: string,
  ): Promise<{ state: string }> {
    assertRole(principal, ['district_staff', 'legal_reviewer', 'admin']);
    assertLocalDate(receivedOn, 'receivedOn');
    if (compareDates(receivedOn, this.cases.today()) > 0)
      throw new ValidationError('a delivery cannot be received in the future');
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const notice = (await listCaseNotices(tx, caseId)).find((n) => n.id === noticeId);
      if (!notice) throw new NotFoundError('notice');
      const actor = { kind: 'staff' as const, id: principal.id };
      if (notice.kind === 'advance_notice') {
        await this.cases.applyEvent(tx, row, { type: 'advance_notice_received', on: receivedOn }, actor, {
          noticeId,
          via: 'post',
        });
      } else if (notice.kind === 'decision') {
        if (row.status === 'decided')
          await this.cases.applyEvent(
            tx,
            row,
            { type: 'deliver_decision', on: receivedOn, channel: 'post' },
            actor,
            { noticeId },
          );
        await this.cases.applyEvent(tx, row, { type: 'decision_received', on: receivedOn }, actor, {
          noticeId,
          via: 'post',
        });
      }
      await recordPostalReceipt(tx, noticeId, receivedOn);
      return { state: row.status };
    });
  }
}
