import { recordCameraError } from '../cameras/camera-health.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { NO_METRICS, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { jobIds, type JobPayloads } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { BlobNotFoundError } from '../storage/blob-store.js';
import { FrameIntegrityError, type FrameStore } from '../storage/frame-store.js';
import type { Zone } from '../zones/zone.schema.js';
import { cameraDetectConfig } from './camera-detect-config.js';
import { FrameDecodeError } from './detect-errors.js';
import type { Detector } from './detector.service.js';

/** Size of the grayscale grid kept for the rules' background model (see rules/scene-change.ts). */
export const GRID_WIDTH = 64;
export const GRID_HEIGHT = 36;

interface FrameRow {
  id: number;
  camera_id: string;
  seq: number;
  sha256: string;
  captured_at: Date;
  camera_version: number;
  status: string;
}

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
    const done = await pool.query('select 1 from detections where frame_id = $1', [job.frameId]);
    if (done.rowCount) {
      await this.enqueueRules(job);
      metrics.framesOut('detect');
      return 'already';
    }
    const frame = (await pool.query<FrameRow>('select * from frames where id = $1', [job.frameId])).rows[0];
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
      await tx.query(
        `insert into detections (frame_id, model_name, model_sha256, items, timings, grid, frame_width, frame_height)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (frame_id) do nothing`,
        [
          frame.id,
          detector.model.name,
          detector.model.sha256,
          JSON.stringify(result.detections),
          JSON.stringify(result.timings),
          grid,
          result.width,
          result.height,
        ],
      );
      await tx.query(`update frames set status = 'detected' where id = $1 and status <> 'dropped'`, [
        frame.id,
      ]);
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
    const { rows } = await this.deps.pool.query<{
      zones: { definition: Zone; deleted_at: string | null }[] | null;
      filter: Record<string, number> | null;
    }>(
      `select v.config->'zones' as zones, c.detection_filter as filter
         from camera_versions v join cameras c on c.id = v.camera_id
        where v.camera_id = $1 and v.version = $2`,
      [frame.camera_id, frame.camera_version],
    );
    const zones = (rows[0]?.zones ?? []).map((z) => z.definition);
    return cameraDetectConfig(zones, rows[0]?.filter ?? {}, frame.captured_at.getTime());
  }

  private async fail(frame: FrameRow, message: string): Promise<void> {
    await this.deps.pool.query(`update frames set status = 'failed' where id = $1`, [frame.id]);
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
