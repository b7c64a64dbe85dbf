import type { Queryable } from '../db/pool.js';
import type { RiskLevel } from './risk-rules.js';
import type { ShopRiskRow } from './shop-risk.repo.js';

/** Inspections of shops, their photos, the due list and the cameras that watch a shop's frontage. */

const LIST_COLUMNS = `s.party_id::text, s.district_id, p.name, p.address, p.id_number, s.level, s.level_since,
  s.rules_version, s.last_inspected_at, s.last_outcome, s.last_notes, to_char(s.next_due_on, 'YYYY-MM-DD') as next_due_on`;

/** Shops due by `until` (overdue first), at most `limit`. */
export async function dueShops(
  db: Queryable,
  scope: string | null,
  until: string,
  limit: number,
): Promise<ShopRiskRow[]> {
  const { rows } = await db.query<ShopRiskRow>(
    `select ${LIST_COLUMNS} from shop_risk s join parties p on p.id = s.party_id
      where ($1::text is null or s.district_id = $1) and s.next_due_on <= $2::date
      order by s.next_due_on, s.level limit $3`,
    [scope, until, limit],
  );
  return rows;
}

export async function countDue(db: Queryable, scope: string | null, before: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from shop_risk where ($1::text is null or district_id = $1) and next_due_on < $2::date`,
    [scope, before],
  );
  return Number(rows[0]?.n ?? 0);
}

export interface ShopFilter {
  level?: RiskLevel;
  /** part of the name or address */
  q?: string;
  overdueBefore?: string;
}

function filterSql(f: ShopFilter, params: unknown[]): string {
  const where: string[] = [];
  if (f.level) {
    params.push(f.level);
    where.push(`s.level = $${params.length}`);
  }
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(p.name ilike $${params.length} or p.address ilike $${params.length})`);
  }
  if (f.overdueBefore) {
    params.push(f.overdueBefore);
    where.push(`s.next_due_on < $${params.length}::date`);
  }
  return where.map((w) => ` and ${w}`).join('');
}

/**
 * A page of the district's shops, high risk first, then by due date; with the count that match. The register is
 * joined only to search by name or address, so the plain page reads the level index alone.
 */
export async function listShops(
  db: Queryable,
  scope: string | null,
  filter: ShopFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ShopRiskRow[]; total: number }> {
  const params: unknown[] = [scope];
  const where = filterSql(filter, params);
  const from = filter.q ? 'shop_risk s join parties p on p.id = s.party_id' : 'shop_risk s';
  const total = await db.query<{ n: string }>(
    `select count(*) as n from ${from} where ($1::text is null or s.district_id = $1)${where}`,
    params,
  );
  const { rows } = await db.query<ShopRiskRow>(
    `select ${LIST_COLUMNS} from shop_risk s join parties p on p.id = s.party_id
      where ($1::text is null or s.district_id = $1)${where}
      order by s.level_rank, s.next_due_on, s.party_id
      limit ${page.limit} offset ${page.offset}`,
    params,
  );
  return { rows, total: Number(total.rows[0]?.n ?? 0) };
}

export interface CameraCover {
  party_id: string;
  camera_id: string;
  camera_name: string;
  sample_interval_s: number;
  last_frame_at: Date | null;
  last_error_at: Date | null;
  last_outage_at: Date | null;
  last_violation_at: Date | null;
}

/**
 * The cameras whose live shop-front zone names one of the shops, with what their status is derived from, their
 * last outage and
 * the last violation they saw in that zone or against the shop.
 */
export async function camerasCovering(db: Queryable, partyIds: string[]): Promise<CameraCover[]> {
  if (partyIds.length === 0) return [];
  const { rows } = await db.query<CameraCover>(
    `select z.definition->'frontLine'->>'partyId' as party_id, c.id::text as camera_id, c.name as camera_name,
            c.sample_interval_s, h.last_frame_at, h.last_error_at, h.last_outage_at,
            (select max(v.first_seen_at) from violations v
              where v.camera_id = c.id and (v.zone_id = z.id or v.party_id = (z.definition->'frontLine'->>'partyId')::uuid)
            ) as last_violation_at
       from zones z join cameras c on c.id = z.camera_id left join camera_health h on h.camera_id = c.id
      where z.kind = 'shop_front' and z.deleted_at is null and z.enabled
        and z.definition->'frontLine'->>'partyId' = any($1::text[])`,
    [partyIds],
  );
  return rows;
}

export interface InspectionInput {
  partyId: string;
  districtId: string;
  level: RiskLevel;
  outcome: 'compliant' | 'problem';
  notes: string;
  at: Date;
  on: string;
  by: string;
}

export async function insertInspection(db: Queryable, i: InspectionInput): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into shop_inspections (party_id, district_id, level, outcome, notes, inspected_at, inspected_on, inspected_by)
     values ($1, $2, $3, $4, $5, $6, $7::date, $8) returning id::text`,
    [i.partyId, i.districtId, i.level, i.outcome, i.notes, i.at, i.on, i.by],
  );
  return rows[0]!.id;
}

export interface PhotoInput {
  key: string;
  sha256: string;
  contentType: 'image/jpeg' | 'image/png';
  size: number;
  name: string;
}

export async function insertPhotos(db: Queryable, inspectionId: string, photos: PhotoInput[]): Promise<void> {
  for (const p of photos) {
    await db.query(
      `insert into shop_inspection_photos (inspection_id, storage_key, sha256, content_type, byte_size, name)
       values ($1, $2, $3, $4, $5, $6)`,
      [inspectionId, p.key, p.sha256, p.contentType, p.size, p.name],
    );
  }
}

export async function recordLastInspection(
  db: Queryable,
  partyId: string,
  last: { at: Date; outcome: 'compliant' | 'problem'; notes: string; nextDueOn: string },
): Promise<void> {
  await db.query(
    `update shop_risk set last_inspected_at = $2, last_outcome = $3, last_notes = $4, next_due_on = $5::date,
            updated_at = now()
      where party_id = $1`,
    [partyId, last.at, last.outcome, last.notes, last.nextDueOn],
  );
}

/** What lowering looks at since the level was set: inspections by outcome and the events that raise. */
export async function windowCounts(
  db: Queryable,
  partyId: string,
  since: Date,
): Promise<{ compliant: number; problem: number; events: number }> {
  const { rows } = await db.query<{ compliant: string; problem: string; events: string }>(
    `select count(*) filter (where outcome = 'compliant') as compliant,
            count(*) filter (where outcome = 'problem') as problem,
            (select count(*) from shop_risk_events e where e.party_id = $1 and e.applied_at > $2) as events
       from shop_inspections where party_id = $1 and inspected_at > $2`,
    [partyId, since],
  );
  const r = rows[0]!;
  return { compliant: Number(r.compliant), problem: Number(r.problem), events: Number(r.events) };
}

export interface InspectionRow {
  id: string;
  level: RiskLevel;
  outcome: 'compliant' | 'problem';
  notes: string;
  inspected_at: Date;
  inspector: string;
  photos: { id: string; name: string; sha256: string }[];
}

export async function shopInspections(db: Queryable, partyId: string, limit = 50): Promise<InspectionRow[]> {
  const { rows } = await db.query<InspectionRow>(
    `select i.id::text, i.level, i.outcome, i.notes, i.inspected_at, u.display_name as inspector,
            coalesce((select json_agg(json_build_object('id', ph.id, 'name', ph.name, 'sha256', ph.sha256) order by ph.name)
                        from shop_inspection_photos ph where ph.inspection_id = i.id), '[]') as photos
       from shop_inspections i join staff_users u on u.id = i.inspected_by
      where i.party_id = $1 order by i.inspected_at desc limit $2`,
    [partyId, limit],
  );
  return rows;
}

export interface PhotoRow {
  storage_key: string;
  content_type: string;
  sha256: string;
  district_id: string;
}

export async function findPhoto(db: Queryable, photoId: string): Promise<PhotoRow | null> {
  const { rows } = await db.query<PhotoRow>(
    `select ph.storage_key, ph.content_type, ph.sha256, i.district_id
       from shop_inspection_photos ph join shop_inspections i on i.id = ph.inspection_id where ph.id = $1`,
    [photoId],
  );
  return rows[0] ?? null;
}
