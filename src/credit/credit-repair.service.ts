import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { shanghaiDateOf } from '../law/local-date.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { isShown, repairRemovalDueOn } from './credit-rules.js';
import {
  decideRepair,
  findItem,
  findItemOfCase,
  findRepair,
  findRepairByKey,
  insertRepair,
  lockItem,
  pendingRepairOf,
  removeItem,
  type CreditItemRow,
  type RepairRow,
} from './credit.repo.js';
import { CREDIT_DECIDE_ROLES, type CreditService } from './credit.service.js';

/*
 * Credit repair (信用修复, Shanghai social credit regulation art. 38): the party (from the portal, on the case of
 * its notice) or staff on its behalf apply for a published item; a legal reviewer or the agency head grants or
 * refuses it. A granted repair takes the item off the public page at once, which is inside the three working
 * days the regulation allows; the due day is kept and a removal after it is flagged. An application names a
 * request key: the same key again answers the first application (a replayed form or request stores nothing).
 */

export interface RepairApplication {
  itemId: string;
  reason: string;
  requestKey: string;
}

export interface RepairResult {
  repair: RepairRow;
  created: boolean;
}

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function reasonOf(text: string): string {
  const reason = text.trim();
  if (!reason)
    throw new ValidationError('reason: say how the party corrected the act or removed its effects');
  if (reason.length > 2000) throw new ValidationError('reason: at most 2000 characters');
  return reason;
}

export class CreditRepairService {
  constructor(
    private readonly pool: Pool,
    private readonly credit: CreditService,
  ) {}

  /** Staff apply on the party's behalf (at the counter, from a written application), in their own district. */
  async applyByStaff(staff: StaffPrincipal, input: RepairApplication): Promise<RepairResult> {
    assertRole(staff, ['admin', 'district_staff', 'legal_reviewer', 'agency_head']);
    if (!UUID.test(input.itemId)) throw new NotFoundError('no such published item');
    const item = await findItem(this.pool, input.itemId);
    if (!item || !canActInDistrict(staff, item.districtId)) throw new NotFoundError('no such published item');
    return this.apply(item, input, 'staff', staff.id);
  }

  /** The party applies from the portal for the item of the case its link belongs to. */
  async applyFromPortal(
    caseId: string | null,
    partyId: string | null,
    input: Omit<RepairApplication, 'itemId'>,
  ): Promise<RepairResult> {
    const item = caseId ? await findItemOfCase(this.pool, caseId) : null;
    if (!item || item.partyId !== partyId) throw new NotFoundError('no published item for this case');
    return this.apply(item, { ...input, itemId: item.id }, 'portal', null);
  }

  /** The published item of a case, for the party's portal page; null when there is none. */
  async itemOfCase(
    caseId: string | null,
  ): Promise<{ item: CreditItemRow; pending: RepairRow | null } | null> {
    const item = caseId ? await findItemOfCase(this.pool, caseId) : null;
    if (!item) return null;
    return { item, pending: await pendingRepairOf(this.pool, item.id) };
  }

  private async apply(
    item: CreditItemRow,
    input: RepairApplication,
    source: 'portal' | 'staff',
    by: string | null,
  ): Promise<RepairResult> {
    if (!KEY.test(input.requestKey))
      throw new ValidationError('requestKey: 8 to 128 letters, digits or ._:-');
    const reason = reasonOf(input.reason);
    const replay = await findRepairByKey(this.pool, input.requestKey);
    if (replay) {
      if (replay.itemId !== item.id)
        throw new ConflictError('this request key belongs to another application');
      return { repair: replay, created: false };
    }
    return withTransaction(this.pool, async (tx) => {
      const locked = await lockItem(tx, item.id);
      if (!locked || !isShown(locked, this.credit.today()))
        throw new ConflictError('the item is not published: there is nothing to repair');
      const pending = await pendingRepairOf(tx, item.id);
      if (pending) throw new ConflictError('an application for this item is already waiting for review');
      const id = await insertRepair(tx, {
        itemId: item.id,
        districtId: item.districtId,
        source,
        key: input.requestKey,
        reason,
        by,
      });
      await appendAudit(tx, {
        actorKind: by ? 'staff' : 'party',
        actorId: by ?? item.partyId,
        action: 'credit.repair_applied',
        subjectKind: 'credit_item',
        subjectId: item.id,
        districtId: item.districtId,
        data: { repairId: id, source },
      });
      return { repair: (await findRepair(tx, id))!, created: true };
    });
  }

  /** Grants or refuses a pending application; a granted one takes the item off the public page now. */
  async decide(
    staff: StaffPrincipal,
    repairId: string,
    input: { grant: boolean; note?: string },
  ): Promise<RepairRow> {
    assertRole(staff, CREDIT_DECIDE_ROLES);
    if (!UUID.test(repairId)) throw new NotFoundError('no such application');
    const note = input.note?.trim() || null;
    if (note && note.length > 2000) throw new ValidationError('note: at most 2000 characters');
    if (!input.grant && !note) throw new ValidationError('note: a refusal gives its reason');
    const calendar = await this.credit.calendar();
    return withTransaction(this.pool, async (tx) => {
      const repair = await findRepair(tx, repairId, true);
      if (!repair) throw new NotFoundError('no such application');
      if (!canActInDistrict(staff, repair.districtId)) throw new NotFoundError('no such application');
      if (repair.status !== 'pending') throw new ConflictError(`the application is already ${repair.status}`);
      const now = this.credit.now();
      const on = shanghaiDateOf(now);
      const dueOn = input.grant ? repairRemovalDueOn(on, calendar) : null;
      if (input.grant) {
        const item = await lockItem(tx, repair.itemId);
        if (!item) throw new NotFoundError('no such published item');
        if (item.status === 'published')
          await removeItem(tx, {
            id: item.id,
            status: 'repaired',
            at: now,
            on,
            reason: `信用修复：${note ?? '当事人已主动履行义务、消除不良影响'}`,
            dueOn: dueOn!,
          });
      }
      if (
        !(await decideRepair(tx, {
          id: repairId,
          status: input.grant ? 'granted' : 'refused',
          note,
          by: staff.id,
          at: now,
          on,
          dueOn,
        }))
      )
        throw new ForbiddenError('the application changed while it was decided');
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: input.grant ? 'credit.repair_granted' : 'credit.repair_refused',
        subjectKind: 'credit_item',
        subjectId: repair.itemId,
        districtId: repair.districtId,
        data: { repairId, ...(dueOn ? { removalDueOn: dueOn } : {}) },
      });
      return (await findRepair(tx, repairId))!;
    });
  }
}
