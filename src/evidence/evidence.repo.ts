import type { Detection } from '../detect/detection.js';
import type { Queryable } from '../db/pool.js';

/** The rows the evidence stage reads (proof frames) and writes (the violation and its evidence items). */

export interface ProofFrameRow {
  frameId: number;
  seq: number;
  capturedAt: Date;
  timeAdjustment: string;
  sha256: string;
  width: number;
  height: number;
  cameraVersion: number;
  detections: Detection[];
  modelName: string | null;
  modelSha256: string | null;
}

export async function proofFrames(
  db: Queryable,
  cameraId: string,
  seqs: readonly number[],
): Promise<ProofFrameRow[]> {
  const { rows } = await db.query<{
    id: number;
    seq: number;
    captured_at: Date;
    time_adjustment: string;
    sha256: string;
    width: number;
    height: number;
    camera_version: number;
    items: Detection[] | null;
    model_name: string | null;
    model_sha256: string | null;
  }>(
    `select f.id, f.seq, f.captured_at, f.time_adjustment, f.sha256, f.width, f.height, f.camera_version,
            d.items, d.model_name, d.model_sha256
       from frames f left join detections d on d.frame_id = f.id
      where f.camera_id = $1 and f.seq = any($2::bigint[])
      order by f.seq`,
    [cameraId, [...new Set(seqs)]],
  );
  return rows.map((r) => ({
    frameId: r.id,
    seq: r.seq,
    capturedAt: r.captured_at,
    timeAdjustment: r.time_adjustment,
    sha256: r.sha256,
    width: r.width,
    height: r.height,
    cameraVersion: r.camera_version,
    detections: r.items ?? [],
    modelName: r.model_name,
    modelSha256: r.model_sha256,
  }));
}

export async function districtReviewMode(
  db: Queryable,
  districtId: string,
): Promise<'two_stage' | 'single_stage'> {
  const { rows } = await db.query<{ review_mode: 'two_stage' | 'single_stage' }>(
    'select review_mode from districts where id = $1',
    [districtId],
  );
  if (!rows[0]) throw new Error(`district ${districtId} does not exist`);
  return rows[0].review_mode;
}

export interface NewEvidenceItem {
  kind: 'original' | 'annotated' | 'crop' | 'manifest';
  frameId: number | null;
  storageKey: string;
  sha256: string;
  contentType: string;
  byteSize: number;
  capturedAt: Date | null;
  label: string;
}

export async function insertEvidenceItems(
  tx: Queryable,
  violationId: string,
  items: readonly NewEvidenceItem[],
): Promise<void> {
  for (const item of items) {
    await tx.query(
      `insert into evidence_items (violation_id, kind, frame_id, storage_key, sha256, content_type, byte_size,
                                   captured_at, label)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (storage_key) do nothing`,
      [
        violationId,
        item.kind,
        item.frameId,
        item.storageKey,
        item.sha256,
        item.contentType,
        item.byteSize,
        item.capturedAt,
        item.label,
      ],
    );
  }
}

export async function findViolationDistrict(db: Queryable, violationId: string): Promise<string | null> {
  const { rows } = await db.query<{ district_id: string }>(
    'select district_id from violations where id = $1',
    [violationId],
  );
  return rows[0]?.district_id ?? null;
}

/** Whether the evidence stage wrote the warning only after the engine had already re-checked the scene. */
export async function violationWarnedAfterRecheck(db: Queryable, violationId: string): Promise<boolean> {
  const { rows } = await db.query<{ late: boolean }>(
    `select coalesce((details->>'warnedAfterRecheck')::boolean, false) as late from violations where id = $1`,
    [violationId],
  );
  return rows[0]?.late ?? false;
}

/** The manifest written when the violation was confirmed. */
export async function findViolationManifest(
  db: Queryable,
  violationId: string,
): Promise<{ manifest_key: string; manifest_sha256: string } | null> {
  const { rows } = await db.query<{ manifest_key: string; manifest_sha256: string }>(
    'select manifest_key, manifest_sha256 from violations where id = $1',
    [violationId],
  );
  return rows[0] ?? null;
}
