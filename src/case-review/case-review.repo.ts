import type { Queryable } from '../db/pool.js';
import type { CaseSnapshot } from '../cases/case-state.js';
import type {
  Finding,
  FindingKind,
  RejectionRecord,
  WaitingViolation,
  WithdrawalRecord,
} from './case-review-rules.js';

/** SQL of the automatic checks (migration 0027): what they read, and the findings and runs they write. */

/** Violations waiting for a reviewer: confirmed, with an open or claimed review task, no case yet. */
export async function waitingViolations(db: Queryable, scope: string | null): Promise<WaitingViolation[]> {
  const { rows } = await db.query<WaitingViolation>(
    `select v.id as "violationId", v.district_id as "districtId", v.violation_type as "violationType",
            v.confirmed_at as "confirmedAt", t.id as "taskId", t.stage, t.created_at as "taskCreatedAt"
       from violations v
       join review_tasks t on t.violation_id = v.id and t.status in ('open', 'claimed')
      where ($1::text is null or v.district_id = $1)
        and not exists (select 1 from cases c where c.violation_id = v.id)
      order by v.confirmed_at`,
    [scope],
  );
  return rows;
}

export interface OpenCaseRow {
  id: string;
  case_number: string;
  district_id: string;
  status: string;
  snapshot: CaseSnapshot;
}

export async function openCases(db: Queryable, scope: string | null): Promise<OpenCaseRow[]> {
  const { rows } = await db.query<OpenCaseRow>(
    `select id, case_number, district_id, status, snapshot from cases
      where status <> 'closed' and ($1::text is null or district_id = $1) order by filed_at`,
    [scope],
  );
  return rows;
}

export async function withdrawalRecords(db: Queryable, scope: string | null): Promise<WithdrawalRecord[]> {
  const { rows } = await db.query<WithdrawalRecord>(
    `select w.id as "withdrawalId", w.case_id as "caseId", c.case_number as "caseNumber",
            w.district_id as "districtId", w.status, w.reason, p.display_name as "proposedBy",
            w.proposed_at as "proposedAt", d.display_name as "decidedBy", w.decided_at as "decidedAt",
            w.decision_note as "decisionNote"
       from case_withdrawals w join cases c on c.id = w.case_id
       join staff_users p on p.id = w.proposed_by left join staff_users d on d.id = w.decided_by
      where ($1::text is null or w.district_id = $1)`,
    [scope],
  );
  return rows;
}

export async function rejectionRecords(db: Queryable, scope: string | null): Promise<RejectionRecord[]> {
  const { rows } = await db.query<RejectionRecord>(
    `select t.id as "taskId", t.violation_id as "violationId", t.district_id as "districtId", t.stage,
            t.violation_type as "violationType", t.reason_code as "reasonCode", t.reason_text as "reasonText",
            s.display_name as "decidedBy", t.decided_at as "decidedAt"
       from review_tasks t left join staff_users s on s.id = t.decided_by
      where t.decision = 'reject' and ($1::text is null or t.district_id = $1)`,
    [scope],
  );
  return rows;
}

/**
 * Stores a run's findings: new keys are inserted, known ones updated (and reopened); findings of the resolving
 * kinds in the run's scope that the run did not see are resolved. Returns how many are new.
 */
export async function storeFindings(
  db: Queryable,
  scope: string | null,
  findings: readonly Finding[],
  resolving: readonly FindingKind[],
): Promise<number> {
  // One statement for the whole run: the record kinds grow with every withdrawal and rejection ever made.
  const { rows } = await db.query<{ created: number }>(
    `with incoming as (
       select * from jsonb_to_recordset($1::jsonb)
         as f(key text, "districtId" text, kind text, "subjectKind" text, "subjectId" text, detail jsonb)
     ), upserted as (
       insert into case_review_findings (key, district_id, kind, subject_kind, subject_id, detail)
       select key, "districtId", kind, "subjectKind", "subjectId", detail from incoming
       on conflict (key) do update
         set detail = excluded.detail, last_found_at = now(), resolved_at = null
       returning (xmax = 0) as created
     )
     select count(*) filter (where created)::int as created from upserted`,
    // A key found twice in one run (a violation with two open tasks) is stored once.
    [JSON.stringify([...new Map(findings.map((f) => [f.key, f])).values()])],
  );
  const created = rows[0]?.created ?? 0;
  await db.query(
    `update case_review_findings set resolved_at = now()
      where resolved_at is null and kind = any($1::text[]) and not (key = any($2::text[]))
        and ($3::text is null or district_id = $3)`,
    [resolving, findings.map((f) => f.key), scope],
  );
  return created;
}

export async function insertRun(
  db: Queryable,
  run: {
    trigger: 'schedule' | 'staff';
    actorId: string | null;
    scope: string | null;
    limits: object;
    found: number;
  },
): Promise<void> {
  await db.query(
    `insert into case_review_runs (trigger, actor_id, district_id, limits, found) values ($1, $2, $3, $4, $5)`,
    [run.trigger, run.actorId, run.scope, JSON.stringify(run.limits), run.found],
  );
}

export interface FindingRow {
  id: string;
  districtId: string;
  districtName: string;
  kind: FindingKind;
  subjectKind: string;
  subjectId: string;
  detail: Record<string, unknown>;
  firstFoundAt: Date;
  lastFoundAt: Date;
  resolvedAt: Date | null;
}

const FINDING_SELECT = `
  select f.id, f.district_id as "districtId", d.name as "districtName", f.kind, f.subject_kind as "subjectKind",
         f.subject_id as "subjectId", f.detail, f.first_found_at as "firstFoundAt", f.last_found_at as "lastFoundAt",
         f.resolved_at as "resolvedAt"
    from case_review_findings f join districts d on d.id = f.district_id`;

export async function listFindings(
  db: Queryable,
  scope: string | null,
  options: { kind?: FindingKind; includeResolved?: boolean; limit: number },
): Promise<FindingRow[]> {
  const { rows } = await db.query<FindingRow>(
    `${FINDING_SELECT}
      where ($1::text is null or f.district_id = $1) and ($2::text is null or f.kind = $2)
        and ($3 or f.resolved_at is null)
      order by f.first_found_at desc, f.key limit $4`,
    [scope, options.kind ?? null, options.includeResolved ?? false, options.limit],
  );
  return rows;
}

export async function findFinding(
  db: Queryable,
  id: string,
  scope: string | null,
): Promise<FindingRow | null> {
  const { rows } = await db.query<FindingRow>(
    `${FINDING_SELECT} where f.id = $1 and ($2::text is null or f.district_id = $2)`,
    [id, scope],
  );
  return rows[0] ?? null;
}

export async function lastRun(
  db: Queryable,
  scope: string | null,
): Promise<{ at: Date; trigger: string } | null> {
  const { rows } = await db.query<{ at: Date; trigger: string }>(
    `select at, trigger from case_review_runs
      where ($1::text is null or district_id is null or district_id = $1) order by id desc limit 1`,
    [scope],
  );
  return rows[0] ?? null;
}
