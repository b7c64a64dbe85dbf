import type { Pool } from '../db/pool.js';
import { jobIds } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { staleCandidates } from './candidate.repo.js';

/*
 * Stages commit first and enqueue after, so a crash between the two leaves a candidate with no job, and a job
 * that failed all its attempts keeps its id (a fixed-id re-add is then ignored). This finds candidates that
 * should have moved by now and enqueues them again under an id of the current time bucket: at most one extra job
 * per candidate and bucket, and the evidence stage does nothing for a candidate that has moved meanwhile. For a
 * warned candidate whose re-check never came, the evidence stage enqueues the re-check again (fixed id).
 */
export async function enqueueStaleCandidates(
  deps: { pool: Pool; queues: Pick<Queues, 'enqueue'>; logger: Logger },
  options: {
    olderThanSeconds: number;
    limit?: number;
    now?: number;
    /** How long after its grace period a warned candidate may wait for its re-check (see staleCandidates). */
    recheckOverdueSeconds?: number;
  },
): Promise<number> {
  const stale = await staleCandidates(
    deps.pool,
    options.olderThanSeconds,
    options.limit ?? 500,
    options.recheckOverdueSeconds,
  );
  const bucket = Math.floor((options.now ?? Date.now()) / (options.olderThanSeconds * 1000));
  for (const c of stale) {
    await deps.queues.enqueue(
      'evidence',
      { cameraId: c.camera_id, dedupeKey: c.dedupe_key },
      { jobId: jobIds.evidence(c.dedupe_key, `sweep-${bucket}`) },
    );
  }
  if (stale.length > 0)
    deps.logger.warn({ count: stale.length }, 'evidence jobs enqueued again for stale candidates');
  return stale.length;
}
