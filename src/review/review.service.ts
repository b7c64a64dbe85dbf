import { createHash } from 'node:crypto';
import {
  CircumstanceError,
  normaliseCircumstances,
  type RecordedCircumstance,
} from '../law/circumstances.js';
import { suggestPenalty, type PenaltySuggestion } from '../cases/penalty-suggestion.service.js';
import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { listParties, partyInDistrict, type PartyRow } from '../parties/party.repo.js';
import { dispatchFieldTask } from '../field-tasks/field-task-dispatch.service.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import {
  findViolation,
  listEvidence,
  setViolationStatus,
  type ViolationRow,
} from '../violations/violation.repo.js';
import {
  REJECT_REASON_CODES,
  type RejectReason,
  type ReviewDecision,
  type ReviewStage,
} from './review-reasons.js';
import {
  claimNextTask,
  completeTask,
  extendLease,
  findHeldTask,
  findTask,
  insertReviewTask,
  releaseTask,
  type ClaimFilter,
  type ReviewTaskRow,
} from './review.repo.js';

export interface DecisionInput {
  decision: ReviewDecision;
  reasonCode?: RejectReason;
  reasonText?: string;
  /** legal stage: the party the case is against */
  partyId?: string;
  /** legal stage: the circumstances found, each with its basis (APL art. 32-34) */
  circumstances?: RecordedCircumstance[];
  /** legal stage: the evidence is approved but the party is unknown: the patrol identifies it (派单) */
  sendToField?: boolean;
}

/** What happens when the legal stage approves: the cases stage turns the violation into a case, in the same transaction. */
export interface ApprovalHook {
  onLegalApproved(
    tx: PoolClient,
    violation: ViolationRow,
    partyId: string,
    reviewer: StaffPrincipal,
    circumstances: readonly RecordedCircumstance[],
  ): Promise<FiledCase>;
}

/** The case a legal approval filed: the workbench shows its number and links to it. */
export interface FiledCase {
  id: string;
  number: string;
}

export interface VerifiedEvidence {
  id: string;
  kind: string;
  label: string;
  sha256: string;
  capturedAt: string | null;
  verified: boolean;
}

const PARTY_PICKER_LIMIT = 100;

const STAGE_ROLES: Record<ReviewStage, readonly StaffPrincipal['role'][]> = {
  evidence: ['evidence_reviewer', 'admin'],
  legal: ['legal_reviewer', 'admin'],
};

export class ReviewService {
  constructor(
    private readonly pool: Pool,
    private readonly blobs: BlobStore,
    private readonly hook: ApprovalHook,
    private readonly leaseSeconds = 600,
  ) {}

  /** Which stage this reviewer works: the role decides; admins say which. */
  stageFor(principal: StaffPrincipal, requested?: ReviewStage): ReviewStage {
    if (principal.role === 'evidence_reviewer') return 'evidence';
    if (principal.role === 'legal_reviewer') return 'legal';
    if (principal.role === 'admin') return requested ?? 'legal';
    throw new ForbiddenError('district staff cannot review');
  }

  private assertCanWork(principal: StaffPrincipal, task: ReviewTaskRow): void {
    assertRole(principal, STAGE_ROLES[task.stage]);
    if (!canActInDistrict(principal, task.district_id))
      throw new ForbiddenError('task belongs to another district');
  }

  async claimNext(
    principal: StaffPrincipal,
    filter: Omit<ClaimFilter, 'districtId' | 'stage'> & { stage?: ReviewStage },
  ): Promise<ReviewTaskRow | null> {
    const stage = this.stageFor(principal, filter.stage);
    assertRole(principal, STAGE_ROLES[stage]);
    const held = await findHeldTask(this.pool, principal.id, stage);
    if (held) return held;
    const task = await claimNextTask(
      this.pool,
      principal.id,
      { ...filter, stage, districtId: districtScope(principal) },
      this.leaseSeconds,
    );
    if (task) {
      await withTransaction(this.pool, (tx) =>
        appendAudit(tx, {
          actorKind: 'staff',
          actorId: principal.id,
          action: 'review.claim',
          subjectKind: 'review_task',
          subjectId: task.id,
          districtId: task.district_id,
          data: { stage },
        }),
      );
    }
    return task;
  }

  /** The task with its violation and every evidence item re-hashed; the view itself is logged (APL art. 47). */
  async open(
    principal: StaffPrincipal,
    taskId: string,
  ): Promise<{ task: ReviewTaskRow; violation: ViolationRow; evidence: VerifiedEvidence[] }> {
    const task = await findTask(this.pool, taskId);
    if (!task) throw new NotFoundError('review task');
    this.assertCanWork(principal, task);
    const violation = (await findViolation(this.pool, task.violation_id))!;
    const items = await listEvidence(this.pool, violation.id);
    const evidence = await Promise.all(
      items.map(async (item) => {
        const bytes = await this.blobs.get(item.storage_key).catch(() => null);
        const verified = bytes !== null && createHash('sha256').update(bytes).digest('hex') === item.sha256;
        return {
          id: item.id,
          kind: item.kind,
          label: item.label,
          sha256: item.sha256,
          capturedAt: item.captured_at?.toISOString() ?? null,
          verified,
        };
      }),
    );
    await withTransaction(this.pool, (tx) =>
      appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'review.view',
        subjectKind: 'review_task',
        subjectId: task.id,
        districtId: task.district_id,
        data: {
          violationId: violation.id,
          failedHashes: evidence.filter((e) => !e.verified).map((e) => e.id),
        },
      }),
    );
    return { task, violation, evidence };
  }

  async decide(
    principal: StaffPrincipal,
    taskId: string,
    input: DecisionInput,
  ): Promise<{ next: ReviewStage | 'case' | 'field' | null; case?: FiledCase; fieldTaskId?: string }> {
    const task = await findTask(this.pool, taskId);
    if (!task) throw new NotFoundError('review task');
    this.assertCanWork(principal, task);
    if (input.decision === 'reject') {
      if (!input.reasonCode || !REJECT_REASON_CODES.includes(input.reasonCode)) {
        throw new ValidationError(`a rejection needs a reason code: ${REJECT_REASON_CODES.join(', ')}`);
      }
      if (input.reasonCode === 'other' && !input.reasonText?.trim())
        throw new ValidationError('reason "other" needs an explanation');
    }
    const toField = input.sendToField === true;
    if (toField && !(input.decision === 'approve' && task.stage === 'legal'))
      throw new ValidationError('only a legal approval sends the violation to the patrol to find its party');
    if (toField && input.partyId)
      throw new ValidationError('a violation whose party is named is not sent to the patrol');
    if (input.decision === 'approve' && task.stage === 'legal' && !input.partyId && !toField) {
      throw new ValidationError('legal approval needs the party the case is against');
    }
    if (input.circumstances?.length && !(input.decision === 'approve' && task.stage === 'legal'))
      throw new ValidationError('circumstances are recorded with the legal approval');
    try {
      normaliseCircumstances(input.circumstances ?? []);
    } catch (error) {
      if (error instanceof CircumstanceError) throw new ValidationError(error.message);
      throw error;
    }
    return withTransaction(this.pool, async (tx) => {
      const done = await completeTask(tx, task.id, principal.id, {
        decision: input.decision,
        reasonCode: input.reasonCode ?? null,
        reasonText: input.reasonText?.trim().slice(0, 2000) || null,
      });
      if (!done)
        throw new ConflictError(
          'this task is not held by you (already decided, released or its claim expired)',
        );
      const violation = (await findViolation(tx, task.violation_id))!;
      let next: ReviewStage | 'case' | 'field' | null = null;
      let filed: FiledCase | undefined;
      let fieldTaskId: string | null = null;
      if (input.decision === 'reject') {
        await setViolationStatus(tx, violation.id, 'rejected');
      } else if (input.decision === 'more_evidence') {
        await setViolationStatus(tx, violation.id, 'more_evidence');
      } else if (task.stage === 'evidence') {
        await insertReviewTask(tx, {
          violationId: violation.id,
          districtId: violation.district_id,
          stage: 'legal',
          violationType: violation.violation_type,
          cameraId: violation.camera_id,
        });
        next = 'legal';
      } else if (toField) {
        // The evidence is approved; the case is filed once the patrol names the party (src/field-tasks/).
        await setViolationStatus(tx, violation.id, 'awaiting_party');
        fieldTaskId = await dispatchFieldTask(tx, {
          violationId: violation.id,
          districtId: violation.district_id,
          reason: 'party_unknown',
          requestedBy: { kind: 'staff', id: principal.id },
          circumstances: input.circumstances ?? [],
        });
        next = 'field';
      } else {
        if (!(await partyInDistrict(tx, input.partyId!, violation.district_id)))
          throw new ValidationError("the party is not in this district's register");
        await setViolationStatus(tx, violation.id, 'approved', input.partyId);
        filed = await this.hook.onLegalApproved(
          tx,
          violation,
          input.partyId!,
          principal,
          input.circumstances ?? [],
        );
        next = 'case';
      }
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'review.decide',
        subjectKind: 'review_task',
        subjectId: task.id,
        districtId: task.district_id,
        data: {
          stage: task.stage,
          decision: input.decision,
          reasonCode: input.reasonCode ?? null,
          violationId: violation.id,
          partyId: input.partyId ?? null,
          circumstances: input.circumstances?.map((c) => c.code) ?? [],
          ...(toField ? { sendToField: true, fieldTaskId } : {}),
        },
      });
      if (fieldTaskId) return { next, fieldTaskId };
      return filed ? { next, case: filed } : { next };
    });
  }

  /** What the benchmark suggests for the task's violation with these circumstances (the workbench asks as they change). */
  async suggest(
    principal: StaffPrincipal,
    taskId: string,
    partyId: string | null,
    circumstances: RecordedCircumstance[],
  ): Promise<PenaltySuggestion> {
    const task = await findTask(this.pool, taskId);
    if (!task) throw new NotFoundError('review task');
    this.assertCanWork(principal, task);
    const violation = (await findViolation(this.pool, task.violation_id))!;
    return suggestPenalty(this.pool, violation, partyId, circumstances);
  }

  /**
   * The register's parties of the task's district, the one linked to the violation's zone first: the legal
   * stage's party picker lists them before anything is typed. Every search is on the record (Pudong art. 16).
   */
  async partiesForTask(
    principal: StaffPrincipal,
    taskId: string,
    q: string | undefined,
  ): Promise<PartyRow[]> {
    const task = await findTask(this.pool, taskId);
    if (!task) throw new NotFoundError('review task');
    this.assertCanWork(principal, task);
    const violation = (await findViolation(this.pool, task.violation_id))!;
    const rows = await listParties(this.pool, violation.district_id, { q, limit: PARTY_PICKER_LIMIT });
    await appendAuditNow(this.pool, {
      actorKind: 'staff',
      actorId: principal.id,
      action: 'party.search',
      subjectKind: 'review_task',
      subjectId: task.id,
      districtId: task.district_id,
      data: { q: q ?? null, results: rows.length },
    });
    const linked = rows.filter((r) => r.id === violation.party_id);
    return [...linked, ...rows.filter((r) => r.id !== violation.party_id)];
  }

  async release(principal: StaffPrincipal, taskId: string): Promise<void> {
    const task = await findTask(this.pool, taskId);
    if (!task) throw new NotFoundError('review task');
    this.assertCanWork(principal, task);
    if (!(await releaseTask(this.pool, taskId, principal.id)))
      throw new ConflictError('this task is not held by you');
  }

  async heartbeat(principal: StaffPrincipal, taskId: string): Promise<void> {
    if (!(await extendLease(this.pool, taskId, principal.id, this.leaseSeconds)))
      throw new ConflictError('this task is not held by you');
  }
}
