import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { CameraService } from './camera.service.js';
import {
  insertDeviceRecord,
  listDeviceRecords,
  type DeviceRecordInput,
  type DeviceRecordRow,
} from './device-record.repo.js';

const RECORD_KEEPERS = ['admin', 'district_staff'] as const;

/**
 * The device register of a camera: its maintenance, test, calibration and review records. The camera must be one
 * the staff member's district covers; each record added is on the audit trail.
 */
export class DeviceRegisterService {
  constructor(
    private readonly pool: Pool,
    private readonly cameras: CameraService,
  ) {}

  async list(principal: StaffPrincipal, cameraId: string): Promise<DeviceRecordRow[]> {
    const camera = await this.cameras.get(principal, cameraId);
    return listDeviceRecords(this.pool, camera.id);
  }

  /** Adds a record and returns its id. */
  async add(principal: StaffPrincipal, cameraId: string, input: DeviceRecordInput): Promise<string> {
    assertRole(principal, RECORD_KEEPERS);
    const camera = await this.cameras.get(principal, cameraId);
    return withTransaction(this.pool, async (tx) => {
      const recordId = await insertDeviceRecord(tx, camera.id, input, principal.id);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'camera.device_record',
        subjectKind: 'camera',
        subjectId: camera.id,
        districtId: camera.district_id,
        data: { kind: input.kind, result: input.result },
      });
      return recordId;
    });
  }
}
