import type { RowQuery as Queryable } from '../db/no-jit.js';
import type { StatsQuery } from './stats-query.js';
import { baseParams, VIOLATION_WHERE } from './stats-volume.repo.js';

export interface ViolationDetailRow {
  id: string;
  first_seen_at: Date;
  district_id: string;
  street: string | null;
  camera_name: string;
  rule: string;
  violation_type: string;
  status: string;
  case_number: string | null;
  case_status: string | null;
}

/**
 * One page of the violations of a query in capture order, after the keyset (capture time, id) of the last row of
 * the page before: an export reads them page by page and never holds them all.
 */
export async function violationDetailPage(
  db: Queryable,
  q: StatsQuery,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<ViolationDetailRow[]> {
  const { rows } = await db.query<ViolationDetailRow>(
    `select v.id::text, v.first_seen_at, v.district_id, c.street, c.name as camera_name, v.rule, v.violation_type,
            v.status::text, k.case_number, k.status as case_status
       from violations v
       join cameras c on c.id = v.camera_id
       left join cases k on k.violation_id = v.id
      where ${VIOLATION_WHERE}
        and ($7::timestamptz is null or (v.first_seen_at, v.id) > ($7::timestamptz, $8::uuid))
      order by v.first_seen_at, v.id
      limit $9`,
    [...baseParams(q), after?.at ?? null, after?.id ?? null, limit],
  );
  return rows;
}
