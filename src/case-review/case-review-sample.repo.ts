import type { Queryable } from '../db/pool.js';
import type { PopulationCase } from './sample-draw.js';
import type { Scores } from './scoring.js';

/** SQL of the random draws and scoring sheets of case-file review (migration 0027). */

/**
 * Closed cases of a district closed between two Shanghai dates, each with the staff who worked on it (a staff
 * actor of its events, the reviewers of its violation, the people of its withdrawals).
 */
export async function closedCasePopulation(
  db: Queryable,
  districtId: string,
  from: string,
  to: string,
): Promise<PopulationCase[]> {
  const { rows } = await db.query<{ caseId: string; excluded: string[] | null }>(
    `select c.id as "caseId",
            array(
              select distinct x from (
                select substring(e.actor from 7) as x from case_events e
                 where e.case_id = c.id and e.actor ~ '^staff:[0-9a-f-]{36}$'
                union select t.decided_by::text from review_tasks t where t.violation_id = c.violation_id
                union select t.claimed_by::text from review_tasks t where t.violation_id = c.violation_id
                union select w.proposed_by::text from case_withdrawals w where w.case_id = c.id
                union select w.decided_by::text from case_withdrawals w where w.case_id = c.id
              ) s where x is not null order by x
            ) as excluded
       from cases c
      where c.district_id = $1 and c.status = 'closed'
        and (c.closed_at at time zone 'Asia/Shanghai')::date between $2::date and $3::date
      order by c.id`,
    [districtId, from, to],
  );
  return rows.map((r) => ({ caseId: r.caseId, excluded: r.excluded ?? [] }));
}

/** Who may be drawn to score a district's case files: its active legal reviewers and agency heads. */
export async function eligibleReviewers(db: Queryable, districtId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select id from staff_users
      where district_id = $1 and active and role in ('legal_reviewer', 'agency_head') order by id`,
    [districtId],
  );
  return rows.map((r) => r.id);
}

export interface DrawRow {
  id: string;
  districtId: string;
  districtName: string;
  seed: string;
  closedFrom: string;
  closedTo: string;
  sampleSize: number;
  population: PopulationCase[];
  reviewers: string[];
  drawnBy: string;
  drawnByName: string;
  drawnAt: Date;
}

const DRAW_SELECT = `
  select r.id, r.district_id as "districtId", d.name as "districtName", r.seed,
         to_char(r.closed_from, 'YYYY-MM-DD') as "closedFrom", to_char(r.closed_to, 'YYYY-MM-DD') as "closedTo",
         r.sample_size as "sampleSize", r.population, r.reviewers, r.drawn_by as "drawnBy",
         s.display_name as "drawnByName", r.drawn_at as "drawnAt"
    from case_review_draws r join districts d on d.id = r.district_id join staff_users s on s.id = r.drawn_by`;

export async function insertDraw(
  db: Queryable,
  d: {
    districtId: string;
    seed: string;
    closedFrom: string;
    closedTo: string;
    sampleSize: number;
    population: PopulationCase[];
    reviewers: string[];
    drawnBy: string;
  },
  sample: { caseId: string; reviewerId: string }[],
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into case_review_draws (district_id, seed, closed_from, closed_to, sample_size, population, reviewers, drawn_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
    [
      d.districtId,
      d.seed,
      d.closedFrom,
      d.closedTo,
      d.sampleSize,
      JSON.stringify(d.population),
      JSON.stringify(d.reviewers),
      d.drawnBy,
    ],
  );
  const id = rows[0]!.id;
  for (const s of sample) {
    await db.query(
      `insert into case_review_sheets (draw_id, case_id, district_id, reviewer_id) values ($1, $2, $3, $4)`,
      [id, s.caseId, d.districtId, s.reviewerId],
    );
  }
  return id;
}

export async function findDraw(db: Queryable, id: string, scope: string | null): Promise<DrawRow | null> {
  const { rows } = await db.query<DrawRow>(
    `${DRAW_SELECT} where r.id = $1 and ($2::text is null or r.district_id = $2)`,
    [id, scope],
  );
  return rows[0] ?? null;
}

export async function listDraws(db: Queryable, scope: string | null, limit: number): Promise<DrawRow[]> {
  const { rows } = await db.query<DrawRow>(
    `${DRAW_SELECT} where ($1::text is null or r.district_id = $1) order by r.drawn_at desc limit $2`,
    [scope, limit],
  );
  return rows;
}

export interface SheetRow {
  id: string;
  drawId: string;
  caseId: string;
  caseNumber: string;
  districtId: string;
  districtName: string;
  reviewerId: string;
  reviewerName: string;
  scores: Scores | null;
  total: number | null;
  comment: string | null;
  scoredAt: Date | null;
}

const SHEET_SELECT = `
  select h.id, h.draw_id as "drawId", h.case_id as "caseId", c.case_number as "caseNumber",
         h.district_id as "districtId", d.name as "districtName", h.reviewer_id as "reviewerId",
         s.display_name as "reviewerName", h.scores, h.total, h.comment, h.scored_at as "scoredAt"
    from case_review_sheets h join cases c on c.id = h.case_id join districts d on d.id = h.district_id
    join staff_users s on s.id = h.reviewer_id`;

export async function sheetsOfDraw(db: Queryable, drawId: string): Promise<SheetRow[]> {
  const { rows } = await db.query<SheetRow>(`${SHEET_SELECT} where h.draw_id = $1 order by c.case_number`, [
    drawId,
  ]);
  return rows;
}

export async function findSheet(db: Queryable, id: string, scope: string | null): Promise<SheetRow | null> {
  const { rows } = await db.query<SheetRow>(
    `${SHEET_SELECT} where h.id = $1 and ($2::text is null or h.district_id = $2)`,
    [id, scope],
  );
  return rows[0] ?? null;
}

export async function lockSheet(db: Queryable, id: string): Promise<void> {
  await db.query('select id from case_review_sheets where id = $1 for update', [id]);
}

export async function saveScores(
  db: Queryable,
  id: string,
  s: { scores: Scores; total: number; comment: string | null },
): Promise<void> {
  await db.query(
    `update case_review_sheets set scores = $2, total = $3, comment = $4, scored_at = now() where id = $1`,
    [id, JSON.stringify(s.scores), s.total, s.comment],
  );
}

export async function scoredSheets(db: Queryable, scope: string | null): Promise<SheetRow[]> {
  const { rows } = await db.query<SheetRow>(
    `${SHEET_SELECT} where h.scored_at is not null and ($1::text is null or h.district_id = $1) order by h.scored_at`,
    [scope],
  );
  return rows;
}
