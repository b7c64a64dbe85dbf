import type { Queryable } from '../../src/db/pool.js';

/**
 * What a chaos run counts from Postgres once the pipeline has drained: for each stage, the items that should have
 * moved on, those that never will (lost), those that did so twice (duplicated), and those still waiting (stuck).
 */

export interface StageFigure {
  stage: string;
  total: number;
  lost: number;
  duplicated: number;
  stuck: number;
}

const one = async (db: Queryable, sql: string): Promise<Omit<StageFigure, 'stage'>> => {
  const { rows } = await db.query<Record<string, string | number>>(sql);
  const r = rows[0]!;
  return {
    total: Number(r.total),
    lost: Number(r.lost),
    duplicated: Number(r.duplicated),
    stuck: Number(r.stuck),
  };
};

export async function countStages(db: Queryable): Promise<StageFigure[]> {
  return [
    {
      // Every frame stored and not replaced by a newer one (backpressure) must be detected and then judged.
      stage: 'frames judged / ingested',
      ...(await one(
        db,
        `select count(*) filter (where f.status <> 'dropped') as total,
                count(*) filter (where f.status <> 'dropped' and f.status <> 'detected'
                                   and f.seq <= coalesce(s.last_seq, -1)) as lost,
                (select count(*) - count(distinct frame_id) from detections) as duplicated,
                count(*) filter (where f.status <> 'dropped' and f.seq > coalesce(s.last_seq, -1)) as stuck
           from frames f left join camera_rule_state s on s.camera_id = f.camera_id`,
      )),
    },
    {
      stage: 'violations / candidates',
      ...(await one(
        db,
        `select count(*) as total,
                count(*) filter (where c.status = 'packaged' and v.id is null) as lost,
                (select count(*) - count(distinct dedupe_key) from violations) as duplicated,
                count(*) filter (where c.status = 'pending') as stuck
           from violation_candidates c left join violations v on v.dedupe_key = c.dedupe_key`,
      )),
    },
    {
      stage: 'review tasks / violations to review',
      ...(await one(
        db,
        `select count(*) as total,
                count(*) filter (where not exists (select 1 from review_tasks t where t.violation_id = v.id)) as lost,
                (select count(*) - count(distinct (violation_id, stage)) from review_tasks) as duplicated,
                (select count(*) from review_tasks where status in ('open', 'claimed')) as stuck
           from violations v where v.status not in ('open', 'warned', 'corrected')`,
      )),
    },
    {
      stage: 'cases / legal approvals',
      ...(await one(
        db,
        `select count(*) as total,
                count(*) filter (where not exists (select 1 from cases c where c.violation_id = t.violation_id)) as lost,
                (select count(*) - count(distinct violation_id) from cases) as duplicated,
                0 as stuck
           from review_tasks t where t.stage = 'legal' and t.decision = 'approve'`,
      )),
    },
    {
      stage: 'advance notices / cases',
      ...(await one(
        db,
        `select count(*) as total,
                count(*) filter (where c.status <> 'filed' and c.proposed_fine_fen > 0 and not exists
                  (select 1 from notices n where n.case_id = c.id and n.kind = 'advance_notice')) as lost,
                (select count(*) - count(distinct (case_id, kind)) from notices where case_id is not null) as duplicated,
                count(*) filter (where c.status = 'filed') as stuck
           from cases c`,
      )),
    },
    {
      stage: 'deliveries / notices',
      ...(await one(
        db,
        `select count(*) as total,
                count(*) filter (where not exists (select 1 from deliveries d where d.notice_id = n.id)) as lost,
                (select count(*) from (select 1 from deliveries group by notice_id, channel having count(*) > 1) x) as duplicated,
                (select count(*) from deliveries where status = 'pending') as stuck
           from notices n`,
      )),
    },
  ];
}

export interface SmsDelivery {
  id: string;
  status: string;
  tokens: number;
}

export async function smsDeliveries(db: Queryable): Promise<SmsDelivery[]> {
  const { rows } = await db.query<SmsDelivery>(
    `select d.id, d.status, (select count(*) from portal_tokens t where t.delivery_id = d.id)::int as tokens
       from deliveries d where d.channel = 'sms'`,
  );
  return rows;
}

/** True when nothing is left moving: the drain is over. */
export async function drained(db: Queryable): Promise<boolean> {
  const figures = await countStages(db);
  return figures.every((f) => f.stuck === 0);
}
