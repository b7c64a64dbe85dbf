import type { Queryable } from '../db/pool.js';
import { recordViolationEndOnViolation } from '../violations/violation.repo.js';
import type {
  ViolationEndReason,
  ViolationStartedEvent,
  WarningRecheckedEvent,
} from '../rules/rule-events.js';

/*
 * violation_candidates is the outbox between the rules and the evidence stage. The rules stage writes a row when a
 * violation is confirmed, and then records on it whatever the engine says later (the scene ended, the re-check
 * decided), in the same transaction as the camera's state. The evidence stage works the row from there, in
 * whatever order its jobs run.
 */

export type CandidateStatus =
  'pending' | 'warned' | 'packaged' | 'corrected' | 'escalated' | 'withdrawn' | 'skipped';

/** `unchecked`: no frame came after the grace period, so the re-check could not be made. */
export type RecordedRecheckOutcome = 'corrected' | 'escalate' | 'withdrawn' | 'unchecked';

export interface UncheckedRecheck {
  note: string;
  decidedAt: number;
}

export interface CandidateRow {
  dedupe_key: string;
  camera_id: string;
  zone_id: string | null;
  camera_version: number;
  rule: string;
  party_id: string | null;
  event: ViolationStartedEvent;
  status: CandidateStatus;
  skip_reason: string | null;
  violation_id: string | null;
  ended_at: Date | null;
  end_reason: ViolationEndReason | null;
  recheck_at: Date | null;
  recheck_outcome: RecordedRecheckOutcome | null;
  recheck_event: WarningRecheckedEvent | UncheckedRecheck | null;
  created_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Zone and party ids are UUIDs in the registry; anything else (a hand-made config) is kept only in the event. */
export function uuidOrNull(value: string | null | undefined): string | null {
  return value && UUID.test(value) ? value : null;
}

/** Writes the candidate once; returns false when it was already there (a retried rules job). */
export async function insertCandidate(
  tx: Queryable,
  c: { dedupeKey: string; cameraId: string; cameraVersion: number; event: ViolationStartedEvent },
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `insert into violation_candidates (dedupe_key, camera_id, zone_id, camera_version, rule, party_id, event)
     values ($1, $2, $3, $4, $5, (select id from parties where id = $6), $7)
     on conflict (dedupe_key) do nothing`,
    [
      c.dedupeKey,
      c.cameraId,
      uuidOrNull(c.event.zoneId),
      c.cameraVersion,
      c.event.rule,
      uuidOrNull(c.event.partyId),
      JSON.stringify(c.event),
    ],
  );
  return rowCount === 1;
}

/** The scene ended: kept on the candidate and, once it exists, on the violation. The first end recorded stays. */
export async function recordViolationEnd(
  tx: Queryable,
  dedupeKey: string,
  endedAt: Date,
  reason: ViolationEndReason,
): Promise<void> {
  await tx.query(
    `update violation_candidates set ended_at = $2, end_reason = $3, updated_at = now()
      where dedupe_key = $1 and ended_at is null`,
    [dedupeKey, endedAt, reason],
  );
  await recordViolationEndOnViolation(tx, dedupeKey, endedAt, reason);
}

export async function recordRecheckDue(tx: Queryable, dedupeKey: string, recheckAt: Date): Promise<void> {
  await tx.query(
    'update violation_candidates set recheck_at = $2, updated_at = now() where dedupe_key = $1',
    [dedupeKey, recheckAt],
  );
}

/**
 * Records the re-check's outcome if none is recorded yet: the engine's decision and the timeout of a camera that
 * sent no frame race each other, and whichever comes first decides. Returns whether this one did.
 */
export async function recordRecheckOutcome(
  tx: Queryable,
  dedupeKey: string,
  outcome: RecordedRecheckOutcome,
  detail: WarningRecheckedEvent | UncheckedRecheck,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `update violation_candidates set recheck_outcome = $2, recheck_event = $3, updated_at = now()
      where dedupe_key = $1 and recheck_outcome is null`,
    [dedupeKey, outcome, JSON.stringify(detail)],
  );
  return rowCount === 1;
}

export async function findCandidate(db: Queryable, dedupeKey: string): Promise<CandidateRow | null> {
  const { rows } = await db.query<CandidateRow>('select * from violation_candidates where dedupe_key = $1', [
    dedupeKey,
  ]);
  return rows[0] ?? null;
}

export async function findCandidateOfViolation(
  db: Queryable,
  violationId: string,
): Promise<CandidateRow | null> {
  if (!UUID.test(violationId)) return null;
  const { rows } = await db.query<CandidateRow>(
    'select * from violation_candidates where violation_id = $1',
    [violationId],
  );
  return rows[0] ?? null;
}

/** Locks the row for the rest of the transaction: the one place two evidence jobs for it are serialised. */
export async function lockCandidate(tx: Queryable, dedupeKey: string): Promise<CandidateRow | null> {
  const { rows } = await tx.query<CandidateRow>(
    'select * from violation_candidates where dedupe_key = $1 for update',
    [dedupeKey],
  );
  return rows[0] ?? null;
}

export async function setCandidateStatus(
  tx: Queryable,
  dedupeKey: string,
  status: CandidateStatus,
  fields: { violationId?: string; skipReason?: string } = {},
): Promise<void> {
  await tx.query(
    `update violation_candidates
        set status = $2, violation_id = coalesce($3, violation_id), skip_reason = coalesce($4, skip_reason),
            updated_at = now()
      where dedupe_key = $1`,
    [dedupeKey, status, fields.violationId ?? null, fields.skipReason ?? null],
  );
}

/**
 * Candidates whose evidence job should have run by now: waiting to be packaged, re-checked but not acted on, or
 * warned and still without a re-check outcome well after their grace period (the grace, counted from when they
 * were warned, plus `recheckOverdueSeconds`): their delayed re-check job is gone (a Redis that lost its data).
 */
export async function staleCandidates(
  db: Queryable,
  olderThanSeconds: number,
  limit: number,
  recheckOverdueSeconds = 3_600,
): Promise<{ dedupe_key: string; camera_id: string }[]> {
  const { rows } = await db.query<{ dedupe_key: string; camera_id: string }>(
    `select dedupe_key, camera_id from violation_candidates
      where updated_at < now() - make_interval(secs => $1)
        and (status = 'pending' or (status = 'warned' and recheck_outcome is not null)
             or (status = 'warned' and recheck_outcome is null and recheck_at is not null
                 and updated_at + greatest(interval '0', recheck_at - to_timestamp((event->>'confirmedAt')::double precision / 1000))
                     + make_interval(secs => $3) < now()))
      order by created_at limit $2`,
    [olderThanSeconds, limit, recheckOverdueSeconds],
  );
  return rows;
}

/**
 * The frames that prove a violation: where it was first seen and confirmed; for a change the background model
 * dated, the frame just before it appeared (the spot still empty); for an object someone stayed by, the last frame
 * they did (the person leaving).
 */
export async function proofFrameSeqs(
  tx: Queryable,
  cameraId: string,
  event: { firstSeenSeq: number; confirmedSeq: number; sceneChange: boolean; attendedUntilSeq?: number },
): Promise<{ beforeSeq: number | null; seqs: number[] }> {
  let beforeSeq: number | null = null;
  if (event.sceneChange) {
    const { rows } = await tx.query<{ seq: string | null }>(
      `select max(seq) as seq from frames where camera_id = $1 and seq < $2 and status = 'detected'`,
      [cameraId, event.firstSeenSeq],
    );
    beforeSeq = rows[0]?.seq === null || rows[0]?.seq === undefined ? null : Number(rows[0].seq);
  }
  const seqs = [event.firstSeenSeq, event.confirmedSeq];
  if (beforeSeq !== null) seqs.push(beforeSeq);
  if (event.attendedUntilSeq !== undefined) seqs.push(event.attendedUntilSeq);
  return { beforeSeq, seqs };
}
