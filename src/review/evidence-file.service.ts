import type { Readable } from 'node:stream';
import { appendAuditNow } from '../audit/audit.repo.js';
import { REVIEW_THUMBNAIL_WIDTH, StoredThumbnails } from '../cases/evidence-thumbnail.adapter.js';
import { canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { ForbiddenError, NotFoundError } from '../shared/errors.js';
import type { BlobStore } from '../storage/blob-store.js';
import { findEvidenceItem, type EvidenceItemRow } from '../violations/violation.repo.js';

/**
 * Staff opening an evidence item: only in their own district (admins in every one), and every opening is in the
 * audit log (APL art. 47) before the bytes are read.
 */

export interface OpenedEvidence {
  item: EvidenceItemRow & { district_id: string };
  bytes: Readable;
}

export class EvidenceFileService {
  private readonly thumbnails: StoredThumbnails;

  constructor(
    private readonly pool: Pool,
    private readonly blobs: BlobStore,
  ) {
    this.thumbnails = new StoredThumbnails(blobs);
  }

  /** The original's bytes, untouched. */
  async open(staff: StaffPrincipal, evidenceId: string): Promise<OpenedEvidence> {
    const item = await this.openItem(staff, evidenceId);
    return { item, bytes: await this.blobs.stream(item.storage_key) };
  }

  /**
   * The workbench's copy of an image item (made once and kept, see StoredThumbnails); the viewer opens the
   * original. Opening it is logged like opening the original.
   */
  async viewCopy(
    staff: StaffPrincipal,
    evidenceId: string,
  ): Promise<{ item: OpenedEvidence['item']; bytes: Buffer }> {
    const item = await this.openItem(staff, evidenceId);
    if (!item.content_type.startsWith('image/')) throw new NotFoundError('evidence image');
    return { item, bytes: await this.thumbnails.get(item, REVIEW_THUMBNAIL_WIDTH, 'review') };
  }

  private async openItem(staff: StaffPrincipal, evidenceId: string): Promise<OpenedEvidence['item']> {
    const item = await findEvidenceItem(this.pool, evidenceId);
    if (!item) throw new NotFoundError('evidence item');
    if (!canActInDistrict(staff, item.district_id))
      throw new ForbiddenError('evidence belongs to another district');
    await appendAuditNow(this.pool, {
      actorKind: 'staff',
      actorId: staff.id,
      action: 'evidence.view',
      subjectKind: 'evidence_item',
      subjectId: item.id,
      districtId: item.district_id,
    });
    return item;
  }
}
