import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import type { WorkingCalendar } from '../law/calendar.js';
import type { Catalogue } from '../law/catalogue.js';
import { catalogues, workingCalendar } from '../law/catalogue-store.js';
import { formatCitation } from '../law/legal-citation.js';
import { shanghaiDateOf, type LocalDate } from '../law/local-date.js';
import { publicationRules } from './credit-config.adapter.js';
import {
  isShown,
  publishablePairs,
  publicationOf,
  publicParty,
  removalLate,
  rulesInForce,
  withdrawalDueOn,
  type PublicationRules,
} from './credit-rules.js';
import { toCreditRecord, type CreditRecord } from './credit-export.js';
import { batchIdOf, type CreditPlatform } from './credit-platform.adapter.js';
import {
  changedAt,
  exportCursor,
  findItemOfCase,
  itemsChangedSince,
  recordExport,
  insertItem,
  itemsOfDistrict,
  publishCandidates,
  recentWithdrawals,
  removeItem,
  repairsOfDistrict,
  shownItems,
  type CreditItemRow,
  type PublishCandidate,
  type RepairRow,
} from './credit.repo.js';

/*
 * Credit publication (信用公示): decided cases whose matter the publication rules mark are published with their
 * period, what is public fixed at publication (an individual's name and number masked, APL art. 50); a decision
 * varied or revoked after reconsideration or a lawsuit is withdrawn at once with the reason (APL art. 48: within
 * three days), inside the transaction that records the change. Repairs are in credit-repair.service.ts.
 */

export const CREDIT_VIEW_ROLES = [
  'admin',
  'district_staff',
  'legal_reviewer',
  'agency_head',
  'leader',
] as const;
export const CREDIT_DECIDE_ROLES = ['legal_reviewer', 'agency_head'] as const;

export interface CreditServiceOptions {
  rules?: () => Promise<PublicationRules[]>;
  catalogues?: () => Promise<Map<string, Catalogue>>;
  calendar?: () => Promise<WorkingCalendar>;
  now?: () => Date;
}

export interface DecisionChange {
  caseId: string;
  outcome: 'varied' | 'revoked';
  /** the day the reconsideration decision or judgment took effect */
  on: LocalDate;
  reference: string;
}

export interface CreditItemView extends CreditItemRow {
  shown: boolean;
  /** a withdrawal or repair removal made after its due day */
  late: boolean;
}

export interface StaffCreditPage {
  items: CreditItemView[];
  repairs: (RepairRow & { late: boolean })[];
  today: LocalDate;
}

const CHANGE_REASON = {
  varied: '该行政处罚决定经行政复议或行政诉讼被依法变更，依据《中华人民共和国行政处罚法》第四十八条撤回公示',
  revoked: '该行政处罚决定经行政复议或行政诉讼被依法撤销，依据《中华人民共和国行政处罚法》第四十八条撤回公示',
} as const;

export class CreditService {
  readonly rules: () => Promise<PublicationRules[]>;
  private readonly catalogues: () => Promise<Map<string, Catalogue>>;
  readonly calendar: () => Promise<WorkingCalendar>;
  readonly now: () => Date;

  constructor(
    private readonly pool: Pool,
    options: CreditServiceOptions = {},
  ) {
    this.rules = options.rules ?? publicationRules;
    this.catalogues = options.catalogues ?? catalogues;
    this.calendar = options.calendar ?? workingCalendar;
    this.now = options.now ?? (() => new Date());
  }

  today(): LocalDate {
    return shanghaiDateOf(this.now());
  }

  /**
   * Publishes the decided cases the rules mark, each once (a unique case id). Only cases of a matter and party
   * kind that some version publishes are read, in pages, so unpublished matters never hold the others back.
   * Returns how many items were published.
   */
  async publishDue(pageSize = 500): Promise<number> {
    const [rules, byVersion] = await Promise.all([this.rules(), this.catalogues()]);
    const publishable = publishablePairs(rules);
    let published = 0;
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const page = await publishCandidates(this.pool, { publishable, limit: pageSize, after });
      for (const c of page) if (await this.publishOne(c, rules, byVersion)) published++;
      if (page.length < pageSize) return published;
      const last = page.at(-1)!;
      after = { at: last.decidedAt, id: last.caseId };
    }
  }

  private async publishOne(
    c: PublishCandidate,
    rules: PublicationRules[],
    byVersion: Map<string, Catalogue>,
  ): Promise<boolean> {
    const decidedOn = shanghaiDateOf(c.decidedAt);
    const inForce = rulesInForce(rules, decidedOn);
    const period = inForce && publicationOf(inForce, c.violationType, c.partyKind, decidedOn);
    if (!period) return false;
    const type = byVersion.get(c.catalogueVersion)?.violationTypes.find((v) => v.code === c.violationType);
    const shown = publicParty({ kind: c.partyKind, name: c.partyName, idNumber: c.partyIdNumber });
    return withTransaction(this.pool, async (tx) => {
      const id = await insertItem(tx, {
        caseId: c.caseId,
        districtId: c.districtId,
        partyId: c.partyId,
        partyKind: c.partyKind,
        shownName: shown.name,
        shownCode: shown.code,
        caseNumber: c.caseNumber,
        violationType: c.violationType,
        matter: type?.shortName ?? c.violationType,
        basis: type ? formatCitation(type.penaltyProvision) : '',
        fineFen: c.fineFen,
        decidedOn,
        rulesVersion: period.rulesVersion,
        publishFrom: period.from,
        publishUntil: period.until,
      });
      if (!id) return false;
      await appendAudit(tx, {
        actorKind: 'system',
        action: 'credit.published',
        subjectKind: 'credit_item',
        subjectId: id,
        districtId: c.districtId,
        data: { caseId: c.caseId, rulesVersion: period.rulesVersion, until: period.until },
      });
      return true;
    });
  }

  /**
   * A decision varied or revoked: its published item (if any) is withdrawn now, with the reason, inside the
   * caller's transaction. An item already withdrawn or repaired stays as it is.
   */
  async withdrawForChange(tx: Queryable, change: DecisionChange): Promise<boolean> {
    const item = await findItemOfCase(tx, change.caseId, true);
    if (!item || item.status !== 'published') return false;
    const now = this.now();
    const reason = `${CHANGE_REASON[change.outcome]}（${change.reference}）`;
    const removed = await removeItem(tx, {
      id: item.id,
      status: 'withdrawn',
      at: now,
      on: shanghaiDateOf(now),
      reason,
      dueOn: withdrawalDueOn(change.on),
    });
    if (removed)
      await appendAudit(tx, {
        actorKind: 'system',
        action: 'credit.withdrawn',
        subjectKind: 'credit_item',
        subjectId: item.id,
        districtId: item.districtId,
        data: { caseId: change.caseId, outcome: change.outcome, changedOn: change.on },
      });
    return removed;
  }

  /** The public page: what is shown today, and the withdrawals of the last 90 days with their reasons. */
  async publicPage(limit = 500) {
    const today = this.today();
    const [items, withdrawals] = await Promise.all([
      shownItems(this.pool, today, limit),
      recentWithdrawals(this.pool, today, 200),
    ]);
    return { today, items, withdrawals };
  }

  /** The staff page: the district's items with their state and flags, and the repair applications. */
  async staffPage(staff: StaffPrincipal): Promise<StaffCreditPage> {
    assertRole(staff, CREDIT_VIEW_ROLES);
    const scope = districtScope(staff);
    const today = this.today();
    const [items, repairs] = await Promise.all([
      itemsOfDistrict(this.pool, scope, 500),
      repairsOfDistrict(this.pool, scope, 200),
    ]);
    return {
      today,
      items: items.map((i) => ({
        ...i,
        shown: isShown(i, today),
        late: i.removalDueOn !== null && removalLate(i.removalDueOn, i.removedOn, today),
      })),
      repairs: repairs.map((r) => ({
        ...r,
        late:
          r.status === 'granted' &&
          r.removalDueOn !== null &&
          removalLate(r.removalDueOn, r.itemRemovedOn, today),
      })),
    };
  }

  /** Every item of the staff member's district, as platform records (the download on the staff page). */
  async exportRecords(staff: StaffPrincipal): Promise<CreditRecord[]> {
    assertRole(staff, CREDIT_VIEW_ROLES);
    return (await itemsOfDistrict(this.pool, districtScope(staff), 100_000)).map(toCreditRecord);
  }

  /**
   * Sends the platform what changed since its last batch (publications, withdrawals, repairs), oldest first;
   * the cursor moves only after the platform took the batch, so a failed send is sent again, with the same id.
   */
  async pushChanges(platform: CreditPlatform, limit = 500): Promise<number> {
    const since = await exportCursor(this.pool, platform.kind);
    const items = await itemsChangedSince(this.pool, since, limit);
    if (items.length === 0) return 0;
    const records = items.map(toCreditRecord);
    const batchId = batchIdOf(records);
    const { reference } = await platform.send({ batchId, records });
    const cursorAt = items.map(changedAt).reduce((a, b) => (a > b ? a : b));
    await withTransaction(this.pool, async (tx) => {
      await recordExport(tx, {
        batchId,
        channel: platform.kind,
        records: records.length,
        cursorAt,
        reference,
      });
      await appendAudit(tx, {
        actorKind: 'system',
        action: 'credit.exported',
        subjectKind: 'credit_export',
        subjectId: batchId,
        data: { channel: platform.kind, records: records.length },
      });
    });
    return records.length;
  }
}
