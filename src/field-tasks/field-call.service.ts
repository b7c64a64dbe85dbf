import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { maskPhone } from '../complaints/complaint-rules.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { findPartyContacts } from '../parties/party.repo.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import { FIELD_PHOTO_LIMITS } from './field-task-rules.js';
import { completeCallTask, lockFieldTask, type CallOutcome, type FieldTaskRow } from './field-task.repo.js';
import type { FieldTaskService } from './field-task.service.js';

/*
 * Voice calls for the warning (Pudong art. 15: "应当通过短信告知或者语音电话等方式进行劝阻教育，责令及时改正"). Where
 * WARNING_VOICE_CALL=task, the warning to a party with a phone makes a field task with reason voice_call; district
 * staff (or the patrol) ring the party, read the warning out and record who called, when, and whether the party
 * answered (warned and told to correct) or not. An answered call counts as the warning reaching the party: the
 * grace period of the re-check runs from the call when no SMS reached the party earlier (warning-reach.ts).
 * The number is shown masked in lists; the caller who opens the open task sees it whole, and that look-up is
 * logged (Pudong art. 16).
 */

export const CALL_OUTCOMES: readonly CallOutcome[] = ['answered', 'no_answer'];
/** A call's recorded time may be a little ahead of the server's clock (a phone's clock), not more. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface CallInput {
  outcome: string;
  /** when the call was made; now when absent */
  calledAt?: Date;
  note?: string;
}

export interface CallResult {
  taskId: string;
  outcome: CallOutcome;
  calledAt: string;
}

export async function recordCall(
  pool: Pool,
  tasks: FieldTaskService,
  principal: StaffPrincipal,
  taskId: string,
  input: CallInput,
  now = new Date(),
): Promise<CallResult> {
  const outcome = CALL_OUTCOMES.find((o) => o === input.outcome);
  if (!outcome) throw new ValidationError('outcome: answered or no_answer');
  const note = input.note?.trim() ?? '';
  if (note.length > FIELD_PHOTO_LIMITS.maxNoteChars)
    throw new ValidationError(`note: at most ${FIELD_PHOTO_LIMITS.maxNoteChars} characters`);
  const calledAt = input.calledAt ?? now;
  if (Number.isNaN(calledAt.getTime())) throw new ValidationError('calledAt: not a valid time');
  if (calledAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw new ValidationError('calledAt: the call cannot be in the future');
  const task = await tasks.taskFor(principal, taskId);
  if (task.reason !== 'voice_call') throw new ValidationError('this field task is not a voice call');
  if (calledAt < task.created_at) throw new ValidationError('calledAt: before the call task was made');
  if (task.status !== 'open') throw new ConflictError('the outcome of this call is already recorded');
  await withTransaction(pool, async (tx) => {
    const locked = await lockFieldTask(tx, taskId);
    if (locked?.status !== 'open') throw new ConflictError('the outcome of this call is already recorded');
    await completeCallTask(tx, taskId, { outcome, calledAt, note: note || null, doneBy: principal.id });
    await appendAudit(tx, {
      actorKind: 'staff',
      actorId: principal.id,
      action: 'field_task.call',
      subjectKind: 'field_task',
      subjectId: taskId,
      districtId: task.district_id,
      data: { violationId: task.violation_id, outcome, calledAt: calledAt.toISOString() },
    });
  });
  return { taskId, outcome, calledAt: calledAt.toISOString() };
}

/**
 * The number to ring: whole for the caller who opens an open call task (logged as a look-up of personal data),
 * masked otherwise. Null for a task that is not a call or a party without a phone.
 */
export async function callPhone(
  pool: Pool,
  staff: StaffPrincipal,
  task: FieldTaskRow,
): Promise<{ phone: string; whole: boolean } | null> {
  if (task.reason !== 'voice_call' || !task.party_id) return null;
  const phone = (await findPartyContacts(pool, task.party_id))?.phone?.trim();
  if (!phone) return null;
  if (task.status !== 'open') return { phone: maskPhone(phone)!, whole: false };
  await appendAuditNow(pool, {
    actorKind: 'staff',
    actorId: staff.id,
    action: 'party.phone_view',
    subjectKind: 'field_task',
    subjectId: task.id,
    districtId: task.district_id,
    data: { partyId: task.party_id, purpose: 'voice_call' },
  });
  return { phone, whole: true };
}
