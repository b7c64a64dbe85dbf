import type { Queryable } from '../db/pool.js';
import type { Zone } from '../zones/zone.schema.js';

export async function listZones(db: Queryable, cameraId: string): Promise<Zone[]> {
  const { rows } = await db.query<{ definition: Zone }>(
    'select definition from zones where camera_id = $1 and deleted_at is null order by name, id',
    [cameraId],
  );
  return rows.map((r) => r.definition);
}

/** Replaces the camera's live zones: the listed ones are written, the others soft-deleted (kept for old versions). */
export async function replaceZones(db: Queryable, cameraId: string, zones: readonly Zone[]): Promise<void> {
  const ids = zones.map((z) => z.id);
  await db.query(
    'update zones set deleted_at = now() where camera_id = $1 and deleted_at is null and not (id::text = any($2::text[]))',
    [cameraId, ids],
  );
  for (const zone of zones) {
    await db.query(
      `insert into zones (id, camera_id, name, kind, definition, enabled)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (id) do update
         set name = excluded.name, kind = excluded.kind, definition = excluded.definition,
             enabled = excluded.enabled, deleted_at = null, updated_at = now()
       where zones.camera_id = excluded.camera_id`,
      [zone.id, cameraId, zone.name, zone.kind, JSON.stringify(zone), zone.enabled],
    );
  }
}

/** Party ids among `ids` that are not in the district (a front line may only name a party of its own district). */
export async function unknownPartyIds(
  db: Queryable,
  districtId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const { rows } = await db.query<{ id: string }>(
    'select id::text from parties where district_id = $1 and id::text = any($2::text[])',
    [districtId, valid],
  );
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}

/** A zone's name and kind, deleted or not: a violation keeps naming the zone it fired in. */
export async function findZoneLabel(
  db: Queryable,
  id: string,
): Promise<{ name: string; kind: string } | null> {
  const { rows } = await db.query<{ name: string; kind: string }>(
    'select name, kind from zones where id = $1',
    [id],
  );
  return rows[0] ?? null;
}
