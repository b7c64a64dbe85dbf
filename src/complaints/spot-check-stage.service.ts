import { findVersionDetectSettings } from '../cameras/camera.repo.js';
import type { Pool } from '../db/pool.js';
import { cameraDetectConfig } from '../detect/camera-detect-config.js';
import type { Detector } from '../detect/detector.service.js';
import type { JobPayloads } from '../queue/jobs.js';
import { loadJudgingConfig } from '../rules/judging-config.repo.js';
import { spotJudgement } from '../rules/spot-judgement.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import { finishSpotCheck, findSpotCheckForJob } from './spot-check.repo.js';

export type SpotCheckOutcome = 'done' | 'failed' | 'already' | 'gone';

/** Which try of its job this is: the last one records a failure instead of throwing for a retry. */
export interface SpotCheckAttempt {
  number: number;
  of: number;
}

/**
 * The `spot-check` job, served by the detect worker (it holds the onnxruntime session): the detector runs on the
 * check's stored frame with the camera's zone crops and filter, and the detections are judged against the
 * camera's zones as they are now (src/rules/spot-judgement.ts). Nothing here touches frames, detections or the
 * rules' state; the result goes on the check's own row.
 */
export class SpotCheckStage {
  constructor(private readonly deps: { pool: Pool; blobs: BlobStore; detector: Detector; logger: Logger }) {}

  async handle(job: JobPayloads['spot-check'], attempt: SpotCheckAttempt): Promise<SpotCheckOutcome> {
    const { pool, blobs, detector } = this.deps;
    const check = await findSpotCheckForJob(pool, job.spotCheckId);
    if (!check) return 'gone';
    if (check.status !== 'pending') return 'already';
    const log = this.deps.logger.child({ spotCheckId: check.id, cameraId: check.cameraId });
    try {
      const judging = await loadJudgingConfig(pool, check.cameraId, check.cameraVersion);
      const settings = await findVersionDetectSettings(pool, check.cameraId, check.cameraVersion);
      const at = check.requestedAt.getTime();
      const bytes = await blobs.get(check.imageKey);
      const detected = await detector.detect(
        bytes,
        cameraDetectConfig(judging.zones, settings?.filter ?? {}, at),
      );
      const config = judging.fixedAspect
        ? judging.rules
        : { ...judging.rules, frameAspect: detected.width / detected.height };
      const result = spotJudgement(judging.zones, detected.detections, config, at);
      await finishSpotCheck(pool, check.id, { status: 'done', result });
      log.info({ zones: result.zones.length, detections: detected.detections.length }, 'spot check judged');
      return 'done';
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt.number < attempt.of) throw err;
      await finishSpotCheck(pool, check.id, { status: 'failed', error: message });
      log.warn({ err: message }, 'spot check failed after its retries');
      return 'failed';
    }
  }
}
