import type { Queryable } from '../db/pool.js';

/** A live shop-front zone with its camera and the party its front line names. */
export interface ShopFrontZoneRow {
  zone_id: string;
  zone_name: string;
  camera_id: string;
  camera_name: string;
  district_id: string;
  party_id: string | null;
}

/** The live shop-front zones of a district's cameras (every district's for a null scope). */
export async function listShopFrontZones(
  db: Queryable,
  districtId: string | null,
): Promise<ShopFrontZoneRow[]> {
  const { rows } = await db.query<ShopFrontZoneRow>(
    `select z.id::text as zone_id, z.name as zone_name, c.id::text as camera_id, c.name as camera_name, c.district_id,
            z.definition->'frontLine'->>'partyId' as party_id
       from zones z join cameras c on c.id = z.camera_id
      where z.kind = 'shop_front' and z.deleted_at is null and ($1::text is null or c.district_id = $1)
      order by c.name, z.name
      limit 500`,
    [districtId],
  );
  return rows;
}
