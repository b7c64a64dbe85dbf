import type { Pool } from '../db/pool.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { framesWaitingForDetection } from './lost-frames.repo.js';

/*
 * A frame is stored, then its detection job enqueued. A Redis that comes back without its data has lost the jobs
 * of the frames waiting; the rules would wait for them and then pass over them as lost. Frames still waiting well
 * within the rules' gap timeout whose job is gone are enqueued again under the same id (the detect stage does
 * nothing for a frame that has been detected meanwhile). A job still in Redis, in any state, is left to BullMQ.
 */
export async function requeueLostFrames(
  deps: { pool: Pool; queues: Queues; logger: Logger },
  options: { olderThanSeconds: number; limit?: number },
): Promise<number> {
  const waiting = await framesWaitingForDetection(deps.pool, options.olderThanSeconds, options.limit ?? 500);
  let requeued = 0;
  for (const f of waiting) {
    const jobId = `frame-${f.id}`;
    if (await deps.queues.job('detect', jobId)) continue;
    await deps.queues.enqueue(
      'detect',
      { frameId: f.id, cameraId: f.camera_id, seq: f.seq, storageKey: f.storage_key, sha256: f.sha256 },
      { jobId },
    );
    requeued++;
  }
  if (requeued > 0) deps.logger.warn({ count: requeued }, 'detection jobs lost from Redis enqueued again');
  return requeued;
}
