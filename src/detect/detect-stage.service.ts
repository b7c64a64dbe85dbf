import { recordCameraError } from '../cameras/camera-health.repo.js';
import { findVersionDetectSettings } from '../cameras/camera.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { findFrame, markFrameDetected, markFrameFailed, type FrameRow } from '../ingest/frame.repo.js';
import { NO_METRICS, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { jobIds, type JobPayloads } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { BlobNotFoundError } from '../storage/blob-store.js';
import { FrameIntegrityError, type FrameStore } from '../storage/frame-store.js';
import { cameraDetectConfig } from './camera-detect-config.js';
import { FrameDecodeError } from './detect-errors.js';
import { frameHasDetection, insertDetection } from './detection.repo.js';
import type { Detector } from './detector.service.js';

/** Size of the grayscale grid kept for the rules' background model (see rules/scene-change.ts). */
export const GRID_WIDTH = 64;
export const GRID_HEIGHT = 36;

/**
 * The `detect` job: run the detector on a stored frame (with crops of the camera's active zones and its filters,
 * taken from the config version the frame was captured under), keep the detections and a small grayscale grid,
 * then hand the frame to the rules. Detections are written once per frame; a retried job only re-enqueues the
 * rules, which ignore a frame they already applied.
 */
export class DetectStage {
  constructor(
    private readonly deps: {
      pool: Pool;
      frames: FrameStore;
      queues: Queues;
      detector: Detector;
      logger: Logger;
      /** frames in, out and dropped, and inference times (none by default) */
      metrics?: PipelineMetrics;
    },
  ) {}

  async handle(job: JobPayloads['detect']): Promise<'detected' | 'already' | 'gone' | 'failed'> {
    const { pool, frames, detector } = this.deps;
    const metrics = this.deps.metrics ?? NO_METRICS;
    metrics.framesIn('detect');
    const log = this.deps.logger.child({ cameraId: job.cameraId, frameId: job.frameId, seq: job.seq });
    if (await frameHasDetection(pool, job.frameId)) {
      await this.enqueueRules(job);
      metrics.framesOut('detect');
      return 'already';
    }
    const frame = await findFrame(pool, job.frameId);
    if (!frame || frame.status === 'dropped') {
      metrics.framesDropped('detect', 'gone');
      return 'gone';
    }

    let bytes: Buffer;
    try {
      bytes = await frames.get(frame.sha256);
    } catch (err) {
      if (err instanceof BlobNotFoundError || err instanceof FrameIntegrityError) {
        await this.fail(frame, `frame ${frame.seq} unreadable: ${err.message}`);
        log.warn({ err: err.message }, 'frame unreadable');
        metrics.framesDropped('detect', 'unreadable');
        return 'failed';
      }
      throw err;
    }

    const config = await this.configFor(frame);
    let result;
    try {
      // the grid comes from the pixels the detector already decoded, not from a second decode
      result = await detector.detect(bytes, { ...config, grid: { width: GRID_WIDTH, height: GRID_HEIGHT } });
    } catch (err) {
      if (err instanceof FrameDecodeError) {
        await this.fail(frame, `frame ${frame.seq} could not be decoded: ${err.message}`);
        log.warn({ err: err.message }, 'corrupt frame');
        metrics.framesDropped('detect', 'undecodable');
        return 'failed';
      }
      throw err;
    }
    const grid = result.grid ? Buffer.from(result.grid.data) : null;

    await withTransaction(pool, async (tx) => {
      await insertDetection(tx, {
        frameId: frame.id,
        model: detector.model,
        items: result.detections,
        timings: result.timings,
        grid,
        frameWidth: result.width,
        frameHeight: result.height,
      });
      await markFrameDetected(tx, frame.id);
    });
    await this.enqueueRules(job);
    metrics.framesOut('detect');
    metrics.detected(detector.model.name, result.timings);
    log.debug(
      { detections: result.detections.length, ms: Math.round(result.timings.totalMs) },
      'frame detected',
    );
    return 'detected';
  }

  private async configFor(frame: FrameRow) {
    const settings = await findVersionDetectSettings(this.deps.pool, frame.camera_id, frame.camera_version);
    const zones = (settings?.zones ?? []).map((z) => z.definition);
    return cameraDetectConfig(zones, settings?.filter ?? {}, frame.captured_at.getTime());
  }

  private async fail(frame: FrameRow, message: string): Promise<void> {
    await markFrameFailed(this.deps.pool, frame.id);
    await recordCameraError(this.deps.pool, frame.camera_id, message);
  }

  private enqueueRules(job: JobPayloads['detect']): Promise<void> {
    return this.deps.queues.enqueue(
      'rules',
      { frameId: job.frameId, cameraId: job.cameraId, seq: job.seq },
      { jobId: jobIds.rules(job.frameId) },
    );
  }
}
