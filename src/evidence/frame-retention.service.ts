import type { Pool } from '../db/pool.js';
import { deleteRetiredFrames, frameBlobNeeded } from '../ingest/frame.repo.js';
import type { Logger } from '../shared/logger.js';
import type { FrameStore, SweepResult } from '../storage/frame-store.js';

/*
 * Frames that never became evidence are kept only briefly. A frame row goes once it is older than the retention
 * and none of these holds:
 *
 * - it is evidence, or may become evidence (`frames.evidence`, set by the rules stage on proof frames);
 * - it is its camera's latest frame (staff draw zones on it);
 * - it is still in flight: waiting for detection, or detected but not yet applied by the rules.
 *
 * Blobs are content-addressed and shared by every frame row with the same bytes (a still scene), so they are
 * swept separately: an old blob goes when no remaining row needs it. A proof frame's blob is needed until the
 * evidence stage has copied it into the evidence area; after that the copy is the record.
 */

export interface RetentionDeps {
  pool: Pool;
  frames: FrameStore;
  logger: Logger;
}

export interface RetentionResult {
  rowsDeleted: number;
  blobs: SweepResult;
}

const BATCH = 5_000;

export async function sweepFrames(
  deps: RetentionDeps,
  options: { olderThanMinutes: number; now?: Date },
): Promise<RetentionResult> {
  if (!(options.olderThanMinutes > 0)) {
    throw new Error(`frame retention must be a positive number of minutes, not ${options.olderThanMinutes}`);
  }
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.olderThanMinutes * 60_000);
  let rowsDeleted = 0;
  for (;;) {
    const deleted = await deleteRetiredFrames(deps.pool, cutoff, BATCH);
    rowsDeleted += deleted;
    if (deleted < BATCH) break;
  }
  const blobs = await deps.frames.sweepExpired(cutoff, async (key) => {
    const sha256 = key.slice(key.lastIndexOf('/') + 1, -'.jpg'.length);
    return frameBlobNeeded(deps.pool, sha256);
  });
  deps.logger.info({ rowsDeleted, blobs, cutoff }, 'frame retention');
  return { rowsDeleted, blobs };
}
