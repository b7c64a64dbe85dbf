import type { Queryable } from '../db/pool.js';

/** SQL of the sender of complaint replies (migration 0031): claim, mark sent, record a failed try. */

export interface ClaimedReply {
  id: string;
  complaintId: string;
  districtId: string;
  recipient: 'hotline' | 'reporter';
  idempotencyKey: string;
  complaintNumber: string | null;
  reporterPhone: string | null;
  receivedOn: string;
  payload: Record<string, unknown>;
  dueOn: string;
  attempts: number;
}

/**
 * Takes up to `limit` unsent replies whose next try is due, for `leaseUntil`: another sender skips them until
 * then, and a sender that dies leaves them to be tried again after it. Hotline replies only when pushed.
 */
export async function claimDueReplies(
  db: Queryable,
  r: { now: Date; leaseUntil: Date; limit: number; pushToHotline: boolean },
): Promise<ClaimedReply[]> {
  const { rows } = await db.query<ClaimedReply>(
    `with due as (
       select id from complaint_replies
        where sent_at is null and next_attempt_at <= $1 and (recipient = 'reporter' or $4)
        order by next_attempt_at, id limit $3 for update skip locked)
     update complaint_replies r set next_attempt_at = $2 from due, complaints c
      where r.id = due.id and c.id = r.complaint_id
     returning r.id, r.complaint_id as "complaintId", c.district_id as "districtId", r.recipient,
       r.idempotency_key as "idempotencyKey", c.hotline_number as "complaintNumber",
       c.reporter_phone as "reporterPhone", to_char(c.received_on, 'YYYY-MM-DD') as "receivedOn", r.payload,
       to_char(r.due_on, 'YYYY-MM-DD') as "dueOn", r.attempts`,
    [r.now, r.leaseUntil, r.limit, r.pushToHotline],
  );
  return rows;
}

/** Marks a reply sent; false when it was sent already (by the hotline's own fetch, or another sender). */
export async function markReplySent(
  db: Queryable,
  r: { id: string; at: Date; via: 'hotline_push' | 'sms' },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update complaint_replies set sent_at = $2, sent_via = $3, attempts = attempts + 1, last_error = null
      where id = $1 and sent_at is null`,
    [r.id, r.at, r.via],
  );
  return rowCount === 1;
}

export async function recordReplyFailure(
  db: Queryable,
  r: { id: string; error: string; nextAttemptAt: Date },
): Promise<void> {
  await db.query(
    `update complaint_replies set attempts = attempts + 1, last_error = $2, next_attempt_at = $3
      where id = $1 and sent_at is null`,
    [r.id, r.error.slice(0, 500), r.nextAttemptAt],
  );
}

export interface ReplyState {
  complaintId: string;
  dueOn: string;
  sentAt: Date | null;
  attempts: number;
  lastError: string | null;
}

/** The replies' state of these complaints, for the complaints page. */
export async function replyStates(db: Queryable, complaintIds: string[]): Promise<ReplyState[]> {
  if (complaintIds.length === 0) return [];
  const { rows } = await db.query<ReplyState>(
    `select complaint_id as "complaintId", to_char(due_on, 'YYYY-MM-DD') as "dueOn", sent_at as "sentAt",
            attempts, last_error as "lastError"
       from complaint_replies where complaint_id = any($1::uuid[])`,
    [complaintIds],
  );
  return rows;
}
