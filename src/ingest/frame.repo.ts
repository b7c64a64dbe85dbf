import type { Queryable } from '../db/pool.js';
import type { TimeAdjustment } from './frame-sequencer.js';

/*
 * The frames table: one row per captured frame, written by ingest. The detect stage moves its status on, the rules
 * and evidence stages pin and release the frames that prove a violation, and retention deletes the rows nobody
 * needs any more.
 */

export type FrameStatus = 'queued' | 'detected' | 'dropped' | 'failed';

export interface FrameRow {
  id: number;
  camera_id: string;
  seq: number;
  sha256: string;
  captured_at: Date;
  camera_version: number;
  status: FrameStatus;
}

export interface NewFrame {
  cameraId: string;
  seq: number;
  capturedAt: Date;
  sha256: string;
  storageKey: string;
  width: number;
  height: number;
  byteSize: number;
  cameraVersion: number;
  timeAdjustment: TimeAdjustment;
}

export async function insertFrame(tx: Queryable, f: NewFrame): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version, time_adjustment)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
    [
      f.cameraId,
      f.seq,
      f.capturedAt,
      f.sha256,
      f.storageKey,
      f.width,
      f.height,
      f.byteSize,
      f.cameraVersion,
      f.timeAdjustment,
    ],
  );
  return rows[0]!.id;
}

export async function findFrame(db: Queryable, id: number): Promise<FrameRow | null> {
  const { rows } = await db.query<FrameRow>('select * from frames where id = $1', [id]);
  return rows[0] ?? null;
}

/** A frame replaced by a newer one before any detector took it. */
export async function markFrameDropped(tx: Queryable, id: number): Promise<void> {
  await tx.query(`update frames set status = 'dropped' where id = $1 and status = 'queued'`, [id]);
}

export async function markFrameDetected(tx: Queryable, id: number): Promise<void> {
  await tx.query(`update frames set status = 'detected' where id = $1 and status <> 'dropped'`, [id]);
}

/** A frame whose bytes could not be read or decoded. */
export async function markFrameFailed(db: Queryable, id: number): Promise<void> {
  await db.query(`update frames set status = 'failed' where id = $1`, [id]);
}

/**
 * Deletes up to `limit` frame rows created before `cutoff` that nothing needs: not evidence nor possible evidence,
 * not their camera's latest frame, not waiting for detection, not detected and still waiting for the rules.
 * Returns how many went.
 */
export async function deleteRetiredFrames(db: Queryable, cutoff: Date, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `delete from frames where id in (
       select f.id from frames f
        where f.created_at < $1
          and f.evidence = false
          and not exists (select 1 from evidence_items e where e.frame_id = f.id)
          and not exists (select 1 from camera_health h
                           where h.camera_id = f.camera_id and h.latest_frame_sha256 = f.sha256)
          and not (f.status = 'queued' and not exists (select 1 from detections d where d.frame_id = f.id))
          and not (exists (select 1 from detections d where d.frame_id = f.id)
                   and f.seq > coalesce((select s.last_seq from camera_rule_state s where s.camera_id = f.camera_id), 0))
        limit $2)`,
    [cutoff, limit],
  );
  return rowCount ?? 0;
}

/** Whether a frame row still needs the blob of these bytes: one that is not evidence, or a proof frame not yet copied. */
export async function frameBlobNeeded(db: Queryable, sha256: string): Promise<boolean> {
  const { rows } = await db.query<{ needed: boolean }>(
    `select exists (
       select 1 from frames f
        where f.sha256 = $1
          and (f.evidence = false or not exists (select 1 from evidence_items e where e.frame_id = f.id))
     ) as needed`,
    [sha256],
  );
  return rows[0]!.needed;
}

/** Keeps the frames that prove a violation past the frame retention. */
export async function pinProofFrames(
  tx: Queryable,
  cameraId: string,
  seqs: readonly number[],
): Promise<void> {
  await tx.query('update frames set evidence = true where camera_id = $1 and seq = any($2::bigint[])', [
    cameraId,
    [...new Set(seqs)],
  ]);
}

/**
 * Lets retention have the proof frames of a candidate that will never be packaged, unless they were copied into
 * evidence or another open candidate of the camera still needs them.
 */
export async function releaseProofFrames(
  tx: Queryable,
  cameraId: string,
  dedupeKey: string,
  seqs: readonly number[],
): Promise<void> {
  await tx.query(
    `update frames f set evidence = false
      where f.camera_id = $1 and f.seq = any($2::bigint[])
        and not exists (select 1 from evidence_items e where e.frame_id = f.id)
        and not exists (
          select 1 from violation_candidates c
           where c.camera_id = f.camera_id and c.dedupe_key <> $3 and c.status in ('pending', 'warned')
             and f.seq in ((c.event->>'firstSeenSeq')::bigint, (c.event->>'confirmedSeq')::bigint,
                           coalesce((c.recheck_event->>'seq')::bigint, -1)))`,
    [cameraId, [...new Set(seqs)], dedupeKey],
  );
}
