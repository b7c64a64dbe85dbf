import type { Readable } from 'node:stream';
import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { sha256Hex } from '../documents/seal.js';
import type { RecordedCircumstance } from '../law/circumstances.js';
import { safeFileName } from '../portal/attachment-check.js';
import { insertParty, partyInDistrict } from '../parties/party.repo.js';
import type { PartyService, RegisterInput } from '../parties/party.service.js';
import { cancelOpenReviewTasks } from '../review/review.repo.js';
import type { ApprovalHook } from '../review/review.service.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { findViolation, setViolationStatus, updateViolation } from '../violations/violation.repo.js';
import { checkFieldPhoto, FIELD_PHOTO_LIMITS, FieldPhotoError } from './field-task-rules.js';
import {
  completeFieldTask,
  findFieldTask,
  findFieldTaskPhoto,
  lockFieldTask,
  type FieldPhoto,
  type FieldTaskOutcome,
  type FieldTaskRow,
} from './field-task.repo.js';

/*
 * What the patrol reports for a field task (派单). With the party found on site (one of the register, or one it
 * registers there with the identity data the register takes), a violation the legal review approved without a
 * party goes on exactly as if the reviewer had named that party: the case is filed by the same approval hook, in
 * the same transaction as the report. Seen corrected on site, the violation closes as warn-first closes one that
 * was corrected in time: no penalty (Pudong art. 15: "当事人及时改正且违法行为轻微的，不予处罚"). Photos are
 * checked by their bytes and kept with their SHA-256, as evidence and statement attachments are.
 */

/** Who works field tasks: the patrol, district staff, admins. */
export const FIELD_ROLES: readonly StaffRole[] = ['patrol', 'district_staff', 'admin'];

/** A violation the report may still decide: waiting for its party, or in review after an unreached warning. */
const OPEN_VIOLATION = ['awaiting_party', 'pending_review', 'more_evidence', 'warned'];

export interface UploadedPhoto {
  name: string;
  bytes: Buffer;
}

export interface FieldReportInput {
  outcome: FieldTaskOutcome;
  /** a party of the register (outcome party) */
  partyId?: string;
  /** or one the patrol registers on site (outcome party) */
  newParty?: Omit<RegisterInput, 'districtId'>;
  note?: string;
  photos: UploadedPhoto[];
}

export interface FieldReportResult {
  taskId: string;
  outcome: FieldTaskOutcome;
  partyId: string | null;
  caseId: string | null;
  caseNumber: string | null;
  violationStatus: string;
}

export class FieldTaskService {
  constructor(
    private readonly deps: {
      pool: Pool;
      blobs: BlobStore;
      parties: PartyService;
      hook: ApprovalHook;
    },
  ) {}

  /** The task, if the principal may work it: another district's task is refused (403). */
  async taskFor(principal: StaffPrincipal, taskId: string): Promise<FieldTaskRow> {
    assertRole(principal, FIELD_ROLES);
    const task = await findFieldTask(this.deps.pool, taskId);
    if (!task) throw new NotFoundError('field task');
    if (!canActInDistrict(principal, task.district_id))
      throw new ForbiddenError('field task belongs to another district');
    return task;
  }

  async report(
    principal: StaffPrincipal,
    taskId: string,
    input: FieldReportInput,
  ): Promise<FieldReportResult> {
    assertRole(principal, FIELD_ROLES);
    const { outcome } = input;
    if (outcome !== 'party' && outcome !== 'corrected')
      throw new ValidationError('outcome: the party found on site, or corrected on site');
    const note = input.note?.trim() ?? '';
    if (note.length > FIELD_PHOTO_LIMITS.maxNoteChars)
      throw new ValidationError(`note: at most ${FIELD_PHOTO_LIMITS.maxNoteChars} characters`);
    if (input.photos.length === 0) throw new ValidationError('photos: at least one photo taken on site');
    let checked;
    try {
      checked = input.photos.map((photo, i) => ({
        photo,
        type: checkFieldPhoto(photo.name, photo.bytes, i),
      }));
    } catch (error) {
      if (error instanceof FieldPhotoError) throw new ValidationError(`photos: ${error.message}`);
      throw error;
    }
    if (outcome === 'party' && Boolean(input.partyId) === Boolean(input.newParty))
      throw new ValidationError('party: choose a party of the register or register the one found on site');
    if (outcome === 'corrected' && (input.partyId || input.newParty))
      throw new ValidationError('party: a scene corrected on site names no party');

    const task = await this.taskFor(principal, taskId);
    if (task.status !== 'open') throw new ConflictError('this field task is already done');
    const register = input.newParty ? await this.checkNewParty(principal, task, input.newParty) : null;

    // Stored before the transaction: content-addressed, so a refused report leaves only unreferenced bytes.
    const photos: FieldPhoto[] = await Promise.all(
      checked.map(async ({ photo, type }, i) => {
        const sha256 = sha256Hex(photo.bytes);
        const key = `field-tasks/${task.id}/${sha256}.${type.extension}`;
        await this.deps.blobs.put(key, photo.bytes, { ifNotExists: true, contentType: type.contentType });
        return {
          name: safeFileName(photo.name, `photo-${i + 1}.${type.extension}`),
          contentType: type.contentType,
          size: photo.bytes.length,
          sha256,
          key,
        };
      }),
    );

    return withTransaction(this.deps.pool, async (tx) => {
      const locked = await lockFieldTask(tx, task.id);
      if (!locked || locked.status !== 'open') throw new ConflictError('this field task is already done');
      const violation = (await findViolation(tx, locked.violation_id))!;
      if (!OPEN_VIOLATION.includes(violation.status))
        throw new ConflictError(
          `the violation was already decided (${violation.status}); the task cannot change it`,
        );
      const actor = { actorKind: 'staff' as const, actorId: principal.id, districtId: locked.district_id };
      let partyId: string | null = null;
      let filed: { id: string; number: string } | null = null;
      let violationStatus = violation.status;
      if (outcome === 'party') {
        if (register) {
          partyId = await insertParty(tx, locked.district_id, register).catch((err: { code?: string }) => {
            if (err.code === '23505')
              throw new ConflictError('a party with this id number is already registered');
            throw err;
          });
          await appendAudit(tx, {
            ...actor,
            action: 'party.create',
            subjectKind: 'party',
            subjectId: partyId,
            data: { kind: register.kind, via: 'field_task', fieldTaskId: locked.id },
          });
        } else {
          if (!(await partyInDistrict(tx, input.partyId!, locked.district_id)))
            throw new ValidationError("party: not in this district's register");
          partyId = input.partyId!;
        }
        if (violation.status === 'awaiting_party') {
          // As the legal reviewer's party choice: the violation is approved against this party and the case filed.
          await setViolationStatus(tx, violation.id, 'approved', partyId);
          violationStatus = 'approved';
          filed = await this.deps.hook.onLegalApproved(
            tx,
            { ...violation, party_id: partyId, status: 'approved' },
            partyId,
            this.reviewerOf(locked, principal),
            (locked.approval.circumstances ?? []) as RecordedCircumstance[],
          );
        } else {
          await setViolationStatus(tx, violation.id, violation.status, partyId);
        }
      } else {
        const fieldCorrection = {
          outcome: 'corrected',
          seenBy: 'patrol',
          fieldTaskId: locked.id,
          decidedAt: new Date().toISOString(),
          photos: photos.map((p) => p.sha256),
        };
        await updateViolation(tx, violation.id, 'corrected', { fieldCorrection });
        // A violation escalated to review because the warning reached no one leaves the review queue.
        await cancelOpenReviewTasks(tx, violation.id);
        violationStatus = 'corrected';
        await appendAudit(tx, {
          ...actor,
          action: 'violation.corrected',
          subjectKind: 'violation',
          subjectId: violation.id,
          data: { ...fieldCorrection, penalty: 'none' },
        });
      }
      await completeFieldTask(tx, locked.id, {
        outcome,
        partyId,
        note: note || null,
        photos,
        caseId: filed?.id ?? null,
        doneBy: principal.id,
      });
      await appendAudit(tx, {
        ...actor,
        action: 'field_task.report',
        subjectKind: 'field_task',
        subjectId: locked.id,
        data: {
          violationId: violation.id,
          outcome,
          partyId,
          registered: register !== null,
          photos: photos.map((p) => p.sha256),
          caseId: filed?.id ?? null,
        },
      });
      return {
        taskId: locked.id,
        outcome,
        partyId,
        caseId: filed?.id ?? null,
        caseNumber: filed?.number ?? null,
        violationStatus,
      };
    });
  }

  /** A photo of the task, for staff of its district; the opening is logged. */
  async photo(
    principal: StaffPrincipal,
    taskId: string,
    sha256: string,
  ): Promise<{ photo: FieldPhoto; bytes: Readable }> {
    const task = await this.taskFor(principal, taskId);
    const found = await findFieldTaskPhoto(this.deps.pool, task.id, sha256);
    if (!found) throw new NotFoundError('photo');
    await appendAuditNow(this.deps.pool, {
      actorKind: 'staff',
      actorId: principal.id,
      action: 'field_task.photo_view',
      subjectKind: 'field_task',
      subjectId: task.id,
      districtId: task.district_id,
      data: { sha256 },
    });
    return { photo: found.photo, bytes: await this.deps.blobs.stream(found.photo.key) };
  }

  /** The register's checks (identifier, duplicates, a shop's address) before anything is stored. */
  private async checkNewParty(
    principal: StaffPrincipal,
    task: FieldTaskRow,
    party: Omit<RegisterInput, 'districtId'>,
  ) {
    if (party.kind !== 'person' && party.kind !== 'unit')
      throw new ValidationError('kind: a person or a shop (unit)');
    const phone = party.phone?.replace(/[\s-]/g, '') || null;
    if (phone && !/^\+?[0-9]{6,15}$/.test(phone)) throw new ValidationError('phone: 6 to 15 digits');
    const { party: checked, warning } = await this.deps.parties.check(principal, {
      ...party,
      phone,
      districtId: task.district_id,
    });
    if (warning && !party.confirmSamePlace)
      throw new ConflictError(
        'a shop of the same name and address is registered; choose it, or confirm to add this one as well',
        warning,
      );
    return checked;
  }

  /** The legal reviewer whose approval waited for the party files the case, as the approval would have. */
  private reviewerOf(task: FieldTaskRow, principal: StaffPrincipal): StaffPrincipal {
    if (!task.requested_by) return principal;
    return {
      id: task.requested_by,
      username: 'legal-review',
      displayName: 'legal review',
      role: 'legal_reviewer',
      districtId: task.district_id,
    };
  }
}
