import type { Readable } from 'node:stream';
import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { cameraStatus } from '../cameras/camera-status.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { sha256Hex } from '../documents/seal.js';
import { addDays, daysBetween, shanghaiDateOf, type LocalDate } from '../law/local-date.js';
import { safeFileName, sniffAttachment } from '../portal/attachment-check.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { compareUrgency, dueState, nextDueOn, wholeCycles, type DueState } from './inspection-cycle.js';
import {
  camerasCovering,
  countDue,
  dueShops,
  findPhoto,
  insertInspection,
  insertPhotos,
  recordLastInspection,
  windowCounts,
  type CameraCover,
  type PhotoInput,
} from './inspection.repo.js';
import { nonSiteCheck, type CameraWatch, type NonSiteCheck } from './non-site-check.js';
import type { RiskLevelService } from './risk-level.service.js';
import { lowerFor, raiseFor, type RiskLevel } from './risk-rules.js';
import { findShopRisk, lockShopRisk, type ShopRiskRow } from './shop-risk.repo.js';

/**
 * Inspections of shops in the field: the due list of a patrol's district (with the cameras' non-site checks), the
 * form of one shop and the recorded result with its photos (hashed SHA-256 and stored content-addressed, like
 * evidence). A result moves the shop's next due day, and may raise or lower its level by the rules.
 */

export const INSPECTION_ROLES = ['patrol', 'district_staff', 'admin'] as const;
export const PHOTO_LIMITS = { maxFiles: 4, maxBytes: 8 * 1024 * 1024, maxNotes: 2000 } as const;
/** due within this many days shows on the due list */
const DUE_HORIZON_DAYS = 2;
const DUE_LIST_LIMIT = 200;

export interface DueItem {
  shopId: string;
  name: string;
  address: string;
  level: RiskLevel;
  dueOn: LocalDate;
  state: DueState;
  daysOverdue: number;
  lastInspectedAt: Date | null;
  lastOutcome: 'compliant' | 'problem' | null;
  lastNotes: string | null;
  camera: NonSiteCheck | null;
}

export interface DueListPage {
  today: LocalDate;
  items: DueItem[];
  overdue: number;
}

export interface InspectionForm {
  shop: DueItem;
}

export interface UploadedPhoto {
  name: string;
  bytes: Buffer;
}

export interface InspectionInput {
  outcome: 'compliant' | 'problem';
  notes: string;
  photos: UploadedPhoto[];
}

/** The cameras watching a shop, their status derived now as the camera pages derive it. */
export function watchesOf(covers: CameraCover[], partyId: string, now: Date): CameraWatch[] {
  return covers
    .filter((c) => c.party_id === partyId)
    .map((c) => ({
      cameraId: c.camera_id,
      cameraName: c.camera_name,
      status: cameraStatus({
        lastFrameAt: c.last_frame_at,
        lastErrorAt: c.last_error_at,
        sampleIntervalS: c.sample_interval_s,
        now,
      }),
      lastOutageAt: c.last_outage_at,
      lastViolationAt: c.last_violation_at,
    }));
}

/** The start of the cycle a shop is in: its last inspection, or the day its level was set. */
function periodStart(row: ShopRiskRow): Date {
  return row.last_inspected_at && row.last_inspected_at > row.level_since
    ? row.last_inspected_at
    : row.level_since;
}

export class InspectionService {
  constructor(
    private readonly pool: Pool,
    private readonly blobs: BlobStore,
    private readonly levels: RiskLevelService,
  ) {}

  private item(row: ShopRiskRow, covers: CameraCover[], today: LocalDate): DueItem {
    return {
      shopId: row.party_id,
      name: row.name,
      address: row.address,
      level: row.level,
      dueOn: row.next_due_on,
      state: dueState(row.next_due_on, today, DUE_HORIZON_DAYS),
      daysOverdue: Math.max(0, daysBetween(row.next_due_on, today)),
      lastInspectedAt: row.last_inspected_at,
      lastOutcome: row.last_outcome,
      lastNotes: row.last_notes,
      camera: nonSiteCheck(watchesOf(covers, row.party_id, this.levels.now()), periodStart(row)),
    };
  }

  /** The shops of the district due within two days or overdue, the most urgent first. */
  async dueList(staff: StaffPrincipal): Promise<DueListPage> {
    assertRole(staff, INSPECTION_ROLES);
    const scope = districtScope(staff);
    await this.levels.bringUpToDate(scope);
    const today = this.levels.today();
    const rows = await dueShops(this.pool, scope, addDays(today, DUE_HORIZON_DAYS), DUE_LIST_LIMIT);
    const covers = await camerasCovering(
      this.pool,
      rows.map((r) => r.party_id),
    );
    const items = rows.map((r) => this.item(r, covers, today));
    items.sort((a, b) =>
      compareUrgency(
        { ...a, cameraChecked: !!a.camera?.checked },
        { ...b, cameraChecked: !!b.camera?.checked },
      ),
    );
    return { today, items, overdue: await countDue(this.pool, scope, today) };
  }

  /** The shop, when the principal may see it; 404 for an unknown shop and for another district's. */
  async visibleShop(staff: StaffPrincipal, shopId: string): Promise<ShopRiskRow> {
    let row = await findShopRisk(this.pool, shopId);
    if (!row) {
      await this.levels.bringUpToDate(districtScope(staff));
      row = await findShopRisk(this.pool, shopId);
    }
    if (!row || !canActInDistrict(staff, row.district_id)) throw new NotFoundError('shop');
    return row;
  }

  async form(staff: StaffPrincipal, shopId: string): Promise<InspectionForm> {
    assertRole(staff, INSPECTION_ROLES);
    const row = await this.visibleShop(staff, shopId);
    const covers = await camerasCovering(this.pool, [row.party_id]);
    return { shop: this.item(row, covers, this.levels.today()) };
  }

  /** Checks everything before anything is stored: a refused result leaves no row and no blob. */
  private checkInput(input: InspectionInput): { notes: string; photos: (PhotoInput & { bytes: Buffer })[] } {
    const notes = input.notes.trim();
    if (notes.length > PHOTO_LIMITS.maxNotes) throw new ValidationError('notes: at most 2000 characters');
    if (input.outcome === 'problem' && !notes) throw new ValidationError('notes: say what problem was found');
    if (input.photos.length > PHOTO_LIMITS.maxFiles)
      throw new ValidationError(`photos: at most ${PHOTO_LIMITS.maxFiles}`);
    const photos = input.photos.map((p, i) => {
      if (p.bytes.length === 0) throw new ValidationError(`photo ${i + 1} is empty`);
      if (p.bytes.length > PHOTO_LIMITS.maxBytes)
        throw new ValidationError(`photo ${i + 1} is larger than 8 MB`);
      const type = sniffAttachment(p.bytes.subarray(0, 16));
      if (!type || type.extension === 'pdf')
        throw new ValidationError(`photo ${i + 1} is not a JPEG or PNG image`);
      const sha256 = sha256Hex(p.bytes);
      return {
        bytes: p.bytes,
        sha256,
        key: `inspections/${sha256.slice(0, 2)}/${sha256}.${type.extension}`,
        contentType: type.contentType as 'image/jpeg' | 'image/png',
        size: p.bytes.length,
        name: safeFileName(p.name, `photo-${i + 1}.${type.extension}`),
      };
    });
    return { notes, photos };
  }

  /** Records an inspection made now by the principal; answers its id. */
  async record(staff: StaffPrincipal, shopId: string, input: InspectionInput): Promise<string> {
    assertRole(staff, INSPECTION_ROLES);
    const shop = await this.visibleShop(staff, shopId);
    const { notes, photos } = this.checkInput(input);
    // content-addressed and written before the transaction: a failed record leaves only unreferenced bytes
    for (const p of photos)
      await this.blobs.put(p.key, p.bytes, { ifNotExists: true, contentType: p.contentType });
    const calendar = await this.levels.calendar();
    return withTransaction(this.pool, async (tx) => {
      const row = (await lockShopRisk(tx, shop.party_id))!;
      const at = this.levels.now();
      const today = shanghaiDateOf(at);
      const rules = await this.levels.rulesFor(row.district_id, today);
      const id = await insertInspection(tx, {
        partyId: row.party_id,
        districtId: row.district_id,
        level: row.level,
        outcome: input.outcome,
        notes,
        at,
        on: today,
        by: staff.id,
      });
      await insertPhotos(tx, id, photos);
      const due = nextDueOn(row.level, today, rules, calendar);
      await recordLastInspection(tx, row.party_id, { at, outcome: input.outcome, notes, nextDueOn: due });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'shop.inspection_recorded',
        subjectKind: 'party',
        subjectId: row.party_id,
        districtId: row.district_id,
        data: {
          inspectionId: id,
          outcome: input.outcome,
          level: row.level,
          photos: photos.map((p) => p.sha256),
          nextDueOn: due,
        },
      });
      const after = { ...row, next_due_on: due, last_inspected_at: at };
      if (input.outcome === 'problem') {
        const change = raiseFor(row.level, 'problemFound', rules);
        if (change)
          await this.levels.change(tx, after, {
            ...change,
            source: 'rule',
            reason: change.rule,
            subjectKind: 'inspection',
            subjectId: id,
          });
        return id;
      }
      const counts = await windowCounts(tx, row.party_id, row.level_since);
      const covers = await camerasCovering(tx, [row.party_id]);
      const camera = nonSiteCheck(watchesOf(covers, row.party_id, at), row.level_since);
      const change = lowerFor(
        row.level,
        {
          cyclesAtLevel: wholeCycles(row.level, shanghaiDateOf(row.level_since), today, rules, calendar),
          compliantInspections: counts.compliant,
          problemInspections: counts.problem,
          raisingEvents: counts.events,
          cameraClean: !!camera?.checked,
        },
        rules,
      );
      if (change)
        await this.levels.change(tx, after, {
          ...change,
          source: 'rule',
          reason: change.rule,
          subjectKind: 'inspection',
          subjectId: id,
        });
      return id;
    });
  }

  /** An inspection photo of the principal's district, with its hash for the download's check. */
  async photo(
    staff: StaffPrincipal,
    photoId: string,
  ): Promise<{ stream: Readable; contentType: string; sha256: string }> {
    const row = await findPhoto(this.pool, photoId);
    if (!row || !canActInDistrict(staff, row.district_id)) throw new NotFoundError('photo');
    return {
      stream: await this.blobs.stream(row.storage_key),
      contentType: row.content_type,
      sha256: row.sha256,
    };
  }
}
