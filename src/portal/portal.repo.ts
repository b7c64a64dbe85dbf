import { CASE_COLUMNS, type CaseEventRow, type CaseRow } from '../cases/case.repo.js';
import type { Queryable } from '../db/pool.js';
import { NOTICE_COLUMNS, noticeIdOfToken, type NoticeRow } from '../notices/notice.repo.js';
import { PAYMENT_COLUMNS, type PaymentRow } from '../payments/payment.repo.js';

export interface PortalSessionRow {
  notice_id: string;
  case_id: string | null;
  party_id: string | null;
  expires_at: Date;
}

export async function insertPortalSession(
  db: Queryable,
  s: {
    idHash: Buffer;
    tokenHash: Buffer;
    noticeId: string;
    caseId: string | null;
    partyId: string | null;
    ip: string;
    expiresAt: Date;
  },
): Promise<void> {
  await db.query(
    `insert into portal_sessions (id_hash, token_hash, notice_id, case_id, party_id, ip, expires_at) values ($1, $2, $3, $4, $5, $6, $7)`,
    [s.idHash, s.tokenHash, s.noticeId, s.caseId, s.partyId, s.ip, s.expiresAt],
  );
  // Expired sessions are useless; removing a few on each sign-in keeps the table small without a job.
  await db.query(
    `delete from portal_sessions where id_hash in (select id_hash from portal_sessions where expires_at < now() limit 50)`,
  );
}

/** A request's session and the notice its link opens. */
export interface PortalAccessRow {
  session: PortalSessionRow;
  notice: NoticeRow;
}

/**
 * The session and notice of each (session hash, link hash) asked for, in one round trip, in the order asked:
 * null unless the session is live, was opened from that link, and the link is live and opens the session's
 * notice. Many requests' lookups go in one query under a crowd (see PortalSessionService).
 */
export async function findPortalAccesses(
  db: Queryable,
  keys: readonly { idHash: Buffer; tokenHash: Buffer }[],
): Promise<(PortalAccessRow | null)[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<
    NoticeRow & { i: string; s_case_id: string | null; s_party_id: string | null; s_expires_at: Date }
  >(
    `select k.i, n.*, s.case_id as s_case_id, s.party_id as s_party_id, s.expires_at as s_expires_at
       from unnest($1::bytea[], $2::bytea[]) with ordinality as k(token_hash, id_hash, i)
       cross join lateral (select ${NOTICE_COLUMNS} from notices where id = ${noticeIdOfToken('k.token_hash')}) n
       join portal_sessions s on s.notice_id = n.id
      where s.id_hash = k.id_hash and s.token_hash = k.token_hash and s.expires_at > now()`,
    [keys.map((k) => k.tokenHash), keys.map((k) => k.idHash)],
  );
  const found: (PortalAccessRow | null)[] = keys.map(() => null);
  for (const { i, s_case_id, s_party_id, s_expires_at, ...notice } of rows)
    found[Number(i) - 1] = {
      session: { notice_id: notice.id, case_id: s_case_id, party_id: s_party_id, expires_at: s_expires_at },
      notice,
    };
  return found;
}

/** Everything the notice page shows of a notice's case, as stored (what findCase, listCaseNotices … return). */
export interface PortalCaseData {
  notice: NoticeRow;
  caseRow: CaseRow | null;
  /** the case's notices, oldest first; empty without a case */
  notices: NoticeRow[];
  hearing: { requested_at: Date; status: string } | null;
  events: Pick<CaseEventRow, 'kind' | 'at'>[];
  evidence: PortalEvidenceRow[];
  statements: StatementRow[];
  payments: PaymentRow[];
}

type Json = Record<string, unknown>;
const NOTICE_DATES = ['acknowledged_at', 'created_at'] as const;
/** JSON carries timestamps as ISO text; these fields are turned back into Dates as the driver would. */
const dated = <T>(row: Json | null, fields: readonly string[]): T => {
  if (row) for (const f of fields) if (typeof row[f] === 'string') row[f] = new Date(row[f]);
  return row as T;
};
const datedAll = <T>(rows: Json[], fields: readonly string[]): T[] => rows.map((r) => dated<T>(r, fields));

/**
 * The notice page's case data of each notice asked for, in one round trip (one query returning JSON) instead of
 * one query per part, in the order asked (many pages' misses go together); null for a notice there is not. The
 * same rows, in the same order, as the repos' own functions (test/portal/portal-cache.test.ts holds them equal).
 */
export async function portalCaseDataOf(
  db: Queryable,
  noticeIds: readonly string[],
): Promise<(PortalCaseData | null)[]> {
  if (noticeIds.length === 0) return [];
  const { rows } = await db.query<Record<keyof PortalCaseData | 'case_row' | 'i', unknown>>(
    `select k.i,
       (select to_json(x) from (select ${NOTICE_COLUMNS} from notices where id = n.id) x) as notice,
       (select to_json(x) from (select ${CASE_COLUMNS} from cases where id = n.case_id) x) as case_row,
       (select coalesce(json_agg(x order by x.created_at), '[]') from (select ${NOTICE_COLUMNS} from notices where case_id = n.case_id) x) as notices,
       (select to_json(x) from (select requested_at, status from hearings where case_id = n.case_id) x) as hearing,
       (select coalesce(json_agg(json_build_object('kind', e.kind, 'at', e.at) order by e.id), '[]')
          from case_events e where e.case_id = n.case_id) as events,
       (select coalesce(json_agg(json_build_object('id', e.id, 'kind', e.kind, 'label', e.label, 'sha256', e.sha256,
                 'content_type', e.content_type, 'storage_key', e.storage_key, 'captured_at', e.captured_at)
                 order by case e.kind when 'original' then 0 when 'annotated' then 1 else 2 end, e.captured_at nulls last, e.label), '[]')
          from evidence_items e
         where e.violation_id = coalesce(n.violation_id, (select violation_id from cases where id = n.case_id))
           and e.kind <> 'manifest') as evidence,
       (select coalesce(json_agg(x order by x.submitted_at), '[]') from (select * from statements where case_id = n.case_id) x) as statements,
       (select coalesce(json_agg(x order by x.created_at), '[]') from (select ${PAYMENT_COLUMNS} from payments where case_id = n.case_id) x) as payments
     from unnest($1::uuid[]) with ordinality as k(id, i) join notices n on n.id = k.id`,
    [noticeIds],
  );
  const found: (PortalCaseData | null)[] = noticeIds.map(() => null);
  for (const row of rows) found[Number(row.i) - 1] = caseDataOf(row);
  return found;
}

const caseDataOf = (row: Record<keyof PortalCaseData | 'case_row', unknown>): PortalCaseData => ({
  notice: dated(row.notice as Json, NOTICE_DATES),
  caseRow: dated(row.case_row as Json | null, ['filed_at', 'decided_at', 'closed_at', 'updated_at']),
  notices: datedAll(row.notices as Json[], NOTICE_DATES),
  hearing: dated(row.hearing as Json | null, ['requested_at']),
  events: datedAll(row.events as Json[], ['at']),
  evidence: datedAll(row.evidence as Json[], ['captured_at']),
  statements: datedAll(row.statements as Json[], ['submitted_at', 'reviewed_at']),
  payments: datedAll(row.payments as Json[], ['paid_at', 'created_at']),
});

export interface PortalEvidenceRow {
  id: string;
  kind: string;
  label: string;
  sha256: string;
  content_type: string;
  storage_key: string;
  captured_at: Date | null;
}

export interface StatementRow {
  id: string;
  case_id: string;
  body: string;
  attachments: { name: string; contentType: string; size: number; sha256: string; key: string }[];
  submitted_at: Date;
  review_status: 'pending' | 'accepted' | 'partly_accepted' | 'rejected';
  reviewed_by: string | null;
  reviewed_at: Date | null;
  outcome: Record<string, unknown> | null;
  /** made on the portal, or taken at the designated window by staff (`taken_by`) */
  channel: StatementChannel;
  taken_by: string | null;
}

export type StatementChannel = 'portal' | 'window';

export async function insertStatement(
  db: Queryable,
  caseId: string,
  body: string,
  attachments: StatementRow['attachments'],
  taken: { channel: StatementChannel; takenBy: string | null } = { channel: 'portal', takenBy: null },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into statements (case_id, body, attachments, channel, taken_by) values ($1, $2, $3, $4, $5) returning id`,
    [caseId, body, JSON.stringify(attachments), taken.channel, taken.takenBy],
  );
  return rows[0]!.id;
}

export async function listStatements(db: Queryable, caseId: string): Promise<StatementRow[]> {
  const { rows } = await db.query<StatementRow>(
    'select * from statements where case_id = $1 order by submitted_at',
    [caseId],
  );
  return rows;
}

export async function findHearing(
  db: Queryable,
  caseId: string,
): Promise<{ requested_at: Date; status: string } | null> {
  const { rows } = await db.query<{ requested_at: Date; status: string }>(
    'select requested_at, status from hearings where case_id = $1',
    [caseId],
  );
  return rows[0] ?? null;
}

export interface PendingStatement {
  statement_id: string;
  case_id: string;
  case_number: string;
  district_id: string;
  status: string;
  party_name: string | null;
  proposed_fine_fen: number;
  body: string;
  attachments: { name: string; contentType: string; size: number; sha256: string }[];
  submitted_at: Date;
}

/** Statements not yet reviewed, in the given district (null: every district), oldest first. */
export async function pendingStatements(
  db: Queryable,
  districtId: string | null,
): Promise<PendingStatement[]> {
  const { rows } = await db.query<PendingStatement>(
    `select s.id as statement_id, c.id as case_id, c.case_number, c.district_id, c.status, p.name as party_name, c.proposed_fine_fen,
            s.body, s.attachments, s.submitted_at
       from statements s join cases c on c.id = s.case_id left join parties p on p.id = c.party_id
      where s.review_status = 'pending' and ($1::text is null or c.district_id = $1)
      order by s.submitted_at`,
    [districtId],
  );
  return rows;
}

/** Answers every pending statement of the case; the number of statements answered. */
export async function recordStatementReview(
  db: Queryable,
  caseId: string,
  review: {
    status: Exclude<StatementRow['review_status'], 'pending'>;
    reviewerId: string;
    outcome: Record<string, unknown>;
  },
): Promise<number> {
  const { rowCount } = await db.query(
    `update statements set review_status = $2, reviewed_by = $3, reviewed_at = now(), outcome = $4 where case_id = $1 and review_status = 'pending'`,
    [caseId, review.status, review.reviewerId, JSON.stringify(review.outcome)],
  );
  return rowCount ?? 0;
}

export async function findStatement(db: Queryable, id: string): Promise<StatementRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<StatementRow>('select * from statements where id = $1', [id]);
  return rows[0] ?? null;
}
