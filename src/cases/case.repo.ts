import type { Queryable } from '../db/pool.js';
import type { CaseSnapshot } from './case-state.js';
import type { DeadlineFlag } from '../law/deadlines.js';

export interface CaseRow {
  id: string;
  district_id: string;
  year: number;
  seq: number;
  case_number: string;
  violation_id: string;
  party_id: string | null;
  violation_type: string;
  catalogue_version: string;
  status: string;
  proposed_fine_fen: number;
  final_fine_fen: number | null;
  benchmark: Record<string, unknown>;
  snapshot: CaseSnapshot;
  flags: DeadlineFlag[];
  filed_at: Date;
  decided_at: Date | null;
  closed_at: Date | null;
  swept_on: string | null;
  updated_at: Date;
}

export interface CaseEventRow {
  id: number;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  data: Record<string, unknown>;
  actor: string;
  at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The columns of a CaseRow (`swept_on` as text); other repos that read a case with more use it. */
export const CASE_COLUMNS = `id, district_id, year, seq, case_number, violation_id, party_id, violation_type, catalogue_version, status,
  proposed_fine_fen, final_fine_fen, benchmark, snapshot, flags, filed_at, decided_at, closed_at, swept_on::text, updated_at`;
const COLUMNS = CASE_COLUMNS;

export async function findCase(db: Queryable, id: string): Promise<CaseRow | null> {
  if (!UUID.test(id)) return null;
  const { rows } = await db.query<CaseRow>(`select ${COLUMNS} from cases where id = $1`, [id]);
  return rows[0] ?? null;
}

export async function findCaseByNumber(db: Queryable, caseNumber: string): Promise<CaseRow | null> {
  const { rows } = await db.query<CaseRow>(`select ${COLUMNS} from cases where case_number = $1`, [
    caseNumber,
  ]);
  return rows[0] ?? null;
}

/** The case row locked until the transaction ends: every change to a case goes through this lock. */
export async function lockCase(db: Queryable, id: string): Promise<CaseRow | null> {
  if (!UUID.test(id)) return null;
  const { rows } = await db.query<CaseRow>(`select ${COLUMNS} from cases where id = $1 for update`, [id]);
  return rows[0] ?? null;
}

export async function saveCase(
  db: Queryable,
  id: string,
  snapshot: CaseSnapshot,
  flags: readonly DeadlineFlag[],
  sweptOn: string | null = null,
): Promise<void> {
  const decided = snapshot.steps.decide !== undefined;
  await db.query(
    `update cases set status = $2, snapshot = $3, deadlines = $4, flags = $5,
            final_fine_fen = case when $6 then $7::bigint else final_fine_fen end,
            decided_at = case when $6 and decided_at is null then now() else decided_at end,
            closed_at = case when $2 = 'closed' and closed_at is null then now() else closed_at end,
            swept_on = coalesce($8::date, swept_on), updated_at = now()
      where id = $1`,
    [
      id,
      snapshot.state,
      JSON.stringify(snapshot),
      JSON.stringify(snapshot.deadlines),
      JSON.stringify(flags),
      decided,
      snapshot.fineFen,
      sweptOn,
    ],
  );
}

export async function saveFlags(
  db: Queryable,
  id: string,
  flags: readonly DeadlineFlag[],
  sweptOn: string,
): Promise<void> {
  await db.query('update cases set flags = $2, swept_on = $3 where id = $1', [
    id,
    JSON.stringify(flags),
    sweptOn,
  ]);
}

export async function insertCaseEvent(
  db: Queryable,
  event: {
    caseId: string;
    kind: string;
    from: string | null;
    to: string | null;
    data?: Record<string, unknown>;
    actor: string;
  },
): Promise<void> {
  await db.query(
    `insert into case_events (case_id, kind, from_state, to_state, data, actor) values ($1, $2, $3, $4, $5, $6)`,
    [event.caseId, event.kind, event.from, event.to, JSON.stringify(event.data ?? {}), event.actor],
  );
}

export async function listCaseEvents(db: Queryable, caseId: string): Promise<CaseEventRow[]> {
  const { rows } = await db.query<CaseEventRow>(
    'select id, kind, from_state, to_state, data, actor, at from case_events where case_id = $1 order by id',
    [caseId],
  );
  return rows;
}

/** A case event with the member of staff who took it, when one did (`staff:<id>`), by name and role. */
export interface CaseEventWithActor extends CaseEventRow {
  actor_name: string | null;
  actor_role: string | null;
}

export async function listCaseEventsWithActors(db: Queryable, caseId: string): Promise<CaseEventWithActor[]> {
  const { rows } = await db.query<CaseEventWithActor>(
    `select e.id, e.kind, e.from_state, e.to_state, e.data, e.actor, e.at,
            u.display_name as actor_name, u.role::text as actor_role
       from case_events e
       left join staff_users u on e.actor like 'staff:%' and u.id::text = substr(e.actor, 7)
      where e.case_id = $1 order by e.id`,
    [caseId],
  );
  return rows;
}

export interface CaseListFilter {
  status?: string;
  flagged?: boolean;
  limit: number;
  offset: number;
}

export interface CaseListItem {
  id: string;
  district_id: string;
  case_number: string;
  violation_type: string;
  status: string;
  proposed_fine_fen: number;
  final_fine_fen: number | null;
  party_name: string | null;
  flags: DeadlineFlag[];
  filed_at: Date;
  updated_at: Date;
}

/** Cases in the given district (null: every district, for admins), newest first. */
export async function listCases(
  db: Queryable,
  districtId: string | null,
  filter: CaseListFilter,
): Promise<CaseListItem[]> {
  const { rows } = await db.query<CaseListItem>(
    `select c.id, c.district_id, c.case_number, c.violation_type, c.status, c.proposed_fine_fen, c.final_fine_fen,
            p.name as party_name, c.flags, c.filed_at, c.updated_at
       from cases c left join parties p on p.id = c.party_id
      where ($1::text is null or c.district_id = $1)
        and ($2::text is null or c.status = $2)
        and (not $3 or jsonb_array_length(c.flags) > 0)
      order by c.filed_at desc, c.seq desc
      limit $4 offset $5`,
    [districtId, filter.status ?? null, filter.flagged ?? false, filter.limit, filter.offset],
  );
  return rows;
}

/** Open cases the sweep has not looked at today, oldest look first. */
export async function casesDueForSweep(db: Queryable, today: string, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from cases where status <> 'closed' and (swept_on is null or swept_on < $1::date)
      order by swept_on nulls first, filed_at limit $2`,
    [today, limit],
  );
  return rows.map((row) => row.id);
}

/** Cases in `status` that have no notice of `kind` yet: the sweep issues it. */
export async function casesMissingNotice(
  db: Queryable,
  status: string,
  kind: string,
  limit: number,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select c.id from cases c
      where c.status = $1 and not exists (select 1 from notices n where n.case_id = c.id and n.kind = $2)
        and not exists (select 1 from notice_issue_failures f
                         where f.case_id = c.id and f.kind = $2 and f.next_attempt_at > now())
      order by c.updated_at limit $3`,
    [status, kind, limit],
  );
  return rows.map((row) => row.id);
}

export interface NoticeIssueFailure {
  kind: string;
  attempts: number;
  last_error: string;
  first_failed_at: Date;
  next_attempt_at: Date;
}

/**
 * A case document that could not be issued: counted, and not tried again before a delay that doubles with each
 * failure (30 s, 1 min, 2 min, ... at most 1 h).
 */
export async function recordNoticeIssueFailure(
  db: Queryable,
  caseId: string,
  kind: string,
  error: string,
): Promise<NoticeIssueFailure> {
  const { rows } = await db.query<NoticeIssueFailure>(
    `insert into notice_issue_failures as f (case_id, kind, last_error, next_attempt_at)
     values ($1, $2, $3, now() + interval '30 seconds')
     on conflict (case_id, kind) do update set attempts = f.attempts + 1, last_error = excluded.last_error,
       next_attempt_at = now() + make_interval(secs => least(30 * power(2, f.attempts), 3600))
     returning kind, attempts, last_error, first_failed_at, next_attempt_at`,
    [caseId, kind, error.slice(0, 1000)],
  );
  return rows[0]!;
}

export async function clearNoticeIssueFailure(db: Queryable, caseId: string, kind: string): Promise<void> {
  await db.query('delete from notice_issue_failures where case_id = $1 and kind = $2', [caseId, kind]);
}

export async function noticeIssueFailures(db: Queryable, caseId: string): Promise<NoticeIssueFailure[]> {
  const { rows } = await db.query<NoticeIssueFailure>(
    `select kind, attempts, last_error, first_failed_at, next_attempt_at from notice_issue_failures
      where case_id = $1 order by kind`,
    [caseId],
  );
  return rows;
}

/**
 * The next number in the district's yearly case sequence. The counter row stays locked until the transaction
 * ends, so numbers have no gaps (a rollback gives the number back) and two transactions cannot share one.
 */
export async function nextCaseSeq(db: Queryable, districtId: string, year: number): Promise<number> {
  const { rows } = await db.query<{ last_seq: number }>(
    `insert into case_counters (district_id, year, last_seq) values ($1, $2, 1)
     on conflict (district_id, year) do update set last_seq = case_counters.last_seq + 1
     returning last_seq`,
    [districtId, year],
  );
  return rows[0]!.last_seq;
}

export interface NewCase {
  districtId: string;
  year: number;
  seq: number;
  caseNumber: string;
  violationId: string;
  partyId: string;
  violationType: string;
  catalogueVersion: string;
  snapshot: CaseSnapshot;
  benchmark: unknown;
  filedAt: Date;
}

export async function insertCase(db: Queryable, c: NewCase): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into cases (district_id, year, seq, case_number, violation_id, party_id, violation_type, catalogue_version, status,
                        proposed_fine_fen, benchmark, deadlines, snapshot, filed_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id`,
    [
      c.districtId,
      c.year,
      c.seq,
      c.caseNumber,
      c.violationId,
      c.partyId,
      c.violationType,
      c.catalogueVersion,
      c.snapshot.state,
      c.snapshot.proposedFineFen,
      JSON.stringify(c.benchmark),
      JSON.stringify(c.snapshot.deadlines),
      JSON.stringify(c.snapshot),
      c.filedAt,
    ],
  );
  return rows[0]!.id;
}

/** Filed cases whose proposed fine is nothing: the sweep closes them without penalty. */
export async function filedCasesWithoutPenalty(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from cases where status = 'filed' and proposed_fine_fen = 0 limit $1`,
    [limit],
  );
  return rows.map((row) => row.id);
}
