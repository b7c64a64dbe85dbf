import type { Queryable } from '../db/pool.js';
import { rulesConfigWith, type CameraRulesConfig } from '../zones/rules-config.schema.js';
import { validateRulesConfig, validateZone } from '../zones/zone-validation.js';
import type { Zone } from '../zones/zone.schema.js';

/*
 * The config a frame is judged under: the camera and zones as they were at the frame's camera version (the
 * snapshot in camera_versions), not as they are now, so every decision can name the version it used. A version
 * never changes once written, so it is cached per process.
 */

export interface JudgingConfig {
  cameraId: string;
  version: number;
  cameraName: string;
  districtId: string;
  address: string;
  latitude: number | null;
  longitude: number | null;
  rules: CameraRulesConfig;
  /** The camera set its own frame aspect; otherwise the frame's real aspect is used. */
  fixedAspect: boolean;
  zones: Zone[];
  /** Stored zones that fail validation and are left out, each fault named. */
  zoneFaults: string[];
}

interface SnapshotCamera {
  name: string;
  district_id: string;
  address?: string;
  latitude?: number | null;
  longitude?: number | null;
  rules?: Record<string, unknown>;
}

export class JudgingConfigError extends Error {
  override name = 'JudgingConfigError';
}

function fromSnapshot(
  cameraId: string,
  version: number,
  camera: SnapshotCamera,
  zoneDefinitions: unknown[],
): JudgingConfig {
  const overrides = camera.rules ?? {};
  const rules = rulesConfigWith(overrides);
  const faults = validateRulesConfig(rules);
  if (faults.length > 0) {
    throw new JudgingConfigError(
      `camera ${cameraId} version ${version} has an invalid rules config: ${faults.join('; ')}`,
    );
  }
  const zones: Zone[] = [];
  const zoneFaults: string[] = [];
  zoneDefinitions.forEach((definition, i) => {
    const found = validateZone(definition, i);
    if (found.length === 0) zones.push(definition as Zone);
    else zoneFaults.push(...found.map((f) => f.message));
  });
  return {
    cameraId,
    version,
    cameraName: camera.name,
    districtId: camera.district_id,
    address: camera.address ?? '',
    latitude: camera.latitude ?? null,
    longitude: camera.longitude ?? null,
    rules,
    fixedAspect: Object.hasOwn(overrides, 'frameAspect'),
    zones,
    zoneFaults,
  };
}

export async function loadJudgingConfig(
  db: Queryable,
  cameraId: string,
  version: number,
): Promise<JudgingConfig> {
  const snapshot = await db.query<{ config: { camera: SnapshotCamera; zones: { definition: unknown }[] } }>(
    'select config from camera_versions where camera_id = $1 and version = $2',
    [cameraId, version],
  );
  const stored = snapshot.rows[0]?.config;
  if (stored) {
    return fromSnapshot(
      cameraId,
      version,
      stored.camera,
      (stored.zones ?? []).map((z) => z.definition),
    );
  }
  // A camera written straight into the table (seeding, imports) may lack the snapshot of its current version;
  // the live rows are that version then, and nothing else is.
  const live = await db.query<SnapshotCamera & { version: number }>(
    'select name, district_id, address, latitude, longitude, rules, version from cameras where id = $1',
    [cameraId],
  );
  const camera = live.rows[0];
  if (!camera) throw new JudgingConfigError(`camera ${cameraId} does not exist`);
  if (camera.version !== version) {
    throw new JudgingConfigError(
      `camera ${cameraId} has no stored config for version ${version} (it is at version ${camera.version})`,
    );
  }
  const zones = await db.query<{ definition: unknown }>(
    'select definition from zones where camera_id = $1 and deleted_at is null order by name, id',
    [cameraId],
  );
  return fromSnapshot(
    cameraId,
    version,
    camera,
    zones.rows.map((z) => z.definition),
  );
}

/** Versions are immutable, so a bounded map of them is all the caching needed. */
export class JudgingConfigCache {
  private readonly entries = new Map<string, JudgingConfig>();

  constructor(private readonly maxEntries = 500) {}

  async get(db: Queryable, cameraId: string, version: number): Promise<JudgingConfig> {
    const key = `${cameraId}@${version}`;
    const hit = this.entries.get(key);
    if (hit) return hit;
    const loaded = await loadJudgingConfig(db, cameraId, version);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, loaded);
    return loaded;
  }
}
