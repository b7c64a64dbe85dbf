import type { NormalizedBox } from '../detect/detection.js';
import type { RuleName } from '../rules/rule-events.js';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.js';
import { FrameIntegrityError, type FrameStore } from '../storage/frame-store.js';
import type { Zone } from '../zones/zone.schema.js';
import { evidenceKey, manifestKey } from './evidence-ids.js';
import {
  MANIFEST_FORMAT,
  serializeManifest,
  sha256Hex,
  type EvidenceManifest,
  type ManifestFrame,
  type ManifestItem,
} from './evidence-manifest.js';
import { PROOF_ROLE_TITLES, type ProofRole } from './evidence-overlay.js';
import type { EvidenceRenderer } from './evidence-render.adapter.js';
import type { NewEvidenceItem, ProofFrameRow } from './evidence.repo.js';

/*
 * Writes one evidence package into the blob store: for each proof frame the original exactly as captured, an
 * annotated copy and a close-up crop, then the manifest listing them all. Every blob is written with
 * `ifNotExists`, so nothing is ever overwritten; when a retry finds a blob already there, the stored bytes are
 * what gets hashed and recorded, and an original that is not the captured frame stops the package.
 */

export class EvidenceUnavailableError extends Error {
  override name = 'EvidenceUnavailableError';
}

export interface PackageDeps {
  blobs: BlobStore;
  frames: FrameStore;
  renderer: EvidenceRenderer;
  /**
   * Makes and keeps the review workbench's copy of an image (StoredThumbnails), so the first reviewer to open the
   * task does not wait for it; absent, the copy is made on the first view instead.
   */
  reviewCopies?: ReviewCopies;
}

export interface ReviewCopies {
  make(stored: { storage_key: string; sha256: string }): Promise<unknown>;
}

export interface PackageRequest {
  violationId: string;
  phase: 'confirm' | 'recheck';
  frames: readonly { row: ProofFrameRow; role: ProofRole }[];
  cameraName: string;
  rule: RuleName;
  zone: Pick<Zone, 'name' | 'kind' | 'points' | 'frontLine'> | null;
  violationBox: NormalizedBox;
  firstSeenAt: Date;
  /** Everything in the manifest that is not about the files. */
  manifest: Omit<EvidenceManifest, 'format' | 'phase' | 'frames' | 'items' | 'packagedAt'>;
  now: Date;
}

export interface WrittenPackage {
  items: NewEvidenceItem[];
  manifest: { key: string; sha256: string; byteSize: number; document: EvidenceManifest };
}

const JPEG = 'image/jpeg';

async function putImmutable(
  blobs: BlobStore,
  key: string,
  bytes: Buffer,
  contentType: string,
): Promise<{ sha256: string; byteSize: number; stored: Buffer }> {
  const result = await blobs.put(key, bytes, { ifNotExists: true, durable: true, contentType });
  const stored = result.created ? bytes : await blobs.get(key);
  return { sha256: sha256Hex(stored), byteSize: stored.length, stored };
}

async function capturedOriginal(frames: FrameStore, row: ProofFrameRow): Promise<Buffer> {
  try {
    return await frames.get(row.sha256);
  } catch (err) {
    if (err instanceof BlobNotFoundError) {
      throw new EvidenceUnavailableError(`proof frame #${row.seq} (${row.sha256}) is no longer stored`);
    }
    if (err instanceof FrameIntegrityError) {
      throw new EvidenceUnavailableError(`proof frame #${row.seq} fails its SHA-256 check: ${err.message}`);
    }
    throw err;
  }
}

export async function writeEvidencePackage(deps: PackageDeps, req: PackageRequest): Promise<WrittenPackage> {
  const items: NewEvidenceItem[] = [];
  const listed: ManifestItem[] = [];
  const manifestFrames: ManifestFrame[] = [];
  for (const { row, role } of req.frames) {
    const original = await capturedOriginal(deps.frames, row);
    const originalKey = evidenceKey(req.violationId, 'original', row.seq, req.phase);
    const kept = await putImmutable(deps.blobs, originalKey, original, JPEG);
    if (kept.sha256 !== row.sha256) {
      throw new Error(
        `${originalKey} already holds bytes with SHA-256 ${kept.sha256}, not the captured frame ${row.sha256}; it is never overwritten`,
      );
    }
    const annotated = await deps.renderer.annotated(original, {
      cameraName: req.cameraName,
      capturedAt: row.capturedAt,
      rule: req.rule,
      zone: req.zone,
      detections: row.detections,
      violationBox: req.violationBox,
      role,
      seq: row.seq,
      elapsedSeconds:
        role === 'first_seen' || role === 'before'
          ? undefined
          : (row.capturedAt.getTime() - req.firstSeenAt.getTime()) / 1000,
    });
    const crop = await deps.renderer.crop(original, req.violationBox);
    const annotatedKey = evidenceKey(req.violationId, 'annotated', row.seq, req.phase);
    const cropKey = evidenceKey(req.violationId, 'crop', row.seq, req.phase);
    const written = [
      { kind: 'original' as const, key: originalKey, blob: kept, label: '原始图像' },
      {
        kind: 'annotated' as const,
        key: annotatedKey,
        blob: await putImmutable(deps.blobs, annotatedKey, annotated, JPEG),
        label: '标注图像',
      },
      {
        kind: 'crop' as const,
        key: cropKey,
        blob: await putImmutable(deps.blobs, cropKey, crop, JPEG),
        label: '局部特写',
      },
    ];
    for (const w of written) {
      // a copy that cannot be made now is made on the first view; the evidence itself is already stored
      if (deps.reviewCopies && w.kind !== 'crop')
        await deps.reviewCopies.make({ storage_key: w.key, sha256: w.blob.sha256 }).catch(() => undefined);
      items.push({
        kind: w.kind,
        frameId: row.frameId,
        storageKey: w.key,
        sha256: w.blob.sha256,
        contentType: JPEG,
        byteSize: w.blob.byteSize,
        capturedAt: row.capturedAt,
        label: `${PROOF_ROLE_TITLES[role]} ${w.label} #${row.seq}`,
      });
      listed.push({
        kind: w.kind,
        key: w.key,
        sha256: w.blob.sha256,
        byteSize: w.blob.byteSize,
        contentType: JPEG,
        frameSeq: row.seq,
        role,
      });
    }
    manifestFrames.push({
      role,
      frameId: row.frameId,
      seq: row.seq,
      capturedAt: row.capturedAt.toISOString(),
      timeAdjustment: row.timeAdjustment,
      sha256: row.sha256,
      width: row.width,
      height: row.height,
      model: { name: row.modelName ?? 'unknown', sha256: row.modelSha256 ?? 'unknown' },
      detections: row.detections,
    });
  }
  const document: EvidenceManifest = {
    format: MANIFEST_FORMAT,
    phase: req.phase,
    ...req.manifest,
    frames: manifestFrames,
    items: listed,
    packagedAt: req.now.toISOString(),
  };
  const key = manifestKey(req.violationId, req.phase);
  const manifest = await putImmutable(deps.blobs, key, serializeManifest(document), 'application/json');
  // A retry keeps the manifest the first attempt wrote (its packaging time and register snapshot are the record).
  const stored = JSON.parse(manifest.stored.toString('utf8')) as EvidenceManifest;
  items.push({
    kind: 'manifest',
    frameId: null,
    storageKey: key,
    sha256: manifest.sha256,
    contentType: 'application/json',
    byteSize: manifest.byteSize,
    capturedAt: null,
    label: req.phase === 'confirm' ? '证据清单' : '复查证据清单',
  });
  return { items, manifest: { key, sha256: manifest.sha256, byteSize: manifest.byteSize, document: stored } };
}
