import type { StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import type { CameraInput, CameraView } from './camera.schema.js';
import { CameraService } from './camera.service.js';
import { addDeviceRecord } from './device-record.service.js';
import { ZoneService } from './zone.service.js';

export interface CameraRegistration {
  camera: CameraInput;
  /** zones as the zones API takes them (checked there) */
  zones: unknown[];
  /** a passed test entered in the device register, which the camera's evidence needs */
  acceptanceTest?: { performedAt: Date; performedBy: string; notes: string };
}

/**
 * Registers a camera with its zones the way staff do through the API (the same services, checks and audit rows):
 * what the demo, the chaos run and the benchmarks use to set up their cameras.
 */
export async function registerCamera(
  deps: { pool: Pool; policy: CompiledAccessPolicy },
  principal: StaffPrincipal,
  registration: CameraRegistration,
): Promise<CameraView> {
  const cameras = new CameraService(deps.pool, deps.policy);
  const camera = await cameras.create(principal, registration.camera);
  const test = registration.acceptanceTest;
  if (test) {
    await addDeviceRecord(
      deps.pool,
      principal,
      { id: camera.id, district_id: camera.districtId },
      {
        kind: 'test',
        performedAt: test.performedAt.toISOString(),
        performedBy: test.performedBy,
        result: 'pass',
        notes: test.notes,
      },
    );
  }
  await new ZoneService(deps.pool, cameras).replace(principal, camera.id, registration.zones);
  return camera;
}
