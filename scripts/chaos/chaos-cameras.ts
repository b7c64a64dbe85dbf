import type { StaffPrincipal } from '../../src/auth/principal.js';
import { findStaffByUsername } from '../../src/auth/staff-user.repo.js';
import { registerCamera } from '../../src/cameras/camera-registration.service.js';
import { findCamerasByNamePrefix } from '../../src/cameras/camera.repo.js';
import type { Pool } from '../../src/db/pool.js';
import { DEMO_CAMERA_REGISTER, demoAcceptanceTest, footpathDumpingZone } from '../../src/demo/demo-seed.js';
import type { CompiledAccessPolicy } from '../../src/ingest/access-policy.js';

/**
 * More of the demo's dumping scene for a chaos run: copies of its first camera, whose zone flags a pile again
 * 20 s after the last one ended (the demo waits 10 min), so that a run of a few minutes brings several violations,
 * cases and deliveries through the faults.
 */
export async function addDumpingCameras(
  pool: Pool,
  policy: CompiledAccessPolicy,
  count: number,
): Promise<void> {
  const [demoCamera] = await findCamerasByNamePrefix(pool, 'pudong', '演示 1');
  const demoAdmin = await findStaffByUsername(pool, 'demo_admin');
  if (!demoCamera || !demoAdmin) throw new Error('the demo camera is missing');
  const admin: StaffPrincipal = {
    id: demoAdmin.id,
    username: 'demo_admin',
    displayName: 'demo_admin',
    role: 'admin',
    districtId: null,
  };
  for (let i = 0; i < count; i++) {
    await registerCamera({ pool, policy }, admin, {
      camera: {
        districtId: 'pudong',
        name: `混沌 ${i + 1} · 校园步道（倾倒点）`,
        address: `浦东新区演示路 ${10 + i} 号`,
        latitude: 31.2304,
        longitude: 121.4737,
        source: demoCamera.source as never,
        sampleIntervalS: 2,
        ...DEMO_CAMERA_REGISTER,
        certificateId: `SH-PD-CAM-9${String(i).padStart(3, '0')}`,
      },
      acceptanceTest: demoAcceptanceTest(),
      zones: [footpathDumpingZone(20)],
    });
  }
}
