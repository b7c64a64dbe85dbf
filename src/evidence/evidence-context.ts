import { findCamera, type CameraRow } from '../cameras/camera.repo.js';
import { evidenceEligibility } from '../cameras/evidence-eligibility.js';
import type { Queryable } from '../db/pool.js';
import type { JudgingConfig, JudgingConfigCache } from '../rules/judging-config.repo.js';
import type { Zone } from '../zones/zone.schema.js';
import type { CandidateRow } from './candidate.repo.js';
import type { DeviceRegisterSnapshot, EvidenceManifest } from './evidence-manifest.js';
import { RULE_SHORT_NAMES } from './evidence-manifest.js';
import { violationUuidFor } from './evidence-ids.js';

/** What packaging a candidate needs to know besides its frames: the camera now, and its config then. */
export interface PackagingContext {
  violationId: string;
  camera: CameraRow;
  register: DeviceRegisterSnapshot;
  config: JudgingConfig;
  zone: Zone | null;
}

export function registerSnapshot(camera: CameraRow, now: Date): DeviceRegisterSnapshot {
  const eligibility = evidenceEligibility({
    legalReviewDate: camera.legal_review_date,
    technicalReviewDate: camera.technical_review_date,
    published: camera.published,
    lastPassingCheckAt: camera.last_pass_at,
    lastFailingCheckAt: camera.last_fail_at,
  });
  return {
    certificateId: camera.certificate_id,
    legalReviewDate: camera.legal_review_date,
    legalReviewer: camera.legal_reviewer,
    technicalReviewDate: camera.technical_review_date,
    technicalReviewer: camera.technical_reviewer,
    published: camera.published,
    publishedAt: camera.published_at?.toISOString() ?? null,
    lastPassingCheckAt: camera.last_pass_at?.toISOString() ?? null,
    lastFailingCheckAt: camera.last_fail_at?.toISOString() ?? null,
    eligible: eligibility.eligible,
    reasons: eligibility.reasons,
    checkedAt: now.toISOString(),
  };
}

export async function packagingContext(
  db: Queryable,
  configs: JudgingConfigCache,
  candidate: CandidateRow,
  now: Date,
): Promise<PackagingContext> {
  const camera = await findCamera(db, candidate.camera_id);
  if (!camera)
    throw new Error(`camera ${candidate.camera_id} of candidate ${candidate.dedupe_key} does not exist`);
  const config = await configs.get(db, candidate.camera_id, candidate.camera_version);
  return {
    violationId: violationUuidFor(candidate.dedupe_key),
    camera,
    register: registerSnapshot(camera, now),
    config,
    zone: config.zones.find((z) => z.id === candidate.event.zoneId) ?? null,
  };
}

/** The manifest's description of the violation, camera, register, config and model. */
export function manifestHead(
  ctx: PackagingContext,
  candidate: CandidateRow,
  model: { name: string; sha256: string },
): Omit<EvidenceManifest, 'format' | 'phase' | 'frames' | 'items' | 'packagedAt' | 'recheck'> {
  const e = candidate.event;
  const zone = ctx.zone;
  return {
    violation: {
      id: ctx.violationId,
      dedupeKey: candidate.dedupe_key,
      engineViolationId: e.violationId,
      rule: RULE_SHORT_NAMES[e.rule],
      violationType: e.rule,
      zone: zone
        ? { id: zone.id, name: zone.name, kind: zone.kind, points: zone.points, frontLine: zone.frontLine }
        : null,
      firstSeenAt: new Date(e.firstSeenAt).toISOString(),
      confirmedAt: new Date(e.confirmedAt).toISOString(),
      dwellSeconds: e.dwellSeconds,
      box: e.box,
      labels: e.labels,
      trackIds: e.trackIds,
      sceneChange: e.sceneChange,
      partyId: e.partyId,
      warnFirst: e.warnFirst,
    },
    camera: {
      id: ctx.camera.id,
      name: ctx.config.cameraName,
      districtId: ctx.camera.district_id,
      address: ctx.config.address,
      latitude: ctx.config.latitude,
      longitude: ctx.config.longitude,
    },
    deviceRegister: ctx.register,
    config: { cameraVersion: candidate.camera_version, rulesConfigVersion: e.configVersion },
    model,
  };
}
