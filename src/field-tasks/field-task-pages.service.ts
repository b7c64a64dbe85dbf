import { appendAuditNow } from '../audit/audit.repo.js';
import { assertRole, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { maskPhone } from '../complaints/complaint-rules.js';
import { findStaffAccount } from '../auth/staff-account.repo.js';
import { findCase } from '../cases/case.repo.js';
import type { Pool } from '../db/pool.js';
import { shanghaiDateOf } from '../law/local-date.js';
import { findParty, listParties } from '../parties/party.repo.js';
import { maskedParty } from '../parties/party-view.js';
import { findViolation, listEvidence } from '../violations/violation.repo.js';
import { callPhone } from './field-call.service.js';
import { geoUri, isOverdue } from './field-task-rules.js';
import {
  fieldTaskPlace,
  listOpenFieldTasks,
  type FieldTaskListItem,
  type FieldTaskRow,
} from './field-task.repo.js';
import { FIELD_ROLES, type FieldTaskService } from './field-task.service.js';

/** The patrol's pages: the queue of open tasks and one task with its evidence, place and report form. */

const QUEUE_LIMIT = 200;
const PICKER_LIMIT = 50;

export interface FieldQueuePage {
  today: string;
  tasks: (Omit<FieldTaskListItem, 'party_phone'> & { phone: string | null; overdue: boolean })[];
}

export async function fieldQueuePage(
  pool: Pool,
  staff: StaffPrincipal,
  now = new Date(),
): Promise<FieldQueuePage> {
  assertRole(staff, FIELD_ROLES);
  const today = shanghaiDateOf(now);
  const rows = await listOpenFieldTasks(pool, districtScope(staff), QUEUE_LIMIT);
  return {
    today,
    tasks: rows.map(({ party_phone, ...r }) => ({
      ...r,
      // a call task's number, masked in the list: whole only on the task the caller opens
      phone: r.reason === 'voice_call' ? maskPhone(party_phone?.trim() || null) : null,
      overdue: isOverdue(r.due_on, today),
    })),
  };
}

export type MaskedParty = ReturnType<typeof maskedParty> & { address: string };

export interface FieldTaskPage {
  task: FieldTaskRow;
  overdue: boolean;
  violation: { id: string; type: string; status: string; firstSeenAt: Date; confirmedAt: Date };
  evidence: { id: string; kind: string; label: string }[];
  place: {
    address: string;
    camera: string;
    latitude: number | null;
    longitude: number | null;
    geo: string | null;
  };
  q: string;
  /** the register's parties of the district, masked (the look-up is logged) */
  candidates: MaskedParty[];
  /** the party recorded, masked */
  party: MaskedParty | null;
  caseLink: { id: string; number: string } | null;
  /** a voice_call task: the number to ring (whole only for the caller opening the open task, logged) */
  call: { phone: string; whole: boolean } | null;
  /** who recorded the call (the caller) */
  caller: string | null;
}

const masked = (p: Parameters<typeof maskedParty>[0]): MaskedParty => ({
  ...maskedParty(p),
  address: p.address,
});

/**
 * One task. Opening it is logged; the list of the register's parties offered to choose from is a look-up of
 * identity data and logged as such (Pudong art. 16), with the search words.
 */
export async function fieldTaskPage(
  pool: Pool,
  tasks: FieldTaskService,
  staff: StaffPrincipal,
  taskId: string,
  q: string | undefined,
  now = new Date(),
): Promise<FieldTaskPage> {
  const task = await tasks.taskFor(staff, taskId);
  const violation = (await findViolation(pool, task.violation_id))!;
  const items = await listEvidence(pool, violation.id);
  const place = (await fieldTaskPlace(pool, violation.id))!;
  const open = task.status === 'open';
  const isCall = task.reason === 'voice_call';
  const candidates =
    open && !isCall ? await listParties(pool, task.district_id, { q, limit: PICKER_LIMIT }) : [];
  const party = task.party_id ? await findParty(pool, task.party_id) : null;
  const filed = task.case_id ? await findCase(pool, task.case_id) : null;
  await appendAuditNow(pool, {
    actorKind: 'staff',
    actorId: staff.id,
    action: 'field_task.view',
    subjectKind: 'field_task',
    subjectId: task.id,
    districtId: task.district_id,
    data: { violationId: violation.id },
  });
  const call = isCall ? await callPhone(pool, staff, task) : null;
  const caller = isCall && task.done_by ? await findStaffAccount(pool, task.done_by) : null;
  if (open && !isCall)
    await appendAuditNow(pool, {
      actorKind: 'staff',
      actorId: staff.id,
      action: 'party.search',
      subjectKind: 'field_task',
      subjectId: task.id,
      districtId: task.district_id,
      data: { q: q ?? null, results: candidates.length },
    });
  return {
    task,
    overdue: open && isOverdue(task.due_on, shanghaiDateOf(now)),
    violation: {
      id: violation.id,
      type: violation.violation_type,
      status: violation.status,
      firstSeenAt: violation.first_seen_at,
      confirmedAt: violation.confirmed_at,
    },
    evidence: items
      .filter((e) => e.kind !== 'manifest' && e.content_type.startsWith('image/'))
      .map((e) => ({ id: e.id, kind: e.kind, label: e.label })),
    place: { ...place, geo: geoUri(place.latitude, place.longitude, place.address || place.camera) },
    q: q ?? '',
    candidates: candidates.map(masked),
    party: party ? masked(party) : null,
    caseLink: filed ? { id: filed.id, number: filed.case_number } : null,
    call,
    caller: caller ? caller.display_name || caller.username : null,
  };
}
