import type { Queryable } from '../db/pool.js';
import { addressMatches, CAMERA_MATCH_RADIUS_M, normalizePlace } from './complaint-rules.js';
import { camerasWithAddress, nearestCamera, shopAtPlace, zonesOfCamera } from './complaint.repo.js';

/** The nearest camera to the coordinates, else a camera whose address the place names; its zone; the shop. */
export async function matchPlace(
  db: Queryable,
  districtId: string,
  place: string,
  point: { lat: number; lon: number } | null,
) {
  const norm = normalizePlace(place);
  let method: 'coordinates' | 'address' | 'none' = 'none';
  let camera: { id: string; name: string } | null = null;
  if (point) {
    camera = await nearestCamera(db, districtId, point.lat, point.lon, CAMERA_MATCH_RADIUS_M);
    if (camera) method = 'coordinates';
  }
  if (!camera) {
    const byAddress = (await camerasWithAddress(db, districtId)).find((c) =>
      addressMatches(norm, normalizePlace(c.address)),
    );
    if (byAddress) {
      camera = byAddress;
      method = 'address';
    }
  }
  let zone: { id: string; name: string } | null = null;
  if (camera) {
    const zones = await zonesOfCamera(db, camera.id);
    zone =
      zones.find((z) => norm.includes(normalizePlace(z.name))) ?? (zones.length === 1 ? zones[0]! : null);
  }
  const shop = await shopAtPlace(db, districtId, norm);
  return { method, camera, zone, shop };
}
