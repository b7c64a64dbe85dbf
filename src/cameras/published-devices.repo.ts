import type { Queryable } from '../db/pool.js';

/** A published enforcement device (Pudong art. 7): location only, never the stream or snapshot URL. */
export interface PublishedDevice {
  id: string;
  district: string;
  name: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  publishedAt: string | null;
}

export async function listPublishedDevices(db: Queryable): Promise<PublishedDevice[]> {
  const { rows } = await db.query<{
    id: string;
    district: string;
    name: string;
    address: string;
    latitude: number | null;
    longitude: number | null;
    published_at: Date | null;
  }>(
    `select c.id, d.name as district, c.name, c.address, c.latitude, c.longitude, c.published_at
       from cameras c join districts d on d.id = c.district_id
      where c.published order by d.name, c.name`,
  );
  return rows.map((r) => ({ ...r, publishedAt: r.published_at?.toISOString() ?? null }));
}
