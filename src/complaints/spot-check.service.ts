import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { assertRole, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { CameraUnreachableError, type CameraFrameService } from '../cameras/camera-frame.service.js';
import { findCamera } from '../cameras/camera.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { SourceConfigError } from '../ingest/source-config.schema.js';
import { jobIds, SPOT_CHECK_RETRY } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import { DomainError, NotFoundError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { sha256Hex } from '../storage/frame-store.js';
import { COMPLAINT_ROLES } from './complaint-rules.js';
import { findComplaint } from './complaint.repo.js';
import {
  findSpotCheck,
  finishSpotCheck,
  insertSpotCheck,
  listSpotChecks,
  type SpotCheckRow,
} from './spot-check.repo.js';

/**
 * Spot checks of a complaint (现场图像核查): staff take one frame from the complaint's matched camera, the way
 * "test the source" does (the same guarded source and timeout), and the detect worker judges it against the
 * camera's zones (spot-check-stage.service.ts). The frame stays out of the frames table and the rules' state
 * (ingest numbers each camera's frames itself), so the camera's own sequence is never disturbed; it is kept
 * under its SHA-256 like evidence. A snapshot to help the complaint's handling: it makes no violation or case.
 */

export class SpotCheckNoCameraError extends DomainError {
  constructor() {
    super(409, 'spot_check_no_camera', 'the complaint has no matched camera to take a frame from');
  }
}

/** The camera gave no frame: said as a failed dependency, not a server fault; nothing is stored. */
export class SpotCheckGrabError extends DomainError {
  constructor(message: string) {
    super(424, 'camera_unreachable', message);
  }
}

export function spotCheckImageKey(complaintId: string, sha256: string): string {
  return `spot-checks/${complaintId}/${sha256}.jpg`;
}

export interface SpotCheckServiceDeps {
  pool: Pool;
  blobs: BlobStore;
  cameraFrames: CameraFrameService;
  queues: Queues;
  /** how long to wait for the camera's frame (the "test the source" timeout by default) */
  grabTimeoutMs?: number;
}

export class SpotCheckService {
  constructor(private readonly deps: SpotCheckServiceDeps) {}

  /** Takes a frame now from the complaint's matched camera, stores it and queues its judgement. */
  async request(staff: StaffPrincipal, complaintId: string): Promise<string> {
    assertRole(staff, COMPLAINT_ROLES);
    const { pool, blobs } = this.deps;
    const complaint = await findComplaint(pool, complaintId, districtScope(staff));
    if (!complaint) throw new NotFoundError('complaint not found');
    if (!complaint.matchedCameraId) throw new SpotCheckNoCameraError();
    const camera = await findCamera(pool, complaint.matchedCameraId);
    if (!camera) throw new SpotCheckNoCameraError();

    let bytes: Buffer;
    try {
      bytes = (await this.deps.cameraFrames.grab(camera, this.deps.grabTimeoutMs)).bytes;
    } catch (err) {
      if (err instanceof CameraUnreachableError || err instanceof SourceConfigError)
        throw new SpotCheckGrabError(`the camera gave no frame: ${err.message}`);
      throw err;
    }
    const sha256 = sha256Hex(bytes);
    const imageKey = spotCheckImageKey(complaint.id, sha256);
    await blobs.put(imageKey, bytes, { ifNotExists: true, durable: true, contentType: 'image/jpeg' });

    const id = await withTransaction(pool, async (tx) => {
      const checkId = await insertSpotCheck(tx, {
        complaintId: complaint.id,
        cameraId: camera.id,
        requestedBy: staff.id,
        imageKey,
        sha256,
      });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'complaint.spot_check_requested',
        subjectKind: 'complaint',
        subjectId: complaint.id,
        districtId: complaint.districtId,
        data: { spotCheckId: checkId, cameraId: camera.id, sha256 },
      });
      return checkId;
    });
    try {
      await this.deps.queues.enqueue(
        'spot-check',
        { spotCheckId: id },
        {
          jobId: jobIds.spotCheck(id),
          attempts: SPOT_CHECK_RETRY.attempts,
          backoffMs: SPOT_CHECK_RETRY.backoffMs,
        },
      );
    } catch (err) {
      // without its job the check would stay pending for ever: say why it has no result, then fail the request
      const message = err instanceof Error ? err.message : String(err);
      await finishSpotCheck(pool, id, { status: 'failed', error: `not queued: ${message}` });
      throw err;
    }
    return id;
  }

  /** A complaint's spot checks, newest first (the complaint page reads them after its own audited view). */
  async list(staff: StaffPrincipal, complaintId: string): Promise<SpotCheckRow[]> {
    assertRole(staff, COMPLAINT_ROLES);
    return listSpotChecks(this.deps.pool, complaintId, districtScope(staff));
  }

  /** The frame of one spot check, for staff of the complaint's district; every view is audited. */
  async image(staff: StaffPrincipal, complaintId: string, checkId: string): Promise<Buffer> {
    assertRole(staff, COMPLAINT_ROLES);
    const check = await findSpotCheck(this.deps.pool, complaintId, checkId, districtScope(staff));
    if (!check) throw new NotFoundError('frame not found');
    const bytes = await this.deps.blobs.get(check.imageKey);
    await appendAuditNow(this.deps.pool, {
      actorKind: 'staff',
      actorId: staff.id,
      action: 'complaint.spot_check_image_viewed',
      subjectKind: 'complaint',
      subjectId: complaintId,
      districtId: check.districtId,
      data: { spotCheckId: check.id },
    });
    return bytes;
  }
}
