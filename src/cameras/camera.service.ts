import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { assertDistrictExists } from '../auth/district.repo.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import { checkSourceAccess } from '../ingest/create-source.js';
import { IngestError, redactUrl } from '../ingest/ingest-errors.js';
import {
  parseSourceConfig,
  SourceConfigError,
  type CameraSourceConfig,
} from '../ingest/source-config.schema.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { rulesConfigWith } from '../zones/rules-config.schema.js';
import { rulesConfigWarnFirstFaults } from '../zones/warn-first-setting.js';
import { validateRulesConfig } from '../zones/zone-validation.js';
import {
  findCamera,
  insertCamera,
  listCameras,
  snapshotCameraVersion,
  updateCamera,
  type CameraRow,
} from './camera.repo.js';
import type { CameraInput, CameraPatch, CameraView } from './camera.schema.js';
import { detectionFilterFaults, scheduleFaults } from './camera-settings.js';
import { evidenceEligibility } from './evidence-eligibility.js';

const CAMERA_EDITORS = ['admin', 'district_staff'] as const;

export function toCameraView(row: CameraRow): CameraView {
  return {
    id: row.id,
    districtId: row.district_id,
    name: row.name,
    address: row.address,
    street: row.street,
    latitude: row.latitude,
    longitude: row.longitude,
    source: redactSource(row.source),
    sampleIntervalS: row.sample_interval_s,
    schedule: row.schedule,
    enabled: row.enabled,
    version: row.version,
    certificateId: row.certificate_id,
    legalReviewDate: row.legal_review_date,
    legalReviewer: row.legal_reviewer,
    technicalReviewDate: row.technical_review_date,
    technicalReviewer: row.technical_reviewer,
    published: row.published,
    rules: row.rules,
    detectionFilter: row.detection_filter,
    evidence: evidenceEligibility({
      legalReviewDate: row.legal_review_date,
      technicalReviewDate: row.technical_review_date,
      published: row.published,
      lastPassingCheckAt: row.last_pass_at,
      lastFailingCheckAt: row.last_fail_at,
    }),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Camera URLs often carry credentials; views show them redacted. */
function redactSource(source: Record<string, unknown>): Record<string, unknown> {
  return typeof source.url === 'string' ? { ...source, url: redactUrl(source.url) } : source;
}

export class CameraService {
  constructor(
    private readonly pool: Pool,
    private readonly policy: CompiledAccessPolicy,
  ) {}

  /** Rules overrides are stored as given, but only if the merged config is valid. */
  checkRules(rules: Record<string, unknown> | undefined): void {
    if (rules === undefined) return;
    const merged = rulesConfigWith(rules);
    const faults = validateRulesConfig(merged);
    if (faults.length === 0) faults.push(...rulesConfigWarnFirstFaults(merged));
    if (faults.length > 0) throw new ValidationError(faults.join('; '));
  }

  /** Refuses a schedule or filter that would switch the camera or its detector off without saying so. */
  checkSettings(input: Pick<CameraPatch, 'schedule' | 'detectionFilter'>): void {
    const faults = [...scheduleFaults(input.schedule), ...detectionFilterFaults(input.detectionFilter)];
    if (faults.length > 0) throw new ValidationError(faults.join('; '));
  }

  /** Refuses a source the ingest workers would refuse, at save time, with the same message. */
  async checkSource(source: unknown): Promise<CameraSourceConfig> {
    try {
      const parsed = parseSourceConfig(source);
      await checkSourceAccess(parsed, { policy: this.policy });
      return parsed;
    } catch (err) {
      if (err instanceof SourceConfigError || err instanceof IngestError)
        throw new ValidationError(`source: ${err.message}`);
      throw err;
    }
  }

  async list(
    principal: StaffPrincipal,
    filter: { enabled?: boolean; limit?: number; offset?: number },
  ): Promise<CameraView[]> {
    const rows = await listCameras(this.pool, districtScope(principal), {
      enabled: filter.enabled,
      limit: Math.min(filter.limit ?? 100, 500),
      offset: filter.offset ?? 0,
    });
    return rows.map(toCameraView);
  }

  /** The camera if the principal's district covers it: 404 when it does not exist, 403 when it is another district's. */
  async get(principal: StaffPrincipal, id: string): Promise<CameraRow> {
    const row = await findCamera(this.pool, id);
    if (!row) throw new NotFoundError('camera');
    if (!canActInDistrict(principal, row.district_id))
      throw new ForbiddenError('camera belongs to another district');
    return row;
  }

  async create(principal: StaffPrincipal, input: CameraInput): Promise<CameraView> {
    assertRole(principal, CAMERA_EDITORS);
    const districtId = input.districtId ?? principal.districtId;
    if (!districtId) throw new ForbiddenError('districtId is required for an admin');
    if (!canActInDistrict(principal, districtId))
      throw new ForbiddenError('cannot add cameras to another district');
    await assertDistrictExists(this.pool, districtId);
    this.checkSettings(input);
    input = { ...input, source: await this.checkSource(input.source) };
    this.checkRules(input.rules);
    const id = await withTransaction(this.pool, async (tx) => {
      const newId = await insertCamera(tx, districtId, input);
      await snapshotCameraVersion(tx, newId, principal.id);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'camera.create',
        subjectKind: 'camera',
        subjectId: newId,
        districtId,
        data: { name: input.name, sourceKind: input.source.kind },
      });
      return newId;
    });
    return toCameraView((await findCamera(this.pool, id))!);
  }

  async update(principal: StaffPrincipal, id: string, patch: CameraPatch): Promise<CameraView> {
    assertRole(principal, CAMERA_EDITORS);
    const current = await this.get(principal, id);
    if (patch.districtId !== undefined && patch.districtId !== current.district_id) {
      if (!canActInDistrict(principal, patch.districtId))
        throw new ForbiddenError('cannot move a camera to another district');
      await assertDistrictExists(this.pool, patch.districtId);
    }
    this.checkSettings(patch);
    if (patch.source !== undefined) patch = { ...patch, source: await this.checkSource(patch.source) };
    this.checkRules(patch.rules);
    await withTransaction(this.pool, async (tx) => {
      const version = await updateCamera(tx, id, patch);
      await snapshotCameraVersion(tx, id, principal.id);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'camera.update',
        subjectKind: 'camera',
        subjectId: id,
        districtId: current.district_id,
        data: { version, fields: Object.keys(patch) },
      });
    });
    return toCameraView((await findCamera(this.pool, id))!);
  }
}
