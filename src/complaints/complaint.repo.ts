import type { Queryable } from '../db/pool.js';
import type { ComplaintOutcome, ComplaintStatus } from './complaint-rules.js';

/** SQL of the complaints tables (migration 0023); written only through these functions. */

export interface ComplaintRow {
  id: string;
  districtId: string;
  source: 'hotline' | 'staff';
  hotlineNumber: string | null;
  hotlineReceivedAt: Date | null;
  receivedAt: Date;
  receivedOn: string;
  placeText: string;
  latitude: number | null;
  longitude: number | null;
  matchedCameraId: string | null;
  matchedCameraName: string | null;
  matchedZoneId: string | null;
  matchedZoneName: string | null;
  matchedPartyId: string | null;
  matchedPartyName: string | null;
  matchMethod: 'coordinates' | 'address' | 'none';
  placeKey: string;
  groupId: string;
  groupSize: number;
  content: string;
  reporterName: string | null;
  reporterPhone: string | null;
  replyDueOn: string;
  transferDueOn: string;
  status: ComplaintStatus;
  outcomeNote: string | null;
  transferDepartment: string | null;
  outcomeAt: Date | null;
  outcomeOn: string | null;
  outcomeBy: string | null;
  createdAt: Date;
}

const SELECT = `
  select c.id, c.district_id as "districtId", c.source, c.hotline_number as "hotlineNumber",
         c.hotline_received_at as "hotlineReceivedAt", c.received_at as "receivedAt",
         to_char(c.received_on, 'YYYY-MM-DD') as "receivedOn", c.place_text as "placeText",
         c.latitude, c.longitude, c.matched_camera_id as "matchedCameraId", cam.name as "matchedCameraName",
         c.matched_zone_id as "matchedZoneId", z.name as "matchedZoneName",
         c.matched_party_id as "matchedPartyId", p.name as "matchedPartyName", c.match_method as "matchMethod",
         c.place_key as "placeKey", c.group_id as "groupId",
         (select count(*)::int from complaints g where g.group_id = c.group_id) as "groupSize",
         c.content, c.reporter_name as "reporterName", c.reporter_phone as "reporterPhone",
         to_char(c.reply_due_on, 'YYYY-MM-DD') as "replyDueOn",
         to_char(c.transfer_due_on, 'YYYY-MM-DD') as "transferDueOn", c.status,
         c.outcome_note as "outcomeNote", c.transfer_department as "transferDepartment",
         c.outcome_at as "outcomeAt", to_char(c.outcome_on, 'YYYY-MM-DD') as "outcomeOn",
         c.outcome_by as "outcomeBy", c.created_at as "createdAt"
    from complaints c
    left join cameras cam on cam.id = c.matched_camera_id
    left join zones z on z.id = c.matched_zone_id
    left join parties p on p.id = c.matched_party_id`;

export interface NewComplaint {
  districtId: string;
  source: 'hotline' | 'staff';
  hotlineNumber: string | null;
  hotlineReceivedAt: Date | null;
  receivedAt: Date;
  receivedOn: string;
  placeText: string;
  latitude: number | null;
  longitude: number | null;
  matchedCameraId: string | null;
  matchedZoneId: string | null;
  matchedPartyId: string | null;
  matchMethod: 'coordinates' | 'address' | 'none';
  placeKey: string;
  /** the group to join; null starts a group of its own */
  groupId: string | null;
  content: string;
  reporterName: string | null;
  reporterPhone: string | null;
  replyDueOn: string;
  transferDueOn: string;
  createdBy: string | null;
}

/** Inserts a complaint; null when its hotline number is already recorded (nothing is changed then). */
export async function insertComplaint(db: Queryable, c: NewComplaint): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into complaints (id, district_id, source, hotline_number, hotline_received_at, received_at,
       received_on, place_text, latitude, longitude, matched_camera_id, matched_zone_id, matched_party_id,
       match_method, place_key, group_id, content, reporter_name, reporter_phone, reply_due_on, transfer_due_on,
       created_by)
     select g.id, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, coalesce($15::uuid, g.id),
            $16, $17, $18, $19, $20, $21
       from (select gen_random_uuid() as id) g
     on conflict (hotline_number) do nothing
     returning id`,
    [
      c.districtId,
      c.source,
      c.hotlineNumber,
      c.hotlineReceivedAt,
      c.receivedAt,
      c.receivedOn,
      c.placeText,
      c.latitude,
      c.longitude,
      c.matchedCameraId,
      c.matchedZoneId,
      c.matchedPartyId,
      c.matchMethod,
      c.placeKey,
      c.groupId,
      c.content,
      c.reporterName,
      c.reporterPhone,
      c.replyDueOn,
      c.transferDueOn,
      c.createdBy,
    ],
  );
  return rows[0]?.id ?? null;
}

/** One complaint in the caller's scope (null scope: every district). */
export async function findComplaint(
  db: Queryable,
  id: string,
  scope: string | null,
): Promise<ComplaintRow | null> {
  const { rows } = await db.query<ComplaintRow>(
    `${SELECT} where c.id = $1 and ($2::text is null or c.district_id = $2)`,
    [id, scope],
  );
  return rows[0] ?? null;
}

export async function findByHotlineNumber(
  db: Queryable,
  hotlineNumber: string,
): Promise<ComplaintRow | null> {
  const { rows } = await db.query<ComplaintRow>(`${SELECT} where c.hotline_number = $1`, [hotlineNumber]);
  return rows[0] ?? null;
}

/** Open complaints first, nearest reply deadline first; then the decided ones, newest first. */
export async function listComplaints(
  db: Queryable,
  scope: string | null,
  filter: { status?: ComplaintStatus; groupId?: string; limit: number },
): Promise<ComplaintRow[]> {
  const { rows } = await db.query<ComplaintRow>(
    `${SELECT}
      where ($1::text is null or c.district_id = $1)
        and ($2::text is null or c.status = $2)
        and ($3::uuid is null or c.group_id = $3)
      order by (c.status = 'open') desc, case when c.status = 'open' then c.reply_due_on end asc,
               c.received_at desc
      limit $4`,
    [scope, filter.status ?? null, filter.groupId ?? null, filter.limit],
  );
  return rows;
}

/** The nearest camera of the district within `radiusM` of the point (equirectangular distance, fine at city scale). */
export async function nearestCamera(
  db: Queryable,
  districtId: string,
  lat: number,
  lon: number,
  radiusM: number,
): Promise<{ id: string; name: string; distanceM: number } | null> {
  const { rows } = await db.query<{ id: string; name: string; distanceM: number }>(
    `select id, name, d as "distanceM" from (
       select id, name,
              6371000 * sqrt(power(radians(latitude - $2), 2)
                + power(radians(longitude - $3) * cos(radians(($2 + latitude) / 2)), 2)) as d
         from cameras
        where district_id = $1 and latitude is not null and longitude is not null) c
      where d <= $4 order by d limit 1`,
    [districtId, lat, lon, radiusM],
  );
  return rows[0] ?? null;
}

/** Cameras of the district with an address, to compare with a complaint's place text. */
export async function camerasWithAddress(
  db: Queryable,
  districtId: string,
): Promise<{ id: string; name: string; address: string }[]> {
  const { rows } = await db.query<{ id: string; name: string; address: string }>(
    `select id, name, address from cameras where district_id = $1 and address <> '' order by created_at`,
    [districtId],
  );
  return rows;
}

export async function zonesOfCamera(
  db: Queryable,
  cameraId: string,
): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `select id, name from zones where camera_id = $1 and deleted_at is null and enabled order by created_at`,
    [cameraId],
  );
  return rows;
}

// The same normalisation as normalizePlace in complaint-rules.ts, close enough for addresses: spaces and the
// common Chinese and Latin punctuation removed, lower case.
const NORMALISED_ADDRESS = `regexp_replace(lower(address), '[[:space:],.;:()#\\-，。、；：（）“”]', '', 'g')`;

/** A shop (unit party) of the district whose address is inside the place text or contains it, the longest first. */
export async function shopAtPlace(
  db: Queryable,
  districtId: string,
  placeNorm: string,
): Promise<{ id: string; name: string } | null> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `select id, name from (
       select id, name, ${NORMALISED_ADDRESS} as a from parties where district_id = $1 and kind = 'unit') p
      where length(a) >= 4 and (position(a in $2) > 0 or position($2 in a) > 0)
      order by length(a) desc limit 1`,
    [districtId, placeNorm],
  );
  return rows[0] ?? null;
}

/**
 * The group an earlier complaint of the district about the same place belongs to: the same place key, or
 * coordinates within `radiusM`, received since `since`.
 */
export async function earlierGroup(
  db: Queryable,
  districtId: string,
  placeKey: string,
  point: { lat: number; lon: number } | null,
  radiusM: number,
  since: Date,
): Promise<string | null> {
  const { rows } = await db.query<{ groupId: string }>(
    `select group_id as "groupId" from complaints
      where district_id = $1 and received_at >= $2
        and (place_key = $3
             or ($4::float8 is not null and latitude is not null
                 and 6371000 * sqrt(power(radians(latitude - $4), 2)
                   + power(radians(longitude - $5) * cos(radians(($4 + latitude) / 2)), 2)) <= $6))
      order by received_at asc limit 1`,
    [districtId, since, placeKey, point?.lat ?? null, point?.lon ?? null, radiusM],
  );
  return rows[0]?.groupId ?? null;
}

/** Records the outcome of an open complaint; false when it was decided already (nothing changes then). */
export async function recordOutcome(
  db: Queryable,
  id: string,
  o: { outcome: ComplaintOutcome; note: string; department: string | null; at: Date; on: string; by: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `update complaints set status = $2, outcome_note = $3, transfer_department = $4, outcome_at = $5,
            outcome_on = $6, outcome_by = $7
      where id = $1 and status = 'open'`,
    [id, o.outcome, o.note, o.department, o.at, o.on, o.by],
  );
  return rowCount === 1;
}

export async function insertReply(
  db: Queryable,
  r: {
    complaintId: string;
    recipient: 'hotline' | 'reporter';
    payload: Record<string, unknown>;
    dueOn: string;
  },
): Promise<void> {
  await db.query(
    `insert into complaint_replies (complaint_id, recipient, payload, due_on) values ($1, $2, $3, $4)`,
    [r.complaintId, r.recipient, JSON.stringify(r.payload), r.dueOn],
  );
}

export interface ReplyRow {
  id: string;
  recipient: 'hotline' | 'reporter';
  payload: Record<string, unknown>;
  dueOn: string;
  sentAt: Date | null;
}

export async function replyOf(db: Queryable, complaintId: string): Promise<ReplyRow | null> {
  const { rows } = await db.query<ReplyRow>(
    `select id, recipient, payload, to_char(due_on, 'YYYY-MM-DD') as "dueOn", sent_at as "sentAt"
       from complaint_replies where complaint_id = $1`,
    [complaintId],
  );
  return rows[0] ?? null;
}

/** Serialises intake per district until the transaction ends, so two complaints at once join one group. */
export async function lockDistrictIntake(db: Queryable, districtId: string): Promise<void> {
  await db.query('select pg_advisory_xact_lock(hashtext($1))', [`complaint-intake:${districtId}`]);
}

export interface PendingHotlineReply {
  id: string;
  complaintNumber: string;
  payload: Record<string, unknown>;
  dueOn: string;
  createdAt: Date;
}

/** Replies to the hotline not yet taken by it, oldest first. */
export async function pendingHotlineReplies(db: Queryable, limit: number): Promise<PendingHotlineReply[]> {
  const { rows } = await db.query<PendingHotlineReply>(
    `select r.id, c.hotline_number as "complaintNumber", r.payload, to_char(r.due_on, 'YYYY-MM-DD') as "dueOn",
            r.created_at as "createdAt"
       from complaint_replies r join complaints c on c.id = r.complaint_id
      where r.recipient = 'hotline' and r.sent_at is null
      order by r.created_at, r.id limit $1`,
    [limit],
  );
  return rows;
}

/** Marks hotline replies as taken; returns the complaint ids of those newly marked (others are left as they are). */
export async function markHotlineRepliesSent(db: Queryable, ids: string[], at: Date): Promise<string[]> {
  const { rows } = await db.query<{ complaintId: string }>(
    `update complaint_replies set sent_at = $2, attempts = attempts + 1, sent_via = 'hotline_pull'
      where id = any($1::uuid[]) and recipient = 'hotline' and sent_at is null
      returning complaint_id as "complaintId"`,
    [ids, at],
  );
  return rows.map((r) => r.complaintId);
}
