import type { Detection } from '../detect/detection.js';
import type { Queryable } from '../db/pool.js';
import { createCameraRulesState, type CameraRulesState } from './engine.js';
import type { PendingFrame } from './frame-order.js';
import { decodeRulesState, encodeRulesState, type StoredRulesState } from './rules-state-codec.js';

/*
 * The camera's rules state row and the frames waiting for it. The row is locked for the whole transaction that
 * applies frames, so two rules jobs of one camera (on any number of workers) take turns, and each sees the other's
 * last applied sequence number.
 */

export interface LockedRulesState {
  lastSeq: number;
  state: CameraRulesState;
  /** Changes whenever the state row is created afresh; part of every violation's dedupe key. */
  epoch: string;
  /** The database's clock, so waiting times do not depend on the worker's. */
  now: number;
}

/** Creates the row if the camera has none, then locks it until the transaction ends. */
export async function lockRulesState(tx: Queryable, cameraId: string): Promise<LockedRulesState> {
  await tx.query(
    `insert into camera_rule_state (camera_id, last_seq, state) values ($1, 0, $2)
     on conflict (camera_id) do nothing`,
    [cameraId, JSON.stringify(encodeRulesState(createCameraRulesState()))],
  );
  const { rows } = await tx.query<{ last_seq: number; state: StoredRulesState; epoch: string; now: Date }>(
    'select last_seq, state, epoch, now() as now from camera_rule_state where camera_id = $1 for update',
    [cameraId],
  );
  const row = rows[0]!;
  return {
    lastSeq: row.last_seq,
    state: decodeRulesState(row.state),
    epoch: row.epoch,
    now: row.now.getTime(),
  };
}

export async function saveRulesState(
  tx: Queryable,
  cameraId: string,
  lastSeq: number,
  state: CameraRulesState,
): Promise<void> {
  await tx.query(
    'update camera_rule_state set last_seq = $2, state = $3, updated_at = now() where camera_id = $1',
    [cameraId, lastSeq, JSON.stringify(encodeRulesState(state))],
  );
}

export interface FrameForRules extends PendingFrame {
  capturedAt: Date;
  cameraVersion: number;
  width: number;
  height: number;
  detections: Detection[] | null;
  grid: Buffer | null;
}

/** The camera's frames after `afterSeq`, in sequence order, each with its detections when they are stored. */
export async function framesAfter(
  tx: Queryable,
  cameraId: string,
  afterSeq: number,
  limit: number,
): Promise<FrameForRules[]> {
  const { rows } = await tx.query<{
    id: number;
    seq: number;
    status: PendingFrame['status'];
    created_at: Date;
    captured_at: Date;
    camera_version: number;
    width: number;
    height: number;
    items: Detection[] | null;
    grid: Buffer | null;
    frame_width: number | null;
    frame_height: number | null;
  }>(
    `select f.id, f.seq, f.status, f.created_at, f.captured_at, f.camera_version, f.width, f.height,
            d.items, d.grid, d.frame_width, d.frame_height
       from frames f left join detections d on d.frame_id = f.id
      where f.camera_id = $1 and f.seq > $2
      order by f.seq
      limit $3`,
    [cameraId, afterSeq, limit],
  );
  return rows.map((r) => ({
    frameId: r.id,
    seq: r.seq,
    status: r.status,
    ready: r.items !== null,
    createdAt: r.created_at.getTime(),
    capturedAt: r.captured_at,
    cameraVersion: r.camera_version,
    width: r.frame_width ?? r.width,
    height: r.frame_height ?? r.height,
    detections: r.items,
    grid: r.grid,
  }));
}

/** Capture time (ms) of the last frame the rules judged for the camera, from its saved state; null before any. */
export async function lastJudgedAt(db: Queryable, cameraId: string): Promise<number | null> {
  const { rows } = await db.query<{ last_at: string | null }>(
    `select state->'rules'->>'lastAt' as last_at from camera_rule_state where camera_id = $1`,
    [cameraId],
  );
  return rows[0]?.last_at ? Number(rows[0].last_at) : null;
}
