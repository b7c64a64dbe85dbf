import type { Queryable } from '../db/pool.js';
import { insertDelivery, type DeliveryRow } from './notice.repo.js';

export interface AnnouncementRow {
  id: string;
  case_id: string;
  district_id: string;
  notice_id: string;
  notice_kind: string;
  published_at: Date;
  published_on: string;
  effective_on: string;
  party_masked: string;
  essentials: AnnouncementEssentials;
  published_by: string;
  served_at: Date | null;
}

/** What the public page prints of the document, fixed when the announcement is published. */
export interface AnnouncementEssentials {
  caseNumber: string;
  documentKind: string;
  issuedOn: string | null;
  violationType: string;
  /** the day and place the violation was seen (Beijing date) */
  seenOn: string;
  place: string;
  /** the fine proposed (advance notice) or decided (decision), in fen; null for documents without one */
  fineFen: number | null;
}

const COLUMNS = `id, case_id, district_id, notice_id, notice_kind, published_at, published_on::text, effective_on::text,
  party_masked, essentials, published_by, served_at`;

/** The deliveries of one notice of the case (null when the notice is not the case's). */
export async function caseNoticeDeliveries(
  db: Queryable,
  caseId: string,
  noticeId: string,
): Promise<{
  kind: string;
  issued_on: string | null;
  acknowledged_at: Date | null;
  deliveries: DeliveryRow[];
} | null> {
  const notice = await db.query<{ kind: string; issued_on: string | null; acknowledged_at: Date | null }>(
    'select kind, issued_on::text, acknowledged_at from notices where id = $1 and case_id = $2',
    [noticeId, caseId],
  );
  if (!notice.rows[0]) return null;
  const { rows } = await db.query<DeliveryRow>(
    'select * from deliveries where notice_id = $1 order by created_at',
    [noticeId],
  );
  return { ...notice.rows[0], deliveries: rows };
}

/** The post came back undelivered: the postal delivery fails with the reason (one is made when none was). */
export async function markPostalReturned(db: Queryable, noticeId: string, reason: string): Promise<void> {
  const { rowCount } = await db.query(
    `update deliveries set status = 'failed', last_error = $2, attempts = attempts + 1, updated_at = now()
      where notice_id = $1 and channel = 'postal' and status in ('pending', 'sent', 'fallback')`,
    [noticeId, reason],
  );
  if (rowCount === 0)
    await insertDelivery(db, {
      noticeId,
      channel: 'postal',
      address: null,
      status: 'failed',
      lastError: reason,
    });
}

/** The facts of the case the announcement prints: the party, the place and the day of the violation. */
export async function announcementFacts(
  db: Queryable,
  caseId: string,
): Promise<{
  party_name: string;
  party_kind: 'person' | 'unit';
  party_address: string;
  first_seen_at: Date;
  place: string;
} | null> {
  const { rows } = await db.query<{
    party_name: string;
    party_kind: 'person' | 'unit';
    party_address: string;
    first_seen_at: Date;
    place: string;
  }>(
    `select p.name as party_name, p.kind as party_kind, p.address as party_address, v.first_seen_at, cam.address as place
       from cases c join parties p on p.id = c.party_id join violations v on v.id = c.violation_id
       join cameras cam on cam.id = v.camera_id
      where c.id = $1`,
    [caseId],
  );
  return rows[0] ?? null;
}

export async function insertAnnouncement(
  db: Queryable,
  a: {
    caseId: string;
    districtId: string;
    noticeId: string;
    noticeKind: string;
    publishedOn: string;
    effectiveOn: string;
    partyMasked: string;
    essentials: AnnouncementEssentials;
    publishedBy: string;
  },
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into announcements (case_id, district_id, notice_id, notice_kind, published_on, effective_on, party_masked, essentials, published_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (notice_id) do nothing returning id`,
    [
      a.caseId,
      a.districtId,
      a.noticeId,
      a.noticeKind,
      a.publishedOn,
      a.effectiveOn,
      a.partyMasked,
      JSON.stringify(a.essentials),
      a.publishedBy,
    ],
  );
  return rows[0]?.id ?? null;
}

/** The announcements on the public page, newest first. */
export async function listAnnouncements(db: Queryable, limit: number): Promise<AnnouncementRow[]> {
  const { rows } = await db.query<AnnouncementRow>(
    `select ${COLUMNS} from announcements order by published_at desc limit $1`,
    [limit],
  );
  return rows;
}

export async function announcementsOfCase(db: Queryable, caseId: string): Promise<AnnouncementRow[]> {
  const { rows } = await db.query<AnnouncementRow>(
    `select ${COLUMNS} from announcements where case_id = $1 order by published_at`,
    [caseId],
  );
  return rows;
}

/** Announcements whose waiting period has run by `today` and which are not yet recorded as service. */
export async function dueAnnouncements(
  db: Queryable,
  today: string,
  limit: number,
): Promise<AnnouncementRow[]> {
  const { rows } = await db.query<AnnouncementRow>(
    `select ${COLUMNS} from announcements where served_at is null and effective_on <= $1 order by effective_on limit $2`,
    [today, limit],
  );
  return rows;
}

/**
 * Records the service: a delivered delivery by announcement dated the day it took effect, the notice received
 * then (unless it was earlier), the announcement served. False when another sweep got there first.
 */
export async function recordAnnouncementServed(db: Queryable, a: AnnouncementRow): Promise<boolean> {
  const { rowCount } = await db.query(
    'update announcements set served_at = now() where id = $1 and served_at is null',
    [a.id],
  );
  if (rowCount === 0) return false;
  await db.query(
    `insert into deliveries (notice_id, channel, address, status, sent_at, delivered_at, receipt)
     values ($1, 'announcement', null, 'delivered', $3::date, $2::date, $4)`,
    [a.notice_id, a.effective_on, a.published_on, JSON.stringify({ announcementId: a.id })],
  );
  await db.query('update notices set acknowledged_at = coalesce(acknowledged_at, $2::date) where id = $1', [
    a.notice_id,
    a.effective_on,
  ]);
  return true;
}
