import type { Queryable } from '../db/pool.js';
import { ValidationError } from '../shared/errors.js';

export async function districtExists(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from districts where id = $1', [id]);
  return rowCount === 1;
}

/** Records name their district; a district id that is not in the table is the caller's mistake, said as such. */
export async function assertDistrictExists(db: Queryable, id: string): Promise<void> {
  if (!(await districtExists(db, id)))
    throw new ValidationError(`districtId: no district ${JSON.stringify(id)}`);
}

/** Adds the district unless one with its id is there already. */
export async function ensureDistrict(
  db: Queryable,
  d: { id: string; name: string; casePrefix: string },
): Promise<void> {
  await db.query(
    'insert into districts (id, name, case_prefix) values ($1, $2, $3) on conflict (id) do nothing',
    [d.id, d.name, d.casePrefix],
  );
}

export async function districtName(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>('select name from districts where id = $1', [id]);
  return rows[0]?.name ?? null;
}

/** The district's code in its case numbers. */
export async function districtCasePrefix(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ case_prefix: string }>(
    'select case_prefix from districts where id = $1',
    [id],
  );
  return rows[0]?.case_prefix ?? null;
}

/** Every district's name by its id, for pages that show districts by name. */
export async function districtNames(db: Queryable): Promise<Record<string, string>> {
  const { rows } = await db.query<{ id: string; name: string }>('select id, name from districts');
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

export interface DistrictRow {
  id: string;
  name: string;
}

/** Every district, or the one of a scope. */
export async function listDistricts(db: Queryable, scope: string | null): Promise<DistrictRow[]> {
  const { rows } = await db.query<DistrictRow>(
    'select id, name from districts where $1::text is null or id = $1 order by id',
    [scope],
  );
  return rows;
}
