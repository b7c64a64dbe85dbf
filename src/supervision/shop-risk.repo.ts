import type { Queryable } from '../db/pool.js';
import type { RiskLevel } from './risk-rules.js';

/** Shop risk levels, their history, the events taken into account and the daily counts per level. */

export interface ShopRiskRow {
  party_id: string;
  district_id: string;
  name: string;
  address: string;
  id_number: string | null;
  level: RiskLevel;
  level_since: Date;
  rules_version: string;
  last_inspected_at: Date | null;
  last_outcome: 'compliant' | 'problem' | null;
  last_notes: string | null;
  next_due_on: string;
}

const RISK_COLUMNS = `s.party_id::text, s.district_id, p.name, p.address, p.id_number, s.level, s.level_since,
  s.rules_version, s.last_inspected_at, s.last_outcome, s.last_notes, to_char(s.next_due_on, 'YYYY-MM-DD') as next_due_on`;

/** The districts (all, or the one in scope) that have shops without a level yet (noted by a trigger). */
export async function districtsWithUnleveledShops(db: Queryable, scope: string | null): Promise<string[]> {
  const { rows } = await db.query<{ district_id: string }>(
    `select distinct p.district_id from shop_risk_pending q join parties p on p.id = q.party_id
      where ($1::text is null or p.district_id = $1)`,
    [scope],
  );
  return rows.map((r) => r.district_id);
}

/** Gives the district's shops noted as new their initial level; answers how many. */
export async function levelNewShops(
  db: Queryable,
  input: { districtId: string; level: RiskLevel; version: string; since: Date; nextDueOn: string },
): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `with taken as (
       delete from shop_risk_pending q using parties p
        where p.id = q.party_id and p.district_id = $1
       returning q.party_id),
     added as (
       insert into shop_risk (party_id, district_id, level, level_since, rules_version, next_due_on)
       select party_id, $1, $2, $3, $4, $5::date from taken
       on conflict (party_id) do nothing
       returning party_id),
     history as (
       insert into shop_risk_history (party_id, district_id, to_level, source, rules_version, reason, at)
       select party_id, $1, $2, 'initial', $4, 'initial', $3 from added)
     select count(*) as n from added`,
    [input.districtId, input.level, input.since, input.version, input.nextDueOn],
  );
  return Number(rows[0]?.n ?? 0);
}

export interface PendingEvent {
  subject_kind: 'case' | 'complaint';
  subject_id: string;
  party_id: string;
  district_id: string;
  at: Date;
}

/** Cases filed against a shop and complaints about it found substantiated since `since`, not yet applied. */
export async function pendingRiskEvents(
  db: Queryable,
  scope: string | null,
  since: Date,
): Promise<PendingEvent[]> {
  const { rows } = await db.query<PendingEvent>(
    `select 'case' as subject_kind, c.id::text as subject_id, c.party_id::text, c.district_id, c.filed_at as at
       from cases c join shop_risk s on s.party_id = c.party_id
      where ($1::text is null or c.district_id = $1) and c.filed_at > $2
        and not exists (select 1 from shop_risk_events e
                         where e.subject_kind = 'case' and e.subject_id = c.id and e.party_id = c.party_id)
     union all
     select 'complaint', co.id::text, co.matched_party_id::text, co.district_id, co.outcome_at
       from complaints co join shop_risk s on s.party_id = co.matched_party_id
      where co.status = 'substantiated' and ($1::text is null or co.district_id = $1) and co.outcome_at > $2
        and not exists (select 1 from shop_risk_events e
                         where e.subject_kind = 'complaint' and e.subject_id = co.id and e.party_id = co.matched_party_id)
     order by at
     limit 1000`,
    [scope, since],
  );
  return rows;
}

/** Marks an event taken into account; false when another request already did. */
export async function markEventApplied(db: Queryable, e: PendingEvent): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into shop_risk_events (party_id, subject_kind, subject_id) values ($1, $2, $3) on conflict do nothing`,
    [e.party_id, e.subject_kind, e.subject_id],
  );
  return rowCount === 1;
}

/** A shop's level row, locked for a change (inside a transaction). */
export async function lockShopRisk(db: Queryable, partyId: string): Promise<ShopRiskRow | null> {
  const { rows } = await db.query<ShopRiskRow>(
    `select ${RISK_COLUMNS} from shop_risk s join parties p on p.id = s.party_id
      where s.party_id = $1 for update of s`,
    [partyId],
  );
  return rows[0] ?? null;
}

export async function findShopRisk(db: Queryable, partyId: string): Promise<ShopRiskRow | null> {
  const { rows } = await db.query<ShopRiskRow>(
    `select ${RISK_COLUMNS} from shop_risk s join parties p on p.id = s.party_id where s.party_id = $1`,
    [partyId],
  );
  return rows[0] ?? null;
}

export async function setLevel(
  db: Queryable,
  partyId: string,
  change: { level: RiskLevel; since: Date; version: string; nextDueOn: string },
): Promise<void> {
  await db.query(
    `update shop_risk set level = $2, level_since = $3, rules_version = $4, next_due_on = $5::date, updated_at = now()
      where party_id = $1`,
    [partyId, change.level, change.since, change.version, change.nextDueOn],
  );
}

export interface HistoryInput {
  partyId: string;
  districtId: string;
  from: RiskLevel | null;
  to: RiskLevel;
  source: 'initial' | 'rule' | 'manual';
  rule: string | null;
  version: string | null;
  reason: string;
  subjectKind: string | null;
  subjectId: string | null;
  changedBy: string | null;
  at: Date;
}

export async function insertHistory(db: Queryable, h: HistoryInput): Promise<void> {
  await db.query(
    `insert into shop_risk_history (party_id, district_id, from_level, to_level, source, rule, rules_version, reason,
                                    subject_kind, subject_id, changed_by, at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      h.partyId,
      h.districtId,
      h.from,
      h.to,
      h.source,
      h.rule,
      h.version,
      h.reason,
      h.subjectKind,
      h.subjectId,
      h.changedBy,
      h.at,
    ],
  );
}

export interface HistoryRow {
  from_level: RiskLevel | null;
  to_level: RiskLevel;
  source: 'initial' | 'rule' | 'manual';
  rule: string | null;
  rules_version: string | null;
  reason: string;
  subject_kind: string | null;
  subject_id: string | null;
  changed_by_name: string | null;
  at: Date;
}

export async function levelHistory(db: Queryable, partyId: string, limit = 100): Promise<HistoryRow[]> {
  const { rows } = await db.query<HistoryRow>(
    `select h.from_level, h.to_level, h.source, h.rule, h.rules_version, h.reason, h.subject_kind, h.subject_id,
            u.display_name as changed_by_name, h.at
       from shop_risk_history h left join staff_users u on u.id = h.changed_by
      where h.party_id = $1 order by h.at desc, h.id desc limit $2`,
    [partyId, limit],
  );
  return rows;
}

/**
 * Moves the day's counts of a district by `delta` per level. The day's row starts as a copy of the latest earlier
 * day, so the counts of a day are those at its end.
 */
export async function bumpDailyCounts(
  db: Queryable,
  districtId: string,
  on: string,
  delta: Record<RiskLevel, number>,
): Promise<void> {
  await db.query(
    `insert into shop_level_daily (district_id, on_date, high, medium, low)
     select $1, $2::date, coalesce(prev.high, 0), coalesce(prev.medium, 0), coalesce(prev.low, 0)
       from (select 1) one
       left join lateral (select high, medium, low from shop_level_daily
                           where district_id = $1 and on_date < $2::date order by on_date desc limit 1) prev on true
     on conflict (district_id, on_date) do nothing`,
    [districtId, on],
  );
  await db.query(
    `update shop_level_daily set high = high + $3, medium = medium + $4, low = low + $5
      where district_id = $1 and on_date = $2::date`,
    [districtId, on, delta.high, delta.medium, delta.low],
  );
}

export interface DailyRow {
  district_id: string;
  on_date: string;
  high: number;
  medium: number;
  low: number;
}

/** The daily counts up to `to`, from the last row before `from` on (each district's). */
export async function dailyCounts(
  db: Queryable,
  scope: string | null,
  from: string,
  to: string,
): Promise<DailyRow[]> {
  const { rows } = await db.query<DailyRow>(
    `select district_id, to_char(on_date, 'YYYY-MM-DD') as on_date, high, medium, low from shop_level_daily d
      where ($1::text is null or district_id = $1) and on_date <= $3::date
        and on_date >= coalesce((select max(on_date) from shop_level_daily e
                                  where e.district_id = d.district_id and e.on_date <= $2::date), $2::date)
      order by on_date`,
    [scope, from, to],
  );
  return rows;
}

/** The count of a district's (or every district's) shops at each level. */
export async function levelCounts(db: Queryable, scope: string | null): Promise<Record<RiskLevel, number>> {
  const { rows } = await db.query<{ level: RiskLevel; n: string }>(
    `select level, count(*) as n from shop_risk where ($1::text is null or district_id = $1) group by level`,
    [scope],
  );
  const counts: Record<RiskLevel, number> = { high: 0, medium: 0, low: 0 };
  for (const r of rows) counts[r.level] = Number(r.n);
  return counts;
}
