import type { Queryable } from '../db/pool.js';

export type FieldTaskReason = 'party_unknown' | 'unreachable' | 'voice_call';
export type FieldTaskOutcome = 'party' | 'corrected';
/** The outcome of a voice_call task (Pudong art. 15). */
export type CallOutcome = 'answered' | 'no_answer';

/** A photo taken on site, stored like a statement attachment (content-addressed, with its SHA-256). */
export interface FieldPhoto {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  key: string;
}

export interface FieldTaskRow {
  id: string;
  district_id: string;
  violation_id: string;
  reason: FieldTaskReason;
  status: 'open' | 'done';
  due_on: string;
  requested_by: string | null;
  approval: { circumstances?: unknown[] };
  outcome: FieldTaskOutcome | CallOutcome | null;
  party_id: string | null;
  note: string | null;
  photos: FieldPhoto[];
  case_id: string | null;
  done_by: string | null;
  done_at: Date | null;
  called_at: Date | null;
  created_at: Date;
}

const COLUMNS = `id, district_id, violation_id, reason, status, due_on::text, requested_by, approval, outcome, party_id,
  note, photos, case_id, done_by, done_at, called_at, created_at`;

export interface NewFieldTask {
  districtId: string;
  violationId: string;
  reason: FieldTaskReason;
  partyId?: string | null;
  dueOn: string;
  requestedBy: string | null;
  approval: Record<string, unknown>;
}

/** Null when the violation already has an open task (a repeated request adds nothing). */
export async function insertFieldTask(db: Queryable, t: NewFieldTask): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into field_tasks (district_id, violation_id, reason, due_on, requested_by, approval, party_id)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (violation_id) where status = 'open' do nothing returning id`,
    [
      t.districtId,
      t.violationId,
      t.reason,
      t.dueOn,
      t.requestedBy,
      JSON.stringify(t.approval),
      t.partyId ?? null,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function findFieldTask(db: Queryable, id: string): Promise<FieldTaskRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<FieldTaskRow>(`select ${COLUMNS} from field_tasks where id = $1`, [id]);
  return rows[0] ?? null;
}

export async function lockFieldTask(db: Queryable, id: string): Promise<FieldTaskRow | null> {
  const { rows } = await db.query<FieldTaskRow>(
    `select ${COLUMNS} from field_tasks where id = $1 for update`,
    [id],
  );
  return rows[0] ?? null;
}

export interface FieldTaskListItem {
  id: string;
  district_id: string;
  violation_id: string;
  violation_type: string;
  reason: FieldTaskReason;
  due_on: string;
  created_at: Date;
  place: string;
  first_seen_at: Date;
  /** the phone of a voice_call task's party (masked before it is shown) */
  party_phone: string | null;
}

/** Open tasks of a district (every district for null), the nearest deadline first. */
export async function listOpenFieldTasks(
  db: Queryable,
  districtId: string | null,
  limit: number,
): Promise<FieldTaskListItem[]> {
  const { rows } = await db.query<FieldTaskListItem>(
    `select t.id, t.district_id, t.violation_id, v.violation_type, t.reason, t.due_on::text, t.created_at,
            c.address as place, v.first_seen_at, p.phone as party_phone
       from field_tasks t join violations v on v.id = t.violation_id join cameras c on c.id = v.camera_id
       left join parties p on p.id = t.party_id and t.reason = 'voice_call'
      where t.status = 'open' and ($1::text is null or t.district_id = $1)
      order by t.due_on, t.created_at limit $2`,
    [districtId, limit],
  );
  return rows;
}

/** Where the violation was seen: the camera's address and coordinates. */
export async function fieldTaskPlace(
  db: Queryable,
  violationId: string,
): Promise<{ address: string; latitude: number | null; longitude: number | null; camera: string } | null> {
  const { rows } = await db.query<{
    address: string;
    latitude: number | null;
    longitude: number | null;
    camera: string;
  }>(
    `select c.address, c.latitude, c.longitude, c.name as camera
       from violations v join cameras c on c.id = v.camera_id where v.id = $1`,
    [violationId],
  );
  return rows[0] ?? null;
}

export async function completeFieldTask(
  db: Queryable,
  id: string,
  r: {
    outcome: FieldTaskOutcome;
    partyId: string | null;
    note: string | null;
    photos: FieldPhoto[];
    caseId: string | null;
    doneBy: string;
  },
): Promise<void> {
  await db.query(
    `update field_tasks set status = 'done', outcome = $2, party_id = $3, note = $4, photos = $5, case_id = $6,
            done_by = $7, done_at = now()
      where id = $1 and status = 'open'`,
    [id, r.outcome, r.partyId, r.note, JSON.stringify(r.photos), r.caseId, r.doneBy],
  );
}

/** A photo of a task, for serving it to staff of the task's district. */
export async function findFieldTaskPhoto(
  db: Queryable,
  taskId: string,
  sha256: string,
): Promise<{ district_id: string; photo: FieldPhoto } | null> {
  const task = await findFieldTask(db, taskId);
  const photo = task?.photos.find((p) => p.sha256 === sha256);
  return task && photo ? { district_id: task.district_id, photo } : null;
}

/** Records the outcome of a voice_call task; false when it was no longer open (recorded already). */
export async function completeCallTask(
  db: Queryable,
  id: string,
  r: { outcome: CallOutcome; calledAt: Date; note: string | null; doneBy: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update field_tasks set status = 'done', outcome = $2, called_at = $3, note = $4, done_by = $5, done_at = now()
      where id = $1 and status = 'open' and reason = 'voice_call'`,
    [id, r.outcome, r.calledAt, r.note, r.doneBy],
  );
  return rowCount === 1;
}

/** The voice calls of a violation's warning: open ones (no outcome yet) and recorded ones. */
export async function warningCalls(
  db: Queryable,
  violationId: string,
): Promise<{ outcome: CallOutcome | null; called_at: Date | null }[]> {
  const { rows } = await db.query<{ outcome: CallOutcome | null; called_at: Date | null }>(
    `select outcome, called_at from field_tasks where violation_id = $1 and reason = 'voice_call'`,
    [violationId],
  );
  return rows;
}
