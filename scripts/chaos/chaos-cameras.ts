import type { StaffPrincipal } from '../../src/auth/principal.js';
import { CameraService } from '../../src/cameras/camera.service.js';
import { ZoneService } from '../../src/cameras/zone.service.js';
import type { Pool } from '../../src/db/pool.js';
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
  const { rows } = await pool.query<{ source: unknown; admin: string }>(
    `select c.source, (select id from staff_users where username = 'demo_admin') as admin
       from cameras c where c.district_id = 'pudong' and c.name like '演示 1%' limit 1`,
  );
  if (!rows[0]) throw new Error('the demo camera is missing');
  const admin: StaffPrincipal = {
    id: rows[0].admin,
    username: 'demo_admin',
    displayName: 'demo_admin',
    role: 'admin',
    districtId: null,
  };
  const cameras = new CameraService(pool, policy);
  const zones = new ZoneService(pool, cameras);
  for (let i = 0; i < count; i++) {
    const camera = await cameras.create(admin, {
      districtId: 'pudong',
      name: `混沌 ${i + 1} · 校园步道（倾倒点）`,
      address: `浦东新区演示路 ${10 + i} 号`,
      latitude: 31.2304,
      longitude: 121.4737,
      source: rows[0].source as never,
      sampleIntervalS: 2,
      certificateId: `SH-PD-CAM-9${String(i).padStart(3, '0')}`,
      legalReviewDate: '2026-01-05',
      legalReviewer: '法制审核科',
      technicalReviewDate: '2026-01-06',
      technicalReviewer: '信息技术中心',
      published: true,
    });
    await pool.query(
      `insert into device_records (camera_id, kind, performed_at, performed_by, result, notes)
       values ($1, 'test', now() - interval '1 day', '维保单位', 'pass', '画面清晰、时钟校准')`,
      [camera.id],
    );
    await zones.replace(admin, camera.id, [
      {
        name: '步道倾倒点',
        kind: 'dumping_spot',
        points: [
          { x: 0.12, y: 0.25 },
          { x: 0.32, y: 0.25 },
          { x: 0.32, y: 0.6 },
          { x: 0.12, y: 0.6 },
        ],
        enabled: true,
        dwellSeconds: 20,
        cooldownSeconds: 20,
      },
    ]);
  }
}
