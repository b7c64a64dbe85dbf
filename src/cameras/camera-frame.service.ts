import type { Pool } from '../db/pool.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import { createSource } from '../ingest/create-source.js';
import type { CapturedFrame } from '../ingest/frame-source.js';
import { parseSourceConfig } from '../ingest/source-config.schema.js';
import { DomainError, NotFoundError } from '../shared/errors.js';
import { FrameStore } from '../storage/frame-store.js';
import type { BlobStore } from '../storage/blob-store.js';

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
    const stored = await this.frames.put(frame.bytes);
    await this.pool.query(
      `insert into camera_health (camera_id, latest_frame_sha256, latest_frame_width, latest_frame_height) values ($1, $2, $3, $4)
       on conflict (camera_id) do update set latest_frame_sha256 = excluded.latest_frame_sha256,
         latest_frame_width = excluded.latest_frame_width, latest_frame_height = excluded.latest_frame_height, updated_at = now()`,
      [camera.id, stored.sha256, frame.width, frame.height],
    );
    return { sha256: stored.sha256, width: frame.width, height: frame.height };
  }

  async latest(cameraId: string): Promise<Buffer> {
    const { rows } = await this.pool.query<{ latest_frame_sha256: string | null }>(
      'select latest_frame_sha256 from camera_health where camera_id = $1',
      [cameraId],
    );
    const sha = rows[0]?.latest_frame_sha256;
    if (!sha || !(await this.frames.has(sha))) throw new NotFoundError('frame');
    return this.frames.get(sha);
  }
}
