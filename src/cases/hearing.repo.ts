import type { Queryable } from '../db/pool.js';

/** The hearing of a case as organised: schedule, host, clerk, representatives and the record (APL art. 64-65). */
export interface HearingRow {
  id: string;
  case_id: string;
  status: 'requested' | 'scheduled' | 'held' | 'withdrawn';
  requested_at: Date;
  scheduled_at: Date | null;
  place: string | null;
  host_id: string | null;
  clerk_id: string | null;
  host_name: string | null;
  clerk_name: string | null;
  representatives: { name: string; relation?: string }[];
  held_at: Date | null;
  record_text: string | null;
  record_sha256: string | null;
}

export async function findCaseHearing(db: Queryable, caseId: string): Promise<HearingRow | null> {
  const { rows } = await db.query<HearingRow>(
    `select h.id, h.case_id, h.status, h.requested_at, h.scheduled_at, h.place, h.host_id, h.clerk_id,
            host.display_name as host_name, clerk.display_name as clerk_name, h.representatives, h.held_at,
            h.record_text, h.record_sha256
       from hearings h
       left join staff_users host on host.id = h.host_id
       left join staff_users clerk on clerk.id = h.clerk_id
      where h.case_id = $1`,
    [caseId],
  );
  return rows[0] ?? null;
}

export async function scheduleHearing(
  db: Queryable,
  caseId: string,
  input: { at: Date; place: string; hostId: string; clerkId: string; by: string },
): Promise<void> {
  await db.query(
    `update hearings set status = 'scheduled', scheduled_at = $2, place = $3, host_id = $4, clerk_id = $5, scheduled_by = $6
      where case_id = $1`,
    [caseId, input.at, input.place, input.hostId, input.clerkId, input.by],
  );
}

export async function recordHearing(
  db: Queryable,
  caseId: string,
  input: {
    heldAt: Date;
    text: string;
    sha256: string;
    representatives: { name: string; relation?: string }[];
  },
): Promise<void> {
  await db.query(
    `update hearings set status = 'held', held_at = $2, record_text = $3, record_sha256 = $4, representatives = $5,
            outcome = jsonb_build_object('recordSha256', $4::text)
      where case_id = $1`,
    [caseId, input.heldAt, input.text, input.sha256, JSON.stringify(input.representatives)],
  );
}

/** Staff who investigated the violation: the reviewers who decided its evidence and legal review tasks. */
export async function investigatorsOf(db: Queryable, violationId: string): Promise<string[]> {
  const { rows } = await db.query<{ decided_by: string }>(
    `select distinct decided_by from review_tasks where violation_id = $1 and decided_by is not null`,
    [violationId],
  );
  return rows.map((r) => r.decided_by);
}

export async function staffInDistrict(
  db: Queryable,
  id: string,
  districtId: string,
): Promise<{ id: string; display_name: string } | null> {
  const { rows } = await db.query<{ id: string; display_name: string }>(
    `select id, display_name from staff_users where id = $1 and district_id = $2 and active`,
    [id, districtId],
  );
  return rows[0] ?? null;
}

/** Cases whose hearing is scheduled but whose hearing notice is not issued yet. */
export async function scheduledWithoutNotice(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ case_id: string }>(
    `select h.case_id from hearings h join cases c on c.id = h.case_id
      where h.status = 'scheduled' and c.status = 'hearing_requested'
        and not exists (select 1 from notices n where n.case_id = h.case_id and n.kind = 'hearing_notice')
      order by h.scheduled_at limit $1`,
    [limit],
  );
  return rows.map((r) => r.case_id);
}

/** A party's request for a hearing; false when the case has one already. */
export async function insertHearingRequest(db: Queryable, caseId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into hearings (case_id) values ($1) on conflict (case_id) do nothing`,
    [caseId],
  );
  return rowCount === 1;
}
