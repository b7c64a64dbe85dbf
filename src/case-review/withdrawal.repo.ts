import type { Queryable } from '../db/pool.js';

/** SQL of case withdrawals (migration 0027): proposals and the second person's decision. */

export interface WithdrawalRow {
  id: string;
  caseId: string;
  districtId: string;
  reason: string;
  proposedBy: string;
  proposedByName: string;
  proposedAt: Date;
  status: 'proposed' | 'approved' | 'refused';
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
}

const SELECT = `
  select w.id, w.case_id as "caseId", w.district_id as "districtId", w.reason, w.proposed_by as "proposedBy",
         p.display_name as "proposedByName", w.proposed_at as "proposedAt", w.status, w.decided_by as "decidedBy",
         d.display_name as "decidedByName", w.decided_at as "decidedAt", w.decision_note as "decisionNote"
    from case_withdrawals w join staff_users p on p.id = w.proposed_by left join staff_users d on d.id = w.decided_by`;

export async function insertWithdrawal(
  db: Queryable,
  w: { caseId: string; districtId: string; reason: string; proposedBy: string },
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into case_withdrawals (case_id, district_id, reason, proposed_by) values ($1, $2, $3, $4)
     on conflict (case_id) where status = 'proposed' do nothing returning id`,
    [w.caseId, w.districtId, w.reason, w.proposedBy],
  );
  return rows[0]?.id ?? null;
}

export async function lockWithdrawal(db: Queryable, id: string): Promise<WithdrawalRow | null> {
  const { rows } = await db.query<{ id: string }>(
    `select id from case_withdrawals where id = $1 for update`,
    [id],
  );
  if (!rows[0]) return null;
  return findWithdrawal(db, id);
}

export async function findWithdrawal(db: Queryable, id: string): Promise<WithdrawalRow | null> {
  const { rows } = await db.query<WithdrawalRow>(`${SELECT} where w.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function decideWithdrawal(
  db: Queryable,
  id: string,
  d: { status: 'approved' | 'refused'; decidedBy: string; note: string | null },
): Promise<void> {
  await db.query(
    `update case_withdrawals set status = $2, decided_by = $3, decided_at = now(), decision_note = $4
      where id = $1 and status = 'proposed'`,
    [id, d.status, d.decidedBy, d.note],
  );
}

export async function withdrawalsOfCase(db: Queryable, caseId: string): Promise<WithdrawalRow[]> {
  const { rows } = await db.query<WithdrawalRow>(`${SELECT} where w.case_id = $1 order by w.proposed_at`, [
    caseId,
  ]);
  return rows;
}
