import type { Queryable } from '../db/pool.js';

export interface WaitingFrame {
  id: number;
  camera_id: string;
  seq: number;
  storage_key: string;
  sha256: string;
}

/** Frames still waiting for detection after `olderThanS`, that the rules have not passed over yet. */
export async function framesWaitingForDetection(
  db: Queryable,
  olderThanS: number,
  limit: number,
): Promise<WaitingFrame[]> {
  const { rows } = await db.query<WaitingFrame>(
    `select f.id, f.camera_id, f.seq, f.storage_key, f.sha256
       from frames f left join camera_rule_state s on s.camera_id = f.camera_id
      where f.status = 'queued' and f.created_at < now() - make_interval(secs => $1)
        and f.seq > coalesce(s.last_seq, -1)
      order by f.created_at limit $2`,
    [olderThanS, limit],
  );
  return rows;
}

export interface UnjudgedCamera {
  camera_id: string;
  frame_id: number;
  seq: number;
}

/** Cameras with a frame detected over `olderThanS` ago that the rules have not judged yet: the newest such frame. */
export async function camerasWithUnjudgedFrames(
  db: Queryable,
  olderThanS: number,
): Promise<UnjudgedCamera[]> {
  const { rows } = await db.query<UnjudgedCamera>(
    `select distinct on (f.camera_id) f.camera_id, f.id as frame_id, f.seq
       from frames f left join camera_rule_state s on s.camera_id = f.camera_id
      where f.status = 'detected' and f.seq > coalesce(s.last_seq, -1)
        and f.created_at < now() - make_interval(secs => $1)
      order by f.camera_id, f.seq desc`,
    [olderThanS],
  );
  return rows;
}
