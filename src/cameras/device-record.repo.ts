import type { Queryable } from '../db/pool.js';

export interface DeviceRecordInput {
  kind: 'maintenance' | 'test' | 'calibration' | 'legal_review' | 'technical_review';
  performedAt: string;
  performedBy: string;
  result: 'pass' | 'fail' | 'info';
  notes?: string;
}

export interface DeviceRecordRow {
  id: string;
  kind: string;
  performed_at: Date;
  performed_by: string;
  result: string;
  notes: string;
  created_at: Date;
}

export async function insertDeviceRecord(
  db: Queryable,
  cameraId: string,
  r: DeviceRecordInput,
  recordedBy: string,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into device_records (camera_id, kind, performed_at, performed_by, result, notes, recorded_by)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [cameraId, r.kind, r.performedAt, r.performedBy, r.result, r.notes ?? '', recordedBy],
  );
  return rows[0]!.id;
}

export async function listDeviceRecords(db: Queryable, cameraId: string): Promise<DeviceRecordRow[]> {
  const { rows } = await db.query<DeviceRecordRow>(
    'select id, kind, performed_at, performed_by, result, notes, created_at from device_records where camera_id = $1 order by performed_at desc limit 200',
    [cameraId],
  );
  return rows;
}
