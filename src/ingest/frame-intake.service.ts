import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { findCameraSequence, recordFrameDropped, recordFrameTaken } from '../cameras/camera-health.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { jobIds } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import { BlobStoreUnavailableError } from '../storage/blob-store.js';
import type { FrameStore, StoredFrame } from '../storage/frame-store.js';
import { backoffDelay, type BackoffSettings } from './backoff.js';
import { FrameSequencer } from './frame-sequencer.js';
import type { CapturedFrame } from './frame-source.js';
import { insertFrame, markFrameDropped } from './frame.repo.js';

export interface IntakeCamera {
  id: string;
  version: number;
}

export interface IntakeResult {
  frameId: number;
  seq: number;
  sha256: string;
  /** a frame of this camera that was still waiting for detection and was replaced by this one */
  replacedFrameId: number | null;
}

const WAITING_STATES = new Set(['waiting', 'prioritized', 'delayed']);

const STORE_RETRY: BackoffSettings = { initialDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Takes a captured frame into the pipeline: stores the bytes (content-addressed), records the frame with the
 * camera's next sequence number and the config version it will be judged under, then enqueues detection.
 *
 * Backpressure: a camera never has more than one frame waiting for detection. The newest frame wins; the one it
 * replaces is removed from the queue (if no detector has taken it yet), marked dropped and counted. The new job is
 * queued before the old one is removed, so for that moment two wait: if queueing fails, the older frame is still
 * there to be detected instead of neither.
 *
 * A blob store that is away or slow holds the frame in hand: its write is tried again with backoff until it is
 * stored (or the camera is stopped), and nothing is recorded or enqueued before that. The camera's loop waits
 * meanwhile, so a file replay pauses and a live source keeps only its newest frames (counted as dropped there).
 */
export class FrameIntake {
  private readonly sequencer = new FrameSequencer();
  private readonly resumed = new Set<string>();

  /** Writes that found the blob store unavailable and were tried again (a figure for operators and tests). */
  storeRetries = 0;

  constructor(
    private readonly deps: {
      pool: Pool;
      frames: FrameStore;
      queues: Queues;
      redis: Redis;
      logger: Logger;
      storeRetry?: BackoffSettings;
    },
  ) {}

  private pendingKey(cameraId: string): string {
    return `${this.deps.queues.prefix}:pending-detect:${cameraId}`;
  }

  private async resume(cameraId: string): Promise<void> {
    if (this.resumed.has(cameraId)) return;
    const row = await findCameraSequence(this.deps.pool, cameraId);
    if (row)
      this.sequencer.resume(cameraId, {
        lastSeq: row.last_seq,
        lastCapturedAt: row.last_captured_at ?? new Date(0),
      });
    this.resumed.add(cameraId);
  }

  /**
   * Drops what this process remembers of a camera's sequence; the next frame continues from the database. Called
   * whenever this worker takes a camera (again): another worker may have numbered frames in the meantime.
   */
  forget(cameraId: string): void {
    this.resumed.delete(cameraId);
  }

  /** `signal` ends the wait for an unavailable blob store (the camera is being stopped); the frame is then lost. */
  async intake(camera: IntakeCamera, frame: CapturedFrame, signal?: AbortSignal): Promise<IntakeResult> {
    await this.resume(camera.id);
    const stored = await this.storeFrame(camera.id, frame.bytes, signal);
    const seqd = this.sequencer.next(camera.id, {
      proposedAt: frame.capturedAt,
      receivedAt: frame.receivedAt,
      clock: frame.clock,
    });
    const frameId = await withTransaction(this.deps.pool, async (tx) => {
      const id = await insertFrame(tx, {
        cameraId: camera.id,
        seq: seqd.seq,
        capturedAt: seqd.capturedAt,
        sha256: stored.sha256,
        storageKey: stored.key,
        width: frame.width,
        height: frame.height,
        byteSize: frame.bytes.length,
        cameraVersion: camera.version,
        timeAdjustment: seqd.adjustment,
      });
      await recordFrameTaken(tx, camera.id, {
        seq: seqd.seq,
        capturedAt: seqd.capturedAt,
        sha256: stored.sha256,
        width: frame.width,
        height: frame.height,
      });
      return id;
    });

    const jobId = jobIds.detect(frameId);
    await this.deps.queues.enqueue(
      'detect',
      { frameId, cameraId: camera.id, seq: seqd.seq, storageKey: stored.key, sha256: stored.sha256 },
      { jobId },
    );
    const previous = await this.deps.redis.getset(this.pendingKey(camera.id), jobId);
    const replacedFrameId =
      previous && previous !== jobId ? await this.dropIfWaiting(camera.id, previous) : null;
    return { frameId, seq: seqd.seq, sha256: stored.sha256, replacedFrameId };
  }

  private async storeFrame(cameraId: string, bytes: Buffer, signal?: AbortSignal): Promise<StoredFrame> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.frames.put(bytes);
      } catch (err) {
        if (!(err instanceof BlobStoreUnavailableError) || signal?.aborted) throw err;
        this.storeRetries++;
        const waitMs = backoffDelay(attempt, this.deps.storeRetry ?? STORE_RETRY);
        this.deps.logger.warn(
          { cameraId, attempt, waitMs, err: err.message },
          'frame held: blob store unavailable',
        );
        try {
          await delay(waitMs, undefined, { signal });
        } catch {
          throw err; // stopped while waiting
        }
      }
    }
  }

  /** Removes a still-waiting detection job; a job a detector already holds is left alone. */
  private async dropIfWaiting(cameraId: string, jobId: string): Promise<number | null> {
    const job = await this.deps.queues.job('detect', jobId);
    if (!job || !WAITING_STATES.has(await job.getState())) return null;
    try {
      await job.remove();
    } catch {
      return null; // taken by a detector between the two calls
    }
    const frameId = Number(jobId.slice('frame-'.length));
    await withTransaction(this.deps.pool, async (tx) => {
      await markFrameDropped(tx, frameId);
      await recordFrameDropped(tx, cameraId);
    });
    this.deps.logger.debug({ cameraId, frameId }, 'frame replaced before detection');
    return frameId;
  }
}
