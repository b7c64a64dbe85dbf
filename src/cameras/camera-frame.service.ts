import type { Pool } from '../db/pool.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import { createSource } from '../ingest/create-source.js';
import type { CapturedFrame } from '../ingest/frame-source.js';
import { parseSourceConfig } from '../ingest/source-config.schema.js';
import { DomainError, NotFoundError } from '../shared/errors.js';
import { FrameStore } from '../storage/frame-store.js';
import type { BlobStore } from '../storage/blob-store.js';
import { findLatestFrameSha256, setLatestFrame } from './camera-health.repo.js';

export class CameraUnreachableError extends DomainError {
  constructor(message: string) {
    super(502, 'camera_unreachable', message);
  }
}

/**
 * The frame staff draw zones on. Taking one "now" goes through the same guarded source as ingest but does not
 * enter the pipeline (ingest owns each camera's sequence numbers); it only becomes the camera's latest frame.
 */
export class CameraFrameService {
  private readonly frames: FrameStore;

  constructor(
    private readonly pool: Pool,
    blobs: BlobStore,
    private readonly policy: CompiledAccessPolicy,
  ) {
    this.frames = new FrameStore(blobs);
  }

  async takeNow(
    camera: { id: string; source: unknown },
    timeoutMs = 15_000,
  ): Promise<{ sha256: string; width: number; height: number }> {
    const frame = await this.grab(camera, timeoutMs);
    const stored = await this.frames.put(frame.bytes);
    await setLatestFrame(this.pool, camera.id, {
      sha256: stored.sha256,
      width: frame.width,
      height: frame.height,
    });
    return { sha256: stored.sha256, width: frame.width, height: frame.height };
  }

  /**
   * One frame from the camera's source under the access policy, stored nowhere (a complaint's spot check keeps
   * it under its own key). Throws CameraUnreachableError when none arrives in time.
   */
  async grab(camera: { source: unknown }, timeoutMs = 15_000): Promise<CapturedFrame> {
    const config = parseSourceConfig(camera.source);
    // A folder camera's preview must not consume (move) the images waiting for ingest.
    const source = createSource(config.kind === 'folder' ? { ...config, afterRead: 'remember' } : config, {
      policy: this.policy,
    });
    const timer = setTimeout(() => void source.close(), timeoutMs);
    let frame: CapturedFrame | null = null;
    let failure = 'no frame arrived in time';
    try {
      for await (const event of source) {
        if (event.type === 'frame') {
          frame = event.frame;
          break;
        }
        failure = event.error.message;
        break;
      }
    } finally {
      clearTimeout(timer);
      await source.close();
    }
    if (!frame) throw new CameraUnreachableError(`could not take a frame: ${failure}`);
    return frame;
  }

  async latest(cameraId: string): Promise<Buffer> {
    const sha = await findLatestFrameSha256(this.pool, cameraId);
    if (!sha || !(await this.frames.has(sha))) throw new NotFoundError('frame');
    return this.frames.get(sha);
  }
}
