import type { Pool } from '../db/pool.js';
import { jobIds } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { camerasWithUnjudgedFrames, framesWaitingForDetection } from './lost-frames.repo.js';

/*
 * A frame is stored, then its detection job enqueued. A Redis that comes back without its data has lost the jobs
 * of the frames waiting; the rules would wait for them and then pass over them as lost. Frames still waiting well
 * within the rules' gap timeout whose job is gone are enqueued again under the same id (the detect stage does
 * nothing for a frame that has been detected meanwhile). A job still in Redis, in any state, is left to BullMQ.
 * Likewise a camera whose detected frames wait for a `rules` job that Redis lost (the next frame's job would judge
 * them, but the last frame of a camera that stops has no next) gets one, under an id of the current time bucket.
 */
export async function requeueLostFrames(
  deps: { pool: Pool; queues: Queues; logger: Logger },
  options: { olderThanSeconds: number; limit?: number },
): Promise<number> {
  const waiting = await framesWaitingForDetection(deps.pool, options.olderThanSeconds, options.limit ?? 500);
  let requeued = 0;
  for (const f of waiting) {
    const jobId = jobIds.detect(f.id);
    if (await deps.queues.job('detect', jobId)) continue;
    await deps.queues.enqueue(
      'detect',
      { frameId: f.id, cameraId: f.camera_id, seq: f.seq, storageKey: f.storage_key, sha256: f.sha256 },
      { jobId },
    );
    requeued++;
  }
  if (requeued > 0) deps.logger.warn({ count: requeued }, 'detection jobs lost from Redis enqueued again');
  const bucket = Math.floor(Date.now() / (options.olderThanSeconds * 1000));
  const unjudged = await camerasWithUnjudgedFrames(deps.pool, options.olderThanSeconds);
  // A rules job of any id still waiting for the camera judges these frames; only a camera with none gets one.
  const pending = unjudged.length
    ? await deps.queues.queue('rules').getJobs(['waiting', 'active', 'delayed', 'prioritized'])
    : [];
  const served = new Set(pending.map((j) => (j.data as { cameraId?: string }).cameraId));
  for (const c of unjudged) {
    if (served.has(c.camera_id)) continue;
    await deps.queues.enqueue(
      'rules',
      { frameId: c.frame_id, cameraId: c.camera_id, seq: c.seq },
      { jobId: jobIds.rulesSweep(c.camera_id, bucket) },
    );
    requeued++;
    deps.logger.warn({ cameraId: c.camera_id, seq: c.seq }, 'rules job lost from Redis enqueued again');
  }
  return requeued;
}
