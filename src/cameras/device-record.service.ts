import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { insertDeviceRecord, type DeviceRecordInput } from './device-record.repo.js';

/** Enters a maintenance, test or review record in the camera's device register, with its audit row. */
export async function addDeviceRecord(
  pool: Pool,
  staff: StaffPrincipal,
  camera: { id: string; district_id: string },
  record: DeviceRecordInput,
): Promise<string> {
  assertRole(staff, ['admin', 'district_staff']);
  return withTransaction(pool, async (tx) => {
    const recordId = await insertDeviceRecord(tx, camera.id, record, staff.id);
    await appendAudit(tx, {
      actorKind: 'staff',
      actorId: staff.id,
      action: 'camera.device_record',
      subjectKind: 'camera',
      subjectId: camera.id,
      districtId: camera.district_id,
      data: { kind: record.kind, result: record.result },
    });
    return recordId;
  });
}
