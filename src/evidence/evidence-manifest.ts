import { createHash } from 'node:crypto';
import type { Detection, NormalizedBox } from '../detect/detection.js';
import type { RuleName } from '../rules/rule-events.js';
import type { Zone } from '../zones/zone.schema.js';
import type { ProofRole } from './evidence-overlay.js';

/*
 * The manifest of an evidence package: one JSON document that says what was seen, where, when, by which device
 * under which config and model, and lists every file of the package with its SHA-256. Its own SHA-256 is stored
 * with the violation, so the whole package is checked from one hash. The originals' hashes are those taken at
 * capture, before any stage touched the bytes.
 */

export const MANIFEST_FORMAT = 'city-enforcement/evidence-manifest@1';

/** The short rule name the violations table keeps next to the catalogue's violation type. */
export type RuleShortName = 'stall' | 'encroachment' | 'dumping';

export const RULE_SHORT_NAMES: Record<RuleName, RuleShortName> = {
  street_stall: 'stall',
  shop_encroachment: 'encroachment',
  illegal_dumping: 'dumping',
};

export interface ManifestFrame {
  role: ProofRole;
  frameId: number;
  seq: number;
  capturedAt: string;
  /** Why the capture time differs from the camera's own stamp, if it does. */
  timeAdjustment: string;
  /** SHA-256 of the frame as captured. */
  sha256: string;
  width: number;
  height: number;
  model: { name: string; sha256: string };
  detections: Detection[];
}

export interface ManifestItem {
  kind: 'original' | 'annotated' | 'crop';
  key: string;
  sha256: string;
  byteSize: number;
  contentType: string;
  frameSeq: number;
  role: ProofRole;
}

export interface DeviceRegisterSnapshot {
  certificateId: string | null;
  legalReviewDate: string | null;
  legalReviewer: string | null;
  technicalReviewDate: string | null;
  technicalReviewer: string | null;
  published: boolean;
  publishedAt: string | null;
  lastPassingCheckAt: string | null;
  lastFailingCheckAt: string | null;
  eligible: boolean;
  reasons: string[];
  checkedAt: string;
}

export interface ManifestViolation {
  id: string;
  dedupeKey: string;
  engineViolationId: string;
  rule: RuleShortName;
  violationType: RuleName;
  zone: Pick<Zone, 'id' | 'name' | 'kind' | 'points' | 'frontLine'> | null;
  firstSeenAt: string;
  confirmedAt: string;
  dwellSeconds: number;
  box: NormalizedBox;
  labels: string[];
  trackIds: string[];
  sceneChange: boolean;
  partyId: string | null;
  warnFirst: boolean;
}

export interface ManifestRecheck {
  outcome: 'escalate';
  decidedAt: string;
  seq: number;
  /** The manifest of the package made at confirmation, which this one extends. */
  confirmManifest: { key: string; sha256: string };
}

export interface EvidenceManifest {
  format: typeof MANIFEST_FORMAT;
  phase: 'confirm' | 'recheck';
  violation: ManifestViolation;
  camera: {
    id: string;
    name: string;
    districtId: string;
    address: string;
    latitude: number | null;
    longitude: number | null;
  };
  deviceRegister: DeviceRegisterSnapshot;
  config: { cameraVersion: number; rulesConfigVersion: string };
  model: { name: string; sha256: string };
  frames: ManifestFrame[];
  items: ManifestItem[];
  recheck: ManifestRecheck | null;
  packagedAt: string;
}

/** The bytes stored and hashed: pretty-printed so a reviewer can read it, and ending with a newline. */
export function serializeManifest(manifest: EvidenceManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Checks a stored package against its manifest: every item listed must be among `stored` with the same hash
 * and size. Returns the faults, each naming the item; an empty list means the package is whole.
 */
export function manifestFaults(
  manifest: EvidenceManifest,
  stored: ReadonlyMap<string, { sha256: string; byteSize: number }>,
): string[] {
  const faults: string[] = [];
  for (const item of manifest.items) {
    const blob = stored.get(item.key);
    if (!blob) faults.push(`${item.key}: listed in the manifest but not stored`);
    else if (blob.sha256 !== item.sha256)
      faults.push(`${item.key}: SHA-256 ${blob.sha256} is not ${item.sha256}`);
    else if (blob.byteSize !== item.byteSize)
      faults.push(`${item.key}: ${blob.byteSize} bytes, the manifest says ${item.byteSize}`);
  }
  for (const frame of manifest.frames) {
    const original = manifest.items.find((i) => i.kind === 'original' && i.frameSeq === frame.seq);
    if (!original) faults.push(`frame #${frame.seq}: no original listed`);
    else if (original.sha256 !== frame.sha256)
      faults.push(`frame #${frame.seq}: the original's SHA-256 is not the one taken at capture`);
  }
  return faults;
}
