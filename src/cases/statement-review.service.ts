import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { insertDelivery, listCaseNotices } from '../notices/notice.repo.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import type { CaseEvent } from './case-state.js';
import type { CaseService } from './case.service.js';
import type { DefenceReview } from './defence.js';
import { assertLocalDate, compareDates } from './local-date.js';

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
  /** Needed when the party asked for a hearing (APL art. 65). */
  hearingRecordRef?: string;
  extensionReference?: string;
}

export interface PendingStatement {
  statement_id: string;
  case_id: string;
  case_number: string;
  district_id: string;
  status: string;
  party_name: string | null;
  proposed_fine_fen: number;
  body: string;
  attachments: { name: string; contentType: string; size: number; sha256: string }[];
  submitted_at: Date;
}

const REVIEWERS = ['legal_reviewer', 'admin'] as const;
const REVIEW_STATUS: Record<StatementOutcome, string> = {
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
    const { rows } = await this.pool.query<PendingStatement>(
      `select s.id as statement_id, c.id as case_id, c.case_number, c.district_id, c.status, p.name as party_name, c.proposed_fine_fen,
              s.body, s.attachments, s.submitted_at
         from statements s join cases c on c.id = s.case_id left join parties p on p.id = c.party_id
        where s.review_status = 'pending' and ($1::text is null or c.district_id = $1)
        order by s.submitted_at`,
      [districtScope(principal)],
    );
    return rows;
  }

  /** Reviews every pending statement of the case at once and decides the case with that review. */
  async review(
    principal: StaffPrincipal,
    caseId: string,
    input: StatementReviewInput,
  ): Promise<{ state: string; fineFen: number }> {
    assertRole(principal, REVIEWERS);
    const reasons = input.reasons.map((r) => r.trim()).filter(Boolean);
    if (reasons.length === 0) throw new ValidationError('a statement review gives its reasons');
    if (input.outcome === 'partly_accept' && input.revisedFineFen === undefined)
      throw new ValidationError('a partial acceptance states the revised fine');
    const review: DefenceReview =
      input.outcome === 'reject'
        ? { accepted: false, reasons }
        : { accepted: true, revisedFineFen: input.revisedFineFen ?? 0, reasons };
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      if (row.status !== 'statement_review' && row.status !== 'hearing_requested') {
        throw new ConflictError(
          `case ${row.case_number} has no statement or hearing to review (it is ${row.status})`,
        );
      }
      const event: CaseEvent = {
        type: 'decide',
        on: this.cases.today(),
        review,
        hearingRecordRef: input.hearingRecordRef,
        reductionApproved: input.reductionApproved,
        extensionReference: input.extensionReference,
      };
      const snapshot = await this.cases.applyEvent(
        tx,
        row,
        event,
        { kind: 'staff', id: principal.id },
        { outcome: input.outcome },
      );
      const outcome = {
        outcome: input.outcome,
        fineFen: snapshot.fineFen,
        proposedFineFen: snapshot.proposedFineFen,
        reasons,
      };
      const updated = await tx.query(
        `update statements set review_status = $2, reviewed_by = $3, reviewed_at = now(), outcome = $4 where case_id = $1 and review_status = 'pending'`,
        [caseId, REVIEW_STATUS[input.outcome], principal.id, JSON.stringify(outcome)],
      );
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'statement.review',
        subjectKind: 'case',
        subjectId: caseId,
        districtId: row.district_id,
        data: { ...outcome, statements: updated.rowCount },
      });
      return { state: snapshot.state, fineFen: snapshot.fineFen };
    });
  }

  /** A decision when no statement is waiting: the window passed or the party waived it. */
  async decide(
    principal: StaffPrincipal,
    caseId: string,
    input: { extensionReference?: string },
  ): Promise<{ state: string }> {
    assertRole(principal, REVIEWERS);
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const snapshot = await this.cases.applyEvent(
        tx,
        row,
        { type: 'decide', on: this.cases.today(), extensionReference: input.extensionReference },
        { kind: 'staff', id: principal.id },
      );
      return { state: snapshot.state };
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
      const postal = await tx.query(
        `update deliveries set status = 'delivered', delivered_at = $2, updated_at = now() where notice_id = $1 and channel = 'postal'`,
        [noticeId, receivedOn],
      );
      if (postal.rowCount === 0)
        await insertDelivery(tx, { noticeId, channel: 'postal', address: null, status: 'delivered' });
      await tx.query(
        'update notices set acknowledged_at = coalesce(acknowledged_at, $2::date) where id = $1',
        [noticeId, receivedOn],
      );
      return { state: row.status };
    });
  }
}
