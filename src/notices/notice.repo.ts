import type { Queryable } from '../db/pool.js';
import type { DocumentSeal } from '../documents/seal.js';
import type { NoticeKind } from './notice-message.js';

export type DeliveryChannelName = 'sms' | 'push' | 'email' | 'postal' | 'announcement';
export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'failed' | 'fallback';

export interface NoticeRow {
  id: string;
  case_id: string | null;
  violation_id: string | null;
  party_id: string | null;
  kind: NoticeKind;
  document_key: string | null;
  document_sha256: string | null;
  html_key: string | null;
  seal: { pdf: DocumentSeal; html: DocumentSeal } | null;
  issued_on: string | null;
  acknowledged_at: Date | null;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  notice_id: string;
  channel: DeliveryChannelName;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  address: string | null;
  provider_message_id: string | null;
  receipt: Record<string, unknown> | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The columns of a NoticeRow (`issued_on` as text); other repos that read a notice with more use it. */
export const NOTICE_COLUMNS = `id, case_id, violation_id, party_id, kind, document_key, document_sha256, html_key, seal, issued_on::text, acknowledged_at, created_at`;

export interface NewCaseNotice {
  caseId: string;
  violationId: string;
  partyId: string;
  kind: Exclude<NoticeKind, 'warning'>;
  pdfKey: string;
  htmlKey: string;
  pdfSeal: DocumentSeal;
  htmlSeal: DocumentSeal;
  issuedOn: string;
}

/** Null when the case already has a notice of this kind (a concurrent or repeated sweep). */
export async function insertCaseNotice(db: Queryable, n: NewCaseNotice): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into notices (case_id, violation_id, party_id, kind, document_key, document_sha256, seal_signature, html_key, seal, issued_on)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     on conflict (case_id, kind) where case_id is not null and kind in ('advance_notice', 'decision', 'payment_demand', 'no_penalty_decision', 'hearing_notice') do nothing
     returning id`,
    [
      n.caseId,
      n.violationId,
      n.partyId,
      n.kind,
      n.pdfKey,
      n.pdfSeal.documentSha256,
      n.pdfSeal.signature,
      n.htmlKey,
      JSON.stringify({ pdf: n.pdfSeal, html: n.htmlSeal }),
      n.issuedOn,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function findNotice(db: Queryable, id: string): Promise<NoticeRow | null> {
  const { rows } = await db.query<NoticeRow>(`select ${NOTICE_COLUMNS} from notices where id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listCaseNotices(db: Queryable, caseId: string): Promise<NoticeRow[]> {
  const { rows } = await db.query<NoticeRow>(
    `select ${NOTICE_COLUMNS} from notices where case_id = $1 order by created_at`,
    [caseId],
  );
  return rows;
}

/** The case's most recently issued document: what a party opening the case by its number is shown first. */
export async function latestIssuedCaseNotice(db: Queryable, caseId: string): Promise<NoticeRow | null> {
  const { rows } = await db.query<NoticeRow>(
    `select ${NOTICE_COLUMNS} from notices where case_id = $1 and document_key is not null
      order by created_at desc limit 1`,
    [caseId],
  );
  return rows[0] ?? null;
}

export async function acknowledgeNotice(db: Queryable, id: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    'update notices set acknowledged_at = $2 where id = $1 and acknowledged_at is null',
    [id, at],
  );
  return rowCount === 1;
}

export async function insertDelivery(
  db: Queryable,
  d: {
    noticeId: string;
    channel: DeliveryChannelName;
    address: string | null;
    status?: DeliveryStatus;
    lastError?: string;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into deliveries (notice_id, channel, address, status, last_error) values ($1, $2, $3, $4, $5) returning id`,
    [d.noticeId, d.channel, d.address, d.status ?? 'pending', d.lastError ?? null],
  );
  return rows[0]!.id;
}

export async function findDelivery(db: Queryable, id: string): Promise<DeliveryRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<DeliveryRow>('select * from deliveries where id = $1', [id]);
  return rows[0] ?? null;
}

/** Deliveries of every notice of a case, for the staff page. */
export async function listCaseDeliveries(
  db: Queryable,
  caseId: string,
): Promise<(DeliveryRow & { kind: NoticeKind })[]> {
  const { rows } = await db.query<DeliveryRow & { kind: NoticeKind }>(
    `select d.*, n.kind from deliveries d join notices n on n.id = d.notice_id where n.case_id = $1 order by d.created_at`,
    [caseId],
  );
  return rows;
}

export async function markSent(
  db: Queryable,
  id: string,
  r: { providerMessageId: string; delivered: boolean; receipt: Record<string, unknown> },
): Promise<void> {
  await db.query(
    `update deliveries set status = case when $3 then 'delivered' else 'sent' end, provider_message_id = $2, receipt = $4,
            attempts = attempts + 1, last_error = null, sent_at = now(), delivered_at = case when $3 then now() end, updated_at = now()
      where id = $1`,
    [id, r.providerMessageId, r.delivered, JSON.stringify(r.receipt)],
  );
}

export async function recordFailedAttempt(
  db: Queryable,
  id: string,
  error: string,
  finalStatus: DeliveryStatus | null,
): Promise<void> {
  await db.query(
    `update deliveries set attempts = attempts + 1, last_error = $2, status = coalesce($3, status), updated_at = now() where id = $1`,
    [id, error.slice(0, 1000), finalStatus],
  );
}

export async function markFallback(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query(
    `update deliveries set status = 'fallback', last_error = $2, updated_at = now() where id = $1 and status = 'pending'`,
    [id, reason],
  );
}

/** A provider's receipt; only a sent delivery moves (a late receipt never undoes a later state). */
export async function applyReceipt(
  db: Queryable,
  channel: string,
  providerMessageId: string,
  status: 'delivered' | 'failed',
  at: Date,
  detail: Record<string, unknown>,
): Promise<DeliveryRow | null> {
  const { rows } = await db.query<DeliveryRow>(
    `update deliveries set status = $3, delivered_at = case when $3 = 'delivered' then $4 else delivered_at end,
            receipt = coalesce(receipt, '{}'::jsonb) || jsonb_build_object('receipt', $5::jsonb), updated_at = now()
      where channel = $1 and provider_message_id = $2 and status = 'sent' returning *`,
    [channel, providerMessageId, status, at, JSON.stringify(detail)],
  );
  return rows[0] ?? null;
}

/** Pending deliveries whose job may have been lost (the enqueue after commit failed): enqueued again. */
export async function stalePendingDeliveries(
  db: Queryable,
  olderThanS: number,
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from deliveries where status = 'pending' and channel <> 'postal' and created_at < now() - make_interval(secs => $1)
      order by created_at limit $2`,
    [olderThanS, limit],
  );
  return rows.map((row) => row.id);
}

export async function insertPortalToken(
  db: Queryable,
  t: { hash: Buffer; noticeId: string; deliveryId: string | null; expiresAt: Date },
): Promise<void> {
  await db.query(
    'insert into portal_tokens (token_hash, notice_id, delivery_id, expires_at) values ($1, $2, $3, $4)',
    [t.hash, t.noticeId, t.deliveryId, t.expiresAt],
  );
}

export async function deletePortalToken(db: Queryable, hash: Buffer): Promise<void> {
  await db.query('delete from portal_tokens where token_hash = $1', [hash]);
}

/**
 * Keeps one link per delivery: the delivery's derived token is stored once (a retried send finds it), and any
 * other token of the delivery (minted under an earlier key) goes.
 */
export async function keepOneDeliveryToken(
  db: Queryable,
  t: { hash: Buffer; noticeId: string; deliveryId: string; expiresAt: Date },
): Promise<void> {
  await db.query('delete from portal_tokens where delivery_id = $1 and token_hash <> $2', [
    t.deliveryId,
    t.hash,
  ]);
  await db.query(
    `insert into portal_tokens (token_hash, notice_id, delivery_id, expires_at) values ($1, $2, $3, $4)
     on conflict (token_hash) do nothing`,
    [t.hash, t.noticeId, t.deliveryId, t.expiresAt],
  );
}

/** The id of the notice a live link opens, the link's hash being the SQL expression `tokenHash` (a scalar subquery). */
export const noticeIdOfToken = (tokenHash: string) => `(
       select notice_id from portal_tokens where token_hash = ${tokenHash} and expires_at > now()
       union all
       select id from notices where token_hash = ${tokenHash} and (token_expires_at is null or token_expires_at > now())
       limit 1)`;

/**
 * The notice a link opens, or null when the hash is unknown or expired. Links minted at delivery live in
 * portal_tokens; a notice created with its own token (notices.token_hash) opens the same way.
 */
export async function findNoticeByTokenHash(db: Queryable, hash: Buffer): Promise<NoticeRow | null> {
  const { rows } = await db.query<NoticeRow>(
    `select ${NOTICE_COLUMNS} from notices where id = ${noticeIdOfToken('$1')}`,
    [hash],
  );
  return rows[0] ?? null;
}

export async function caseHasNotice(db: Queryable, caseId: string, kind: NoticeKind): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from notices where case_id = $1 and kind = $2', [
    caseId,
    kind,
  ]);
  return Boolean(rowCount);
}

/** Null when the violation already has its warning (a retried job). */
export async function insertWarningNotice(
  db: Queryable,
  violationId: string,
  partyId: string,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into notices (violation_id, party_id, kind) values ($1, $2, 'warning')
     on conflict (violation_id) where kind = 'warning' do nothing
     returning id`,
    [violationId, partyId],
  );
  return rows[0]?.id ?? null;
}

/** The violation's warning with each of its deliveries still pending (one row with no delivery when none is). */
export async function warningDeliveries(
  db: Queryable,
  violationId: string,
): Promise<{ notice_id: string; delivery_id: string | null; channel: DeliveryChannelName | null }[]> {
  const { rows } = await db.query<{
    notice_id: string;
    delivery_id: string | null;
    channel: DeliveryChannelName | null;
  }>(
    `select n.id as notice_id, d.id as delivery_id, d.channel
       from notices n left join deliveries d on d.notice_id = n.id and d.status = 'pending'
      where n.violation_id = $1 and n.kind = 'warning'
      order by d.created_at, d.channel`,
    [violationId],
  );
  return rows;
}

/**
 * A delivery by post recorded by hand on the day the signed return receipt shows: the postal delivery (made
 * when none was) is delivered that day, and the notice counts as received then unless it was earlier.
 */
export async function recordPostalReceipt(
  db: Queryable,
  noticeId: string,
  receivedOn: string,
): Promise<void> {
  const postal = await db.query(
    `update deliveries set status = 'delivered', delivered_at = $2, updated_at = now() where notice_id = $1 and channel = 'postal'`,
    [noticeId, receivedOn],
  );
  if (postal.rowCount === 0)
    await insertDelivery(db, { noticeId, channel: 'postal', address: null, status: 'delivered' });
  await db.query('update notices set acknowledged_at = coalesce(acknowledged_at, $2::date) where id = $1', [
    noticeId,
    receivedOn,
  ]);
}

/** The notice's online deliveries still going or done, and its postal ones. */
export async function deliveryCounts(
  db: Queryable,
  noticeId: string,
): Promise<{ going: number; postal: number }> {
  const { rows } = await db.query<{ going: number; postal: number }>(
    `select count(*) filter (where status in ('pending', 'sent', 'delivered') and channel <> 'postal')::int as going,
            count(*) filter (where channel = 'postal')::int as postal
       from deliveries where notice_id = $1`,
    [noticeId],
  );
  return rows[0]!;
}

/** The first time the case's demand to pay is recorded as having reached the party; null when it is not. */
export async function firstPaymentDemandReceipt(db: Queryable, caseId: string): Promise<Date | null> {
  const { rows } = await db.query<{ first: Date | null }>(
    `select least(min(d.delivered_at), min(n.acknowledged_at)) as first
       from notices n left join deliveries d on d.notice_id = n.id and d.status = 'delivered'
      where n.case_id = $1 and n.kind = 'payment_demand'`,
    [caseId],
  );
  return rows[0]?.first ?? null;
}

export interface NoticeSubject {
  district_id: string;
  district_name: string;
  violation_type: string;
  case_number: string | null;
  catalogue_version: string | null;
}

/** What a notice is about: its violation's district and type, and its case when it has one. */
export async function findNoticeSubject(db: Queryable, noticeId: string): Promise<NoticeSubject | null> {
  const { rows } = await db.query<NoticeSubject>(
    `select v.district_id, d.name as district_name, v.violation_type, c.case_number, c.catalogue_version
       from notices n join violations v on v.id = coalesce(n.violation_id, (select violation_id from cases where id = n.case_id))
       join districts d on d.id = v.district_id left join cases c on c.id = n.case_id
      where n.id = $1`,
    [noticeId],
  );
  return rows[0] ?? null;
}

export interface WarningDeliveryState {
  channel: string;
  status: 'pending' | 'sent' | 'delivered' | 'failed' | 'fallback';
  sent_at: Date | null;
  delivered_at: Date | null;
  last_error: string | null;
}

/** Every delivery of the violation's warning, as it stands; empty when the violation has no warning. */
export async function warningDeliveryStates(
  db: Queryable,
  violationId: string,
): Promise<WarningDeliveryState[]> {
  const { rows } = await db.query<WarningDeliveryState>(
    `select d.channel, d.status, d.sent_at, d.delivered_at, d.last_error
       from notices n join deliveries d on d.notice_id = n.id
      where n.violation_id = $1 and n.kind = 'warning'
      order by d.created_at, d.channel`,
    [violationId],
  );
  return rows;
}
