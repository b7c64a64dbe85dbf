import type { Queryable } from '../db/pool.js';

export interface StatsReportRow {
  id: string;
  district_id: string;
  district_name: string;
  /** `YYYY-MM-01` */
  month: string;
  storage_key: string;
  sha256: string;
  byte_size: number;
  seal: Record<string, unknown>;
  trigger: 'schedule' | 'staff';
  generated_by: string | null;
  generated_by_name: string | null;
  generated_at: Date;
}

const SELECT = `select r.id, r.district_id, d.name as district_name, r.month::text, r.storage_key, r.sha256, r.byte_size,
                       r.seal, r.trigger, r.generated_by, u.display_name as generated_by_name, r.generated_at
                  from stats_reports r join districts d on d.id = r.district_id
                  left join staff_users u on u.id = r.generated_by`;

/** Records a district's report of a month, replacing the file of one generated before (the audit log keeps both). */
export async function saveStatsReport(
  db: Queryable,
  r: {
    districtId: string;
    month: string;
    storageKey: string;
    sha256: string;
    byteSize: number;
    seal: unknown;
    trigger: 'schedule' | 'staff';
    generatedBy: string | null;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into stats_reports (district_id, month, storage_key, sha256, byte_size, seal, trigger, generated_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (district_id, month) do update
       set storage_key = excluded.storage_key, sha256 = excluded.sha256, byte_size = excluded.byte_size,
           seal = excluded.seal, trigger = excluded.trigger, generated_by = excluded.generated_by,
           generated_at = now()
     returning id`,
    [
      r.districtId,
      r.month,
      r.storageKey,
      r.sha256,
      r.byteSize,
      JSON.stringify(r.seal),
      r.trigger,
      r.generatedBy,
    ],
  );
  return rows[0]!.id;
}

export async function listStatsReports(db: Queryable, districtId: string | null): Promise<StatsReportRow[]> {
  const { rows } = await db.query<StatsReportRow>(
    `${SELECT} where ($1::text is null or r.district_id = $1) order by r.month desc, r.district_id limit 500`,
    [districtId],
  );
  return rows;
}

export async function getStatsReport(db: Queryable, id: string): Promise<StatsReportRow | null> {
  const { rows } = await db.query<StatsReportRow>(`${SELECT} where r.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The districts without a report of `month` yet: what the monthly job still has to make. */
export async function districtsWithoutReport(
  db: Queryable,
  month: string,
): Promise<{ id: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `select d.id, d.name from districts d
      where not exists (select 1 from stats_reports r where r.district_id = d.id and r.month = $1::date)
      order by d.id`,
    [month],
  );
  return rows;
}

export async function districtNameOf(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>('select name from districts where id = $1', [id]);
  return rows[0]?.name ?? null;
}
