import type { Queryable } from '../db/pool.js';
import type { Detection } from '../detect/detection.js';

export interface ExportFilter {
  districtId: string | null;
  since?: Date;
  decisions: ('approve' | 'reject')[];
  limit: number;
}

export interface ExportFrameRow {
  violation_id: string;
  decision: string;
  reason_code: string | null;
  frame_id: number;
  storage_key: string;
  sha256: string;
  items: Detection[];
}

/** Original evidence frames of reviewed violations with their detections, one row per frame (its latest decision). */
export async function reviewedEvidenceFrames(db: Queryable, filter: ExportFilter): Promise<ExportFrameRow[]> {
  const { rows } = await db.query<ExportFrameRow>(
    `select distinct on (e.frame_id) v.id as violation_id, t.decision, t.reason_code, e.frame_id, e.storage_key, e.sha256, d.items
       from review_tasks t
       join violations v on v.id = t.violation_id
       join evidence_items e on e.violation_id = v.id and e.kind = 'original' and e.frame_id is not null
       join detections d on d.frame_id = e.frame_id
      where t.status = 'done' and t.decision = any($1::text[])
        and ($2::text is null or v.district_id = $2) and ($3::timestamptz is null or t.decided_at >= $3)
      order by e.frame_id, t.decided_at desc
      limit $4`,
    [filter.decisions, filter.districtId, filter.since ?? null, filter.limit],
  );
  return rows;
}
