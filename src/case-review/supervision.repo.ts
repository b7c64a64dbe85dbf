import type { Queryable } from '../db/pool.js';

/** SQL of supervision notices (督办, migration 0027). */

export interface SupervisionRow {
  id: string;
  districtId: string;
  districtName: string;
  sourceKind: 'finding' | 'sheet';
  sourceId: string;
  request: string;
  dueOn: string;
  issuedBy: string;
  issuedByName: string;
  issuedAt: Date;
  answer: string | null;
  answeredByName: string | null;
  answeredAt: Date | null;
}

const SELECT = `
  select n.id, n.district_id as "districtId", d.name as "districtName", n.source_kind as "sourceKind",
         n.source_id as "sourceId", n.request, to_char(n.due_on, 'YYYY-MM-DD') as "dueOn", n.issued_by as "issuedBy",
         i.display_name as "issuedByName", n.issued_at as "issuedAt", n.answer, a.display_name as "answeredByName",
         n.answered_at as "answeredAt"
    from supervision_notices n join districts d on d.id = n.district_id join staff_users i on i.id = n.issued_by
    left join staff_users a on a.id = n.answered_by`;

export async function insertNotice(
  db: Queryable,
  n: {
    districtId: string;
    sourceKind: 'finding' | 'sheet';
    sourceId: string;
    request: string;
    dueOn: string;
    issuedBy: string;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into supervision_notices (district_id, source_kind, source_id, request, due_on, issued_by)
     values ($1, $2, $3, $4, $5, $6) returning id`,
    [n.districtId, n.sourceKind, n.sourceId, n.request, n.dueOn, n.issuedBy],
  );
  return rows[0]!.id;
}

export async function findNotice(
  db: Queryable,
  id: string,
  scope: string | null,
  lock = false,
): Promise<SupervisionRow | null> {
  if (lock) await db.query('select id from supervision_notices where id = $1 for update', [id]);
  const { rows } = await db.query<SupervisionRow>(
    `${SELECT} where n.id = $1 and ($2::text is null or n.district_id = $2)`,
    [id, scope],
  );
  return rows[0] ?? null;
}

export async function listNotices(
  db: Queryable,
  scope: string | null,
  limit: number,
): Promise<SupervisionRow[]> {
  const { rows } = await db.query<SupervisionRow>(
    `${SELECT} where ($1::text is null or n.district_id = $1)
      order by (n.answered_at is null) desc, n.due_on, n.issued_at limit $2`,
    [scope, limit],
  );
  return rows;
}

export async function answerNotice(
  db: Queryable,
  id: string,
  a: { answer: string; answeredBy: string },
): Promise<void> {
  await db.query(
    `update supervision_notices set answer = $2, answered_by = $3, answered_at = now() where id = $1 and answered_at is null`,
    [id, a.answer, a.answeredBy],
  );
}
