import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import { sha256Hex } from '../documents/seal.js';
import { statementPeriodEnd } from '../law/deadlines.js';
import { assertLocalDate, compareDates, type LocalDate } from '../law/local-date.js';
import {
  ATTACHMENT_LIMITS,
  AttachmentError,
  checkAttachment,
  safeFileName,
} from '../portal/attachment-check.js';
import { insertStatement, type StatementChannel } from '../portal/portal.repo.js';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { CaseRow } from './case.repo.js';
import type { CaseActor, CaseService } from './case.service.js';

/**
 * A party's statement and defence (陈述、申辩, APL art. 45), however it reaches the bureau: written on the portal,
 * or made at the designated window (Pudong art. 12: "应当设置指定处理窗口") and recorded there by the member of
 * staff who took it. Both go through `recordStatement`, so the case moves the same way: the first statement in
 * the statement period is the `statement_submitted` event, a later one within the period is added to it.
 */

export interface UploadedFile {
  name: string;
  bytes: Buffer;
}

/** The states in which a statement is taken (and only up to the end of the statement period). */
export const STATEMENT_STATES = ['statement_window', 'statement_review', 'hearing_requested'];

export interface StatementIntake {
  body: string;
  files: UploadedFile[];
  /** the day the statement was made */
  on: LocalDate;
  channel: StatementChannel;
  /** the member of staff who took a statement at the window */
  takenBy: string | null;
  actor: CaseActor;
  /** the audit action of a statement added to one already made */
  addedAction: string;
  /** refuses an actor who may not act on this case (run with the case locked) */
  guard?: (row: CaseRow) => void;
}

export async function recordStatement(
  deps: { blobs: BlobStore; cases: CaseService },
  caseId: string,
  input: StatementIntake,
): Promise<{ statementId: string; state: string }> {
  const text = input.body.trim();
  if (text.length === 0) throw new ValidationError('the statement is empty');
  if (text.length > ATTACHMENT_LIMITS.maxStatementChars)
    throw new ValidationError(
      `the statement is longer than ${ATTACHMENT_LIMITS.maxStatementChars} characters`,
    );
  let checked;
  try {
    checked = input.files.map((file, i) => ({ file, type: checkAttachment(file.name, file.bytes, i) }));
  } catch (error) {
    if (error instanceof AttachmentError) throw new ValidationError(error.message);
    throw error;
  }
  // Stored before the transaction: content-addressed, so a failed statement leaves only unreferenced bytes.
  const attachments = await Promise.all(
    checked.map(async ({ file, type }, i) => {
      const sha256 = sha256Hex(file.bytes);
      const key = `statements/${caseId}/${sha256}.${type.extension}`;
      await deps.blobs.put(key, file.bytes, { ifNotExists: true, contentType: type.contentType });
      return {
        name: safeFileName(file.name, `attachment-${i + 1}.${type.extension}`),
        contentType: type.contentType,
        size: file.bytes.length,
        sha256,
        key,
      };
    }),
  );
  const { cases } = deps;
  return cases.withCase(caseId, async (tx, row) => {
    input.guard?.(row);
    const on = input.on;
    if (!STATEMENT_STATES.includes(row.status))
      throw new ConflictError(`a statement cannot be made while the case is ${row.status}`);
    const end = statementPeriodEnd(row.snapshot.deadlines);
    if (!end || compareDates(on, end) > 0)
      throw new ConflictError(`the statement period ended on ${end ?? 'an unknown day'}`);
    const statementId = await insertStatement(tx, caseId, text, attachments, {
      channel: input.channel,
      takenBy: input.takenBy,
    });
    const data = {
      statementId,
      attachments: attachments.length,
      ...(input.channel === 'window' ? { channel: 'window', takenBy: input.takenBy } : {}),
    };
    if (row.status === 'statement_window') {
      await cases.applyEvent(tx, row, { type: 'statement_submitted', on }, input.actor, data);
    } else {
      await appendAudit(tx, {
        actorKind: input.actor.kind,
        actorId: input.actor.id,
        action: input.addedAction,
        subjectKind: 'case',
        subjectId: caseId,
        districtId: row.district_id,
        data,
      });
    }
    return { statementId, state: row.status };
  });
}

/** Who records what the party says at the window: district staff and legal reviewers of its district. */
export const WINDOW_STAFF = ['district_staff', 'legal_reviewer', 'admin'] as const;

/** A statement the party made at the designated window, recorded by the member of staff who took it. */
export class WindowStatementService {
  constructor(private readonly deps: { blobs: BlobStore; cases: CaseService }) {}

  async record(
    principal: StaffPrincipal,
    caseId: string,
    input: { body: string; files: UploadedFile[]; takenOn?: string },
  ): Promise<{ statementId: string; state: string }> {
    assertRole(principal, WINDOW_STAFF);
    const today = this.deps.cases.today();
    const on = input.takenOn?.trim() || today;
    try {
      assertLocalDate(on, 'takenOn');
    } catch {
      throw new ValidationError(`the day the statement was taken, ${on}, is not a date (YYYY-MM-DD)`);
    }
    if (compareDates(on, today) > 0) throw new ValidationError('a statement cannot be taken in the future');
    return recordStatement(this.deps, caseId, {
      body: input.body,
      files: input.files,
      on,
      channel: 'window',
      takenBy: principal.id,
      actor: { kind: 'staff', id: principal.id },
      addedAction: 'statement.window_added',
      guard: (row) => {
        if (!canActInDistrict(principal, row.district_id))
          throw new ForbiddenError('case belongs to another district');
      },
    });
  }
}
