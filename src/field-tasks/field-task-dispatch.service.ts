import { appendAudit } from '../audit/audit.repo.js';
import type { PoolClient } from '../db/pool.js';
import { workingCalendar } from '../law/catalogue-store.js';
import { shanghaiDateOf } from '../law/local-date.js';
import { fieldTaskDueOn } from './field-task-rules.js';
import { insertFieldTask, type FieldTaskReason } from './field-task.repo.js';

/**
 * Sends a violation to the district's patrol (派单), inside the caller's transaction: the legal review that
 * approved the evidence without a party to name, or the warn-first stage whose warning reached no one. One open
 * task per violation; a repeated call adds nothing. The task is due two working days after today.
 */
export async function dispatchFieldTask(
  tx: PoolClient,
  input: {
    violationId: string;
    districtId: string;
    reason: FieldTaskReason;
    /** the party a voice_call task rings */
    partyId?: string;
    requestedBy: { kind: 'staff' | 'system'; id: string };
    circumstances?: readonly unknown[];
  },
  now: Date = new Date(),
): Promise<string | null> {
  const dueOn = fieldTaskDueOn(await workingCalendar(), shanghaiDateOf(now));
  const id = await insertFieldTask(tx, {
    districtId: input.districtId,
    violationId: input.violationId,
    reason: input.reason,
    partyId: input.partyId ?? null,
    dueOn,
    requestedBy: input.requestedBy.kind === 'staff' ? input.requestedBy.id : null,
    approval: input.circumstances ? { circumstances: input.circumstances } : {},
  });
  if (id)
    await appendAudit(tx, {
      actorKind: input.requestedBy.kind,
      actorId: input.requestedBy.id,
      action: 'field_task.create',
      subjectKind: 'field_task',
      subjectId: id,
      districtId: input.districtId,
      data: { violationId: input.violationId, reason: input.reason, dueOn },
    });
  return id;
}
