import { listAlerts, type AlertRow } from '../alerts/alert.repo.js';
import { districtNames } from '../auth/district.repo.js';
import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { listParties } from '../parties/party.repo.js';
import type { Zone } from '../zones/zone.schema.js';
import { listCameraHealth, type CameraHealthView } from './camera-health.repo.js';
import type { CameraRow } from './camera.repo.js';
import type { CameraView } from './camera.schema.js';
import { toCameraView, type CameraService } from './camera.service.js';
import { listZones } from './zone.repo.js';

/** What the staff camera pages show: the district's cameras with their health, and one camera's editor. */

export interface CameraListEntry {
  camera: CameraView;
  /** snapshot, stream, file or folder */
  sourceKind: string;
  /** none before the camera's first frame */
  health: CameraHealthView | undefined;
}

export interface CameraListPage {
  cameras: CameraListEntry[];
  /** district names by id, to show each camera's district by name */
  districts: Record<string, string>;
}

export interface CameraDetailPage {
  row: CameraRow;
  view: CameraView;
  sourceKind: string;
  health: CameraHealthView | undefined;
  zones: Zone[];
  /** the district's parties, for a shop-front zone's shop */
  parties: { id: string; name: string }[];
  /** the camera's unresolved alerts */
  alerts: AlertRow[];
}

const LIST_LIMIT = 500;

function sourceKind(source: unknown): string {
  return typeof source === 'object' && source !== null && 'kind' in source ? String(source.kind) : '';
}

export async function cameraListPage(
  pool: Pool,
  cameras: CameraService,
  staff: StaffPrincipal,
): Promise<CameraListPage> {
  const list = await cameras.list(staff, { limit: LIST_LIMIT });
  const health = await listCameraHealth(
    pool,
    list.map((c) => c.id),
  );
  return {
    cameras: list.map((camera) => ({
      camera,
      sourceKind: sourceKind(camera.source),
      health: health.get(camera.id),
    })),
    districts: await districtNames(pool),
  };
}

/** One camera the staff may see (404 or 403 otherwise), with its zones, health and the district's parties. */
export async function cameraDetailPage(
  pool: Pool,
  cameras: CameraService,
  staff: StaffPrincipal,
  id: string,
): Promise<CameraDetailPage> {
  const row = await cameras.get(staff, id);
  const zones = await listZones(pool, row.id);
  const parties = await listParties(pool, row.district_id, { limit: LIST_LIMIT });
  const health = (await listCameraHealth(pool, [row.id])).get(row.id);
  const alerts = await listAlerts(pool, districtScope(staff), {
    cameraId: row.id,
    state: 'unresolved',
    limit: 20,
  });
  return {
    row,
    view: toCameraView(row),
    sourceKind: sourceKind(row.source),
    health,
    zones,
    parties: parties.map((p) => ({ id: p.id, name: p.name })),
    alerts,
  };
}
