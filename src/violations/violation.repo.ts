import type { Queryable } from '../db/pool.js';
import type { RuleName } from '../rules/rule-events.js';

export interface ViolationRow {
  id: string;
  district_id: string;
  camera_id: string;
  zone_id: string | null;
  camera_version: number;
  rule: string;
  violation_type: string;
  status: string;
  party_id: string | null;
  first_seen_at: Date;
  confirmed_at: Date;
  ended_at: Date | null;
  dedupe_key: string;
  model_name: string | null;
  model_sha256: string | null;
  manifest_key: string | null;
  manifest_sha256: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}

export interface EvidenceItemRow {
  id: string;
  violation_id: string;
  kind: 'original' | 'annotated' | 'crop' | 'manifest';
  frame_id: number | null;
  storage_key: string;
  sha256: string;
  content_type: string;
  byte_size: number;
  captured_at: Date | null;
  label: string;
}

export async function findViolation(db: Queryable, id: string): Promise<ViolationRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<ViolationRow>('select * from violations where id = $1', [id]);
  return rows[0] ?? null;
}

export async function listEvidence(db: Queryable, violationId: string): Promise<EvidenceItemRow[]> {
  const { rows } = await db.query<EvidenceItemRow>(
    `select * from evidence_items where violation_id = $1
      order by case kind when 'original' then 0 when 'annotated' then 1 when 'crop' then 2 else 3 end, captured_at nulls last, label`,
    [violationId],
  );
  return rows;
}

export async function findEvidenceItem(
  db: Queryable,
  id: string,
): Promise<(EvidenceItemRow & { district_id: string }) | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<EvidenceItemRow & { district_id: string }>(
    'select e.*, v.district_id from evidence_items e join violations v on v.id = e.violation_id where e.id = $1',
    [id],
  );
  return rows[0] ?? null;
}

/** Decided violations of the party in the 12 months before `before` (the discretion benchmark's look-back). */
/**
 * The party's violations in the 12 months before `before` whose penalty decision is in force: the case was
 * decided (and has not been revoked, reduced to no penalty, or closed without one), so a filed but undecided (or undelivered) case,
 * a withdrawn case and a warn-first violation closed without a case never lift the next fine into a repeat tier.
 * `status` is the case's status.
 */
export async function priorViolationsOfParty(
  db: Queryable,
  partyId: string,
  before: Date,
  exceptId: string,
): Promise<{ id: string; violation_type: string; confirmed_at: Date; status: string }[]> {
  const { rows } = await db.query<{ id: string; violation_type: string; confirmed_at: Date; status: string }>(
    `select v.id, v.violation_type, v.confirmed_at, c.status
       from violations v join cases c on c.violation_id = v.id
      where v.party_id = $1 and v.id <> $3
        and v.confirmed_at < $2 and v.confirmed_at >= $2 - interval '12 months'
        and c.status = any($4::text[])
        and coalesce(c.snapshot->>'outcome', '') not in ('revoked', 'no_penalty', 'withdrawn')
        and (c.snapshot->>'fineFen')::bigint > 0
      order by v.confirmed_at desc limit 50`,
    [partyId, before, exceptId, DECISION_IN_FORCE_STATES],
  );
  return rows;
}

/** Case states in which a penalty decision has been taken; `closed` counts only with an outcome that keeps it. */
// A decision taken but not yet delivered is not yet in force (APL art. 61), so `decided` is left out.
const DECISION_IN_FORCE_STATES = [
  'decision_delivered',
  'payment_due',
  'overdue',
  'suspended',
  'paid',
  'enforcement_referred',
  'closed',
];

export async function setViolationStatus(
  db: Queryable,
  id: string,
  status: string,
  partyId?: string | null,
): Promise<void> {
  await db.query(
    `update violations set status = $2, party_id = coalesce($3, party_id), updated_at = now() where id = $1`,
    [id, status, partyId ?? null],
  );
}

export interface NewViolation {
  id: string;
  districtId: string;
  cameraId: string;
  zoneId: string | null;
  cameraVersion: number;
  rule: string;
  violationType: RuleName;
  status: 'warned' | 'pending_review';
  partyId: string | null;
  firstSeenAt: Date;
  confirmedAt: Date;
  endedAt: Date | null;
  dedupeKey: string;
  modelName: string | null;
  modelSha256: string | null;
  manifestKey: string;
  manifestSha256: string;
  details: Record<string, unknown>;
}

/** Returns false when the violation was already written (its dedupe key is taken). */
export async function insertViolation(tx: Queryable, v: NewViolation): Promise<boolean> {
  const { rowCount } = await tx.query(
    `insert into violations (id, district_id, camera_id, zone_id, camera_version, rule, violation_type, status, party_id,
                             first_seen_at, confirmed_at, ended_at, dedupe_key, model_name, model_sha256,
                             manifest_key, manifest_sha256, details)
     values ($1, $2, $3, (select id from zones where id = $4), $5, $6, $7, $8, (select id from parties where id = $9),
             $10, $11, $12, $13, $14, $15, $16, $17, $18)
     on conflict (dedupe_key) do nothing`,
    [
      v.id,
      v.districtId,
      v.cameraId,
      v.zoneId,
      v.cameraVersion,
      v.rule,
      v.violationType,
      v.status,
      v.partyId,
      v.firstSeenAt,
      v.confirmedAt,
      v.endedAt,
      v.dedupeKey,
      v.modelName,
      v.modelSha256,
      v.manifestKey,
      v.manifestSha256,
      JSON.stringify(v.details),
    ],
  );
  return rowCount === 1;
}

/** Moves the violation on and merges `details` into what it holds. */
export async function updateViolation(
  tx: Queryable,
  id: string,
  status: string,
  details: Record<string, unknown>,
): Promise<void> {
  await tx.query(
    'update violations set status = $2, details = details || $3::jsonb, updated_at = now() where id = $1',
    [id, status, JSON.stringify(details)],
  );
}

/** The scene of a violation ended (its first recorded end stays). */
export async function recordViolationEndOnViolation(
  tx: Queryable,
  dedupeKey: string,
  endedAt: Date,
  reason: string,
): Promise<void> {
  await tx.query(
    `update violations set ended_at = $2, details = details || jsonb_build_object('endReason', $3::text),
            updated_at = now()
      where dedupe_key = $1 and ended_at is null`,
    [dedupeKey, endedAt, reason],
  );
}
