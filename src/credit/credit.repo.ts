import type { Queryable } from '../db/pool.js';

/** SQL of the credit tables (migration 0030); written only through these functions. */

export type CreditStatus = 'published' | 'withdrawn' | 'repaired';
export type RepairStatus = 'pending' | 'granted' | 'refused';

export interface CreditItemRow {
  id: string;
  caseId: string;
  districtId: string;
  partyId: string | null;
  partyKind: 'person' | 'unit';
  shownName: string;
  shownCode: string;
  caseNumber: string;
  violationType: string;
  matter: string;
  basis: string;
  fineFen: number;
  decidedOn: string;
  rulesVersion: string;
  publishFrom: string;
  publishUntil: string;
  status: CreditStatus;
  removedAt: Date | null;
  removedOn: string | null;
  removalReason: string | null;
  removalDueOn: string | null;
  publishedAt: Date;
}

const ITEM = `i.id, i.case_id as "caseId", i.district_id as "districtId", i.party_id as "partyId",
  i.party_kind as "partyKind", i.shown_name as "shownName", i.shown_code as "shownCode", i.case_number as "caseNumber",
  i.violation_type as "violationType", i.matter, i.basis, i.fine_fen::int as "fineFen",
  to_char(i.decided_on, 'YYYY-MM-DD') as "decidedOn", i.rules_version as "rulesVersion",
  to_char(i.publish_from, 'YYYY-MM-DD') as "publishFrom", to_char(i.publish_until, 'YYYY-MM-DD') as "publishUntil",
  i.status, i.removed_at as "removedAt", to_char(i.removed_on, 'YYYY-MM-DD') as "removedOn",
  i.removal_reason as "removalReason", to_char(i.removal_due_on, 'YYYY-MM-DD') as "removalDueOn",
  i.published_at as "publishedAt"`;

/** A decided case that may be due for publication: its party and what was decided. */
export interface PublishCandidate {
  caseId: string;
  districtId: string;
  caseNumber: string;
  violationType: string;
  catalogueVersion: string;
  fineFen: number;
  decidedAt: Date;
  partyId: string;
  partyKind: 'person' | 'unit';
  partyName: string;
  partyIdNumber: string;
}

/**
 * Decided cases with a party, not yet published, whose decision stands (not revoked, withdrawn or without a
 * penalty), of the `matter:kind` pairs some rules version publishes; in pages after `after` (decided_at, id).
 * The rules then decide which of them are published.
 */
export async function publishCandidates(
  db: Queryable,
  r: { publishable: string[]; limit: number; after: { at: Date; id: string } | null },
): Promise<PublishCandidate[]> {
  const { rows } = await db.query<PublishCandidate>(
    `select c.id as "caseId", c.district_id as "districtId", c.case_number as "caseNumber",
            c.violation_type as "violationType", c.catalogue_version as "catalogueVersion",
            coalesce(c.final_fine_fen, c.proposed_fine_fen)::int as "fineFen", c.decided_at as "decidedAt",
            p.id as "partyId", p.kind as "partyKind", p.name as "partyName", p.id_number as "partyIdNumber"
       from cases c join parties p on p.id = c.party_id
      where c.decided_at is not null
        and (c.violation_type || ':' || p.kind) = any($1::text[])
        and coalesce(c.snapshot->>'outcome', '') not in ('revoked', 'withdrawn', 'no_penalty')
        and not exists (select 1 from credit_items i where i.case_id = c.id)
        and ($3::timestamptz is null or (c.decided_at, c.id) > ($3::timestamptz, $4::uuid))
      order by c.decided_at, c.id
      limit $2`,
    [r.publishable, r.limit, r.after?.at ?? null, r.after?.id ?? null],
  );
  return rows;
}

export async function insertItem(
  db: Queryable,
  i: Omit<
    CreditItemRow,
    'id' | 'status' | 'removedAt' | 'removedOn' | 'removalReason' | 'removalDueOn' | 'publishedAt'
  >,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into credit_items (case_id, district_id, party_id, party_kind, shown_name, shown_code, case_number,
       violation_type, matter, basis, fine_fen, decided_on, rules_version, publish_from, publish_until)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (case_id) do nothing returning id`,
    [
      i.caseId,
      i.districtId,
      i.partyId,
      i.partyKind,
      i.shownName,
      i.shownCode,
      i.caseNumber,
      i.violationType,
      i.matter,
      i.basis,
      i.fineFen,
      i.decidedOn,
      i.rulesVersion,
      i.publishFrom,
      i.publishUntil,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function findItem(db: Queryable, id: string): Promise<CreditItemRow | null> {
  const { rows } = await db.query<CreditItemRow>(`select ${ITEM} from credit_items i where i.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findItemOfCase(
  db: Queryable,
  caseId: string,
  lock = false,
): Promise<CreditItemRow | null> {
  const { rows } = await db.query<CreditItemRow>(
    `select ${ITEM} from credit_items i where i.case_id = $1${lock ? ' for update' : ''}`,
    [caseId],
  );
  return rows[0] ?? null;
}

export async function lockItem(db: Queryable, id: string): Promise<CreditItemRow | null> {
  const { rows } = await db.query<CreditItemRow>(
    `select ${ITEM} from credit_items i where i.id = $1 for update`,
    [id],
  );
  return rows[0] ?? null;
}

/** Takes a published item off the public page; false when it was no longer published. */
export async function removeItem(
  db: Queryable,
  r: { id: string; status: 'withdrawn' | 'repaired'; at: Date; on: string; reason: string; dueOn: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update credit_items set status = $2, removed_at = $3, removed_on = $4, removal_reason = $5, removal_due_on = $6
      where id = $1 and status = 'published'`,
    [r.id, r.status, r.at, r.on, r.reason, r.dueOn],
  );
  return rowCount === 1;
}

/** The public page: items published and within their period on `today`, newest first. */
export async function shownItems(db: Queryable, today: string, limit: number): Promise<CreditItemRow[]> {
  const { rows } = await db.query<CreditItemRow>(
    `select ${ITEM} from credit_items i
      where i.status = 'published' and i.publish_from <= $1 and i.publish_until >= $1
      order by i.decided_on desc, i.case_number desc limit $2`,
    [today, limit],
  );
  return rows;
}

/** Withdrawals with their reasons, which APL art. 48 requires to be explained in public (last 90 days). */
export async function recentWithdrawals(
  db: Queryable,
  today: string,
  limit: number,
): Promise<CreditItemRow[]> {
  const { rows } = await db.query<CreditItemRow>(
    `select ${ITEM} from credit_items i
      where i.status = 'withdrawn' and i.removed_on >= $1::date - 90
      order by i.removed_at desc limit $2`,
    [today, limit],
  );
  return rows;
}

/** Items of a district (or all, for an admin), newest first. */
export async function itemsOfDistrict(db: Queryable, districtId: string | null, limit: number) {
  const { rows } = await db.query<CreditItemRow>(
    `select ${ITEM} from credit_items i where ($1::text is null or i.district_id = $1)
      order by i.published_at desc, i.id limit $2`,
    [districtId, limit],
  );
  return rows;
}

/**
 * Items whose state changed after `since` (for the export to the platform), oldest first. Compared to the
 * millisecond: the cursor comes back through a JavaScript Date, which holds no microseconds.
 */
export async function itemsChangedSince(db: Queryable, since: Date, limit: number): Promise<CreditItemRow[]> {
  const changed = `date_trunc('milliseconds', greatest(i.published_at, coalesce(i.removed_at, i.published_at)))`;
  const { rows } = await db.query<CreditItemRow>(
    `select ${ITEM} from credit_items i where ${changed} > $1 order by ${changed}, i.id limit $2`,
    [since, limit],
  );
  return rows;
}

export interface RepairRow {
  id: string;
  itemId: string;
  districtId: string;
  source: 'portal' | 'staff';
  requestKey: string;
  reason: string;
  status: RepairStatus;
  decisionNote: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  decidedOn: string | null;
  removalDueOn: string | null;
  createdAt: Date;
  caseNumber: string;
  shownName: string;
  itemStatus: CreditStatus;
  itemRemovedOn: string | null;
}

const REPAIR = `r.id, r.item_id as "itemId", r.district_id as "districtId", r.source, r.request_key as "requestKey",
  r.reason, r.status, r.decision_note as "decisionNote", r.decided_by as "decidedBy", r.decided_at as "decidedAt",
  to_char(r.decided_on, 'YYYY-MM-DD') as "decidedOn", to_char(r.removal_due_on, 'YYYY-MM-DD') as "removalDueOn",
  r.created_at as "createdAt", i.case_number as "caseNumber", i.shown_name as "shownName", i.status as "itemStatus",
  to_char(i.removed_on, 'YYYY-MM-DD') as "itemRemovedOn"`;

export async function findRepairByKey(db: Queryable, key: string): Promise<RepairRow | null> {
  const { rows } = await db.query<RepairRow>(
    `select ${REPAIR} from credit_repairs r join credit_items i on i.id = r.item_id where r.request_key = $1`,
    [key],
  );
  return rows[0] ?? null;
}

export async function findRepair(db: Queryable, id: string, lock = false): Promise<RepairRow | null> {
  const { rows } = await db.query<RepairRow>(
    `select ${REPAIR} from credit_repairs r join credit_items i on i.id = r.item_id where r.id = $1
     ${lock ? 'for update of r' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function pendingRepairOf(db: Queryable, itemId: string): Promise<RepairRow | null> {
  const { rows } = await db.query<RepairRow>(
    `select ${REPAIR} from credit_repairs r join credit_items i on i.id = r.item_id
      where r.item_id = $1 and r.status = 'pending'`,
    [itemId],
  );
  return rows[0] ?? null;
}

export async function insertRepair(
  db: Queryable,
  r: {
    itemId: string;
    districtId: string;
    source: 'portal' | 'staff';
    key: string;
    reason: string;
    by: string | null;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into credit_repairs (item_id, district_id, source, request_key, reason, created_by)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [r.itemId, r.districtId, r.source, r.key, r.reason, r.by],
  );
  return rows[0]!.id;
}

export async function decideRepair(
  db: Queryable,
  r: {
    id: string;
    status: 'granted' | 'refused';
    note: string | null;
    by: string;
    at: Date;
    on: string;
    dueOn: string | null;
  },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update credit_repairs set status = $2, decision_note = $3, decided_by = $4, decided_at = $5, decided_on = $6,
       removal_due_on = $7 where id = $1 and status = 'pending'`,
    [r.id, r.status, r.note, r.by, r.at, r.on, r.dueOn],
  );
  return rowCount === 1;
}

export async function repairsOfDistrict(db: Queryable, districtId: string | null, limit: number) {
  const { rows } = await db.query<RepairRow>(
    `select ${REPAIR} from credit_repairs r join credit_items i on i.id = r.item_id
      where ($1::text is null or r.district_id = $1)
      order by (r.status = 'pending') desc, r.created_at desc limit $2`,
    [districtId, limit],
  );
  return rows;
}

/** The last change the platform received, per channel; the epoch when nothing was sent yet. */
export async function exportCursor(db: Queryable, channel: 'file' | 'http'): Promise<Date> {
  const { rows } = await db.query<{ at: Date | null }>(
    'select max(cursor_at) as at from credit_exports where channel = $1',
    [channel],
  );
  return rows[0]?.at ?? new Date(0);
}

export async function recordExport(
  db: Queryable,
  e: { batchId: string; channel: 'file' | 'http'; records: number; cursorAt: Date; reference: string },
): Promise<void> {
  await db.query(
    `insert into credit_exports (batch_id, channel, records, cursor_at, reference) values ($1, $2, $3, $4, $5)
     on conflict (batch_id) do nothing`,
    [e.batchId, e.channel, e.records, e.cursorAt, e.reference],
  );
}

/** When an item last changed: its publication or its removal. */
export function changedAt(item: CreditItemRow): Date {
  return item.removedAt && item.removedAt > item.publishedAt ? item.removedAt : item.publishedAt;
}
