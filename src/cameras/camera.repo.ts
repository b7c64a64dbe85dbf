import type { Queryable } from '../db/pool.js';
import type { Zone } from '../zones/zone.schema.js';
import type { CameraInput, CameraPatch, CameraSchedule } from './camera.schema.js';

export interface CameraRow {
  id: string;
  district_id: string;
  name: string;
  address: string;
  street: string | null;
  latitude: number | null;
  longitude: number | null;
  source: Record<string, unknown>;
  sample_interval_s: number;
  schedule: Record<string, unknown>;
  enabled: boolean;
  rules: Record<string, unknown>;
  version: number;
  certificate_id: string | null;
  legal_review_date: string | null;
  legal_reviewer: string | null;
  technical_review_date: string | null;
  technical_reviewer: string | null;
  published: boolean;
  published_at: Date | null;
  detection_filter: Record<string, unknown>;
  updated_at: Date;
  last_pass_at: Date | null;
  last_fail_at: Date | null;
}

// Dates come back as text so a calendar date is never shifted by a time zone.
const SELECT = `
  select c.id, c.district_id, c.name, c.address, c.street, c.latitude, c.longitude, c.source, c.sample_interval_s, c.schedule,
         c.enabled, c.rules, c.version, c.certificate_id, c.legal_review_date::text, c.legal_reviewer,
         c.technical_review_date::text, c.technical_reviewer, c.published, c.published_at, c.updated_at, c.detection_filter,
         (select max(performed_at) from device_records d
           where d.camera_id = c.id and d.kind in ('maintenance', 'test', 'calibration') and d.result = 'pass') as last_pass_at,
         (select max(performed_at) from device_records d
           where d.camera_id = c.id and d.kind in ('maintenance', 'test', 'calibration') and d.result = 'fail') as last_fail_at
    from cameras c`;

/** Columns a patch may set, with the SQL expression for each (values are always parameters). */
const PATCHABLE: Record<keyof CameraPatch, string> = {
  districtId: 'district_id',
  name: 'name',
  address: 'address',
  street: 'street',
  latitude: 'latitude',
  longitude: 'longitude',
  source: 'source',
  sampleIntervalS: 'sample_interval_s',
  schedule: 'schedule',
  enabled: 'enabled',
  certificateId: 'certificate_id',
  legalReviewDate: 'legal_review_date',
  legalReviewer: 'legal_reviewer',
  technicalReviewDate: 'technical_review_date',
  technicalReviewer: 'technical_reviewer',
  published: 'published',
  rules: 'rules',
  detectionFilter: 'detection_filter',
};

function toParam(key: string, value: unknown): unknown {
  return ['source', 'schedule', 'rules', 'detectionFilter'].includes(key) ? JSON.stringify(value) : value;
}

export async function insertCamera(db: Queryable, districtId: string, input: CameraInput): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into cameras (district_id, name, address, latitude, longitude, source, sample_interval_s, schedule, enabled,
                          certificate_id, legal_review_date, legal_reviewer, technical_review_date, technical_reviewer,
                          published, published_at, rules, detection_filter, street)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, case when $15 then now() end, $16, $17, $18)
     returning id`,
    [
      districtId,
      input.name,
      input.address ?? '',
      input.latitude ?? null,
      input.longitude ?? null,
      JSON.stringify(input.source),
      input.sampleIntervalS ?? 5,
      JSON.stringify(input.schedule ?? { always: true }),
      input.enabled ?? true,
      input.certificateId ?? null,
      input.legalReviewDate ?? null,
      input.legalReviewer ?? null,
      input.technicalReviewDate ?? null,
      input.technicalReviewer ?? null,
      input.published ?? false,
      JSON.stringify(input.rules ?? {}),
      JSON.stringify(input.detectionFilter ?? {}),
      input.street ?? null,
    ],
  );
  return rows[0]!.id;
}

/** Applies a patch and bumps the version; returns the new version. */
export async function updateCamera(db: Queryable, id: string, patch: CameraPatch): Promise<number> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const [key, value] of Object.entries(patch)) {
    const column = PATCHABLE[key as keyof CameraPatch];
    if (!column || value === undefined) continue;
    params.push(toParam(key, value));
    sets.push(`${column} = $${params.length}`);
  }
  if (patch.published === true) sets.push('published_at = coalesce(published_at, now())');
  if (patch.published === false) sets.push('published_at = null');
  sets.push('version = version + 1', 'updated_at = now()');
  const { rows } = await db.query<{ version: number }>(
    `update cameras set ${sets.join(', ')} where id = $1 returning version`,
    params,
  );
  return rows[0]!.version;
}

/** Bumps the version without other changes (a zone changed). */
export async function bumpCameraVersion(db: Queryable, id: string): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    'update cameras set version = version + 1, updated_at = now() where id = $1 returning version',
    [id],
  );
  return rows[0]!.version;
}

export async function findCamera(db: Queryable, id: string): Promise<CameraRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<CameraRow>(`${SELECT} where c.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listCameras(
  db: Queryable,
  scope: string | null,
  filter: { enabled?: boolean; limit: number; offset: number },
): Promise<CameraRow[]> {
  const { rows } = await db.query<CameraRow>(
    `${SELECT}
      where ($1::text is null or c.district_id = $1) and ($2::boolean is null or c.enabled = $2)
      order by c.name, c.id limit $3 offset $4`,
    [scope, filter.enabled ?? null, filter.limit, filter.offset],
  );
  return rows;
}

/** A full snapshot of the camera and its live zones, written for every version. */
export async function snapshotCameraVersion(
  db: Queryable,
  id: string,
  changedBy: string | null,
): Promise<void> {
  await db.query(
    `insert into camera_versions (camera_id, version, config, changed_by)
     select c.id, c.version,
            jsonb_build_object(
              'camera', to_jsonb(c) - 'created_at' - 'updated_at',
              'zones', coalesce((select jsonb_agg(to_jsonb(z) - 'created_at' - 'updated_at' order by z.name, z.id)
                                   from zones z where z.camera_id = c.id and z.deleted_at is null), '[]'::jsonb)),
            $2
       from cameras c where c.id = $1`,
    [id, changedBy],
  );
}

/** The zones of a camera version (as snapshotted, deleted ones included) and the camera's detection filter. */
export async function findVersionDetectSettings(
  db: Queryable,
  cameraId: string,
  version: number,
): Promise<{
  zones: { definition: Zone; deleted_at: string | null }[] | null;
  filter: Record<string, number> | null;
} | null> {
  const { rows } = await db.query<{
    zones: { definition: Zone; deleted_at: string | null }[] | null;
    filter: Record<string, number> | null;
  }>(
    `select v.config->'zones' as zones, c.detection_filter as filter
       from camera_versions v join cameras c on c.id = v.camera_id
      where v.camera_id = $1 and v.version = $2`,
    [cameraId, version],
  );
  return rows[0] ?? null;
}

/** Enabled cameras with what ingest needs to run them, in id order. */
export async function listEnabledCameraSources(
  db: Queryable,
): Promise<
  { id: string; version: number; source: unknown; sample_interval_s: number; schedule: CameraSchedule }[]
> {
  const { rows } = await db.query<{
    id: string;
    version: number;
    source: unknown;
    sample_interval_s: number;
    schedule: CameraSchedule;
  }>('select id, version, source, sample_interval_s, schedule from cameras where enabled order by id');
  return rows;
}

/** A district's cameras whose name starts with `prefix`, by name. */
export async function findCamerasByNamePrefix(
  db: Queryable,
  districtId: string,
  prefix: string,
): Promise<CameraRow[]> {
  const { rows } = await db.query<CameraRow>(
    `${SELECT} where c.district_id = $1 and c.name like $2 order by c.name`,
    [districtId, `${prefix.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`],
  );
  return rows;
}

/** Where a camera stands, as printed on a case document. */
export async function findCameraPlace(
  db: Queryable,
  id: string,
): Promise<{ camera_name: string; address: string; district_name: string } | null> {
  const { rows } = await db.query<{ camera_name: string; address: string; district_name: string }>(
    `select c.name as camera_name, c.address, d.name as district_name from cameras c join districts d on d.id = c.district_id where c.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}
