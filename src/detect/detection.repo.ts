import type { Queryable } from '../db/pool.js';
import type { Detection } from './detection.js';
import type { DetectTimings } from './detector.service.js';

/*
 * The detections table: what the detector saw on a frame, written once per frame by the detect stage and read by
 * the rules, evidence and data set export.
 */

export interface NewDetection {
  frameId: number;
  model: { name: string; sha256: string };
  items: readonly Detection[];
  timings: DetectTimings;
  /** the grayscale grid of the frame for the rules' background model */
  grid: Buffer | null;
  frameWidth: number;
  frameHeight: number;
}

export async function frameHasDetection(db: Queryable, frameId: number): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from detections where frame_id = $1', [frameId]);
  return (rowCount ?? 0) > 0;
}

/** Writes the frame's detections once; a second write for the same frame does nothing. */
export async function insertDetection(tx: Queryable, d: NewDetection): Promise<void> {
  await tx.query(
    `insert into detections (frame_id, model_name, model_sha256, items, timings, grid, frame_width, frame_height)
     values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (frame_id) do nothing`,
    [
      d.frameId,
      d.model.name,
      d.model.sha256,
      JSON.stringify(d.items),
      JSON.stringify(d.timings),
      d.grid,
      d.frameWidth,
      d.frameHeight,
    ],
  );
}
