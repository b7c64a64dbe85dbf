import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { hashPassword } from '../auth/password.js';
import type { StaffPrincipal, StaffRole } from '../auth/principal.js';
import { CameraService } from '../cameras/camera.service.js';
import { ZoneService } from '../cameras/zone.service.js';
import type { Pool } from '../db/pool.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import { REPO_ROOT } from '../shared/paths.js';

const run = promisify(execFile);

export interface DemoLogin {
  role: StaffRole;
  username: string;
  password: string;
}

/**
 * The demo's street scene: the sample street video with a real bottle (cut from another sample video) left on the
 * pavement from second 30 on, so an object appears and stays in a watched spot. Not earlier: the camera's
 * background model first learns the empty scene from its first frames, and a replay that skips frames to keep up
 * may take a while to deliver them.
 */
export async function composeDumpingScene(outDir: string): Promise<string> {
  const out = path.join(outDir, 'dumping-scene-30s.mp4');
  if (existsSync(out)) return out;
  await mkdir(outDir, { recursive: true });
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    path.join(REPO_ROOT, 'fixtures/video/vtest.avi'),
    '-i',
    path.join(REPO_ROOT, 'fixtures/composed/bottle-crop.png'),
    '-filter_complex',
    "[0][1]overlay=x=150:y=175:enable='gte(t,30)'",
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-crf',
    '20',
    `${out}.tmp.mp4`,
  ]);
  await run('mv', [`${out}.tmp.mp4`, out]);
  return out;
}

async function upsertStaff(
  pool: Pool,
  username: string,
  role: StaffRole,
  districtId: string | null,
  password: string,
): Promise<string> {
  const hash = await hashPassword(password);
  const { rows } = await pool.query<{ id: string }>(
    `insert into staff_users (username, display_name, password_hash, role, district_id) values ($1, $2, $3, $4, $5)
     on conflict (username) do update set password_hash = excluded.password_hash, active = true
     returning id`,
    [username, username, hash, role, districtId],
  );
  return rows[0]!.id;
}

async function upsertParty(
  pool: Pool,
  p: {
    kind: 'unit' | 'person';
    name: string;
    idNumber: string;
    phone: string;
    email: string;
    consent: boolean;
  },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into parties (district_id, kind, name, id_number, phone, email, address, online_delivery_consent, consent_recorded_at, consent_channel)
     values ('pudong', $1, $2, $3, $4, $5, '浦东新区', $6, case when $6 then now() end, case when $6 then '窗口书面确认' end)
     on conflict (district_id, id_number) do update set name = excluded.name
     returning id`,
    [p.kind, p.name, p.idNumber, p.phone, p.email, p.consent],
  );
  return rows[0]!.id;
}

/** Seeds (idempotently) a district, staff of every role, a party register and two cameras replaying real video. */
export async function seedDemo(
  pool: Pool,
  policy: CompiledAccessPolicy,
  sceneDir: string,
  password: string,
): Promise<{ logins: DemoLogin[]; cameraIds: string[] }> {
  await pool.query(
    `insert into districts (id, name, case_prefix) values ('pudong', '浦东新区', 'PD') on conflict (id) do nothing`,
  );
  const logins: DemoLogin[] = [
    { role: 'admin', username: 'demo_admin', password },
    { role: 'district_staff', username: 'demo_staff', password },
    { role: 'evidence_reviewer', username: 'demo_evidence', password },
    { role: 'legal_reviewer', username: 'demo_legal', password },
    { role: 'agency_head', username: 'demo_head', password },
  ];
  const ids: Record<string, string> = {};
  for (const l of logins)
    ids[l.role] = await upsertStaff(pool, l.username, l.role, l.role === 'admin' ? null : 'pudong', password);
  const admin: StaffPrincipal = {
    id: ids.admin!,
    username: 'demo_admin',
    displayName: 'demo_admin',
    role: 'admin',
    districtId: null,
  };

  const shop = await upsertParty(pool, {
    kind: 'unit',
    name: '上海浦东张记便利店',
    idNumber: '91310115MA1K000001',
    phone: '13800138001',
    email: 'zhangji@example.com',
    consent: true,
  });
  await upsertParty(pool, {
    kind: 'unit',
    name: '浦东李氏水果店',
    idNumber: '91310115MA1K000002',
    phone: '13800138002',
    email: 'lishi@example.com',
    consent: false,
  });
  await upsertParty(pool, {
    kind: 'person',
    name: '王某',
    idNumber: '310115199001010011',
    phone: '13800138003',
    email: 'wang@example.com',
    consent: true,
  });

  // composed before the early return: a kept database with a cleared var/ folder still finds its video
  const scene = await composeDumpingScene(sceneDir);
  const existing = await pool.query<{ id: string }>(
    `select id from cameras where district_id = 'pudong' and name like '演示%' order by name`,
  );
  if (existing.rowCount) return { logins, cameraIds: existing.rows.map((r) => r.id) };

  const cameras = new CameraService(pool, policy);
  const zones = new ZoneService(pool, cameras);
  const register = {
    certificateId: 'SH-PD-CAM-0001',
    legalReviewDate: '2026-01-05',
    legalReviewer: '法制审核科',
    technicalReviewDate: '2026-01-06',
    technicalReviewer: '信息技术中心',
    published: true,
  };
  const path1 = await cameras.create(admin, {
    districtId: 'pudong',
    name: '演示 1 · 校园步道（倾倒点）',
    address: '浦东新区演示路 1 号',
    latitude: 31.2304,
    longitude: 121.4737,
    source: { kind: 'file', path: scene, replay: 'realtime', loop: true } as never,
    sampleIntervalS: 2,
    ...register,
  });
  await pool.query(
    `insert into device_records (camera_id, kind, performed_at, performed_by, result, notes) values ($1, 'test', now() - interval '1 day', '维保单位', 'pass', '画面清晰、时钟校准')`,
    [path1.id],
  );
  await zones.replace(admin, path1.id, [
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
      cooldownSeconds: 600,
    },
  ]);
  const path2 = await cameras.create(admin, {
    districtId: 'pudong',
    name: '演示 2 · 停车场入口',
    address: '浦东新区演示路 2 号',
    latitude: 31.2311,
    longitude: 121.4752,
    source: {
      kind: 'file',
      path: path.join(REPO_ROOT, 'fixtures/video/car-detection.mp4'),
      replay: 'realtime',
      loop: true,
    } as never,
    sampleIntervalS: 5,
    ...register,
  });
  await zones.replace(admin, path2.id, [
    {
      name: '入口禁止设摊区',
      kind: 'shop_front',
      points: [
        { x: 0.05, y: 0.55 },
        { x: 0.45, y: 0.55 },
        { x: 0.45, y: 0.95 },
        { x: 0.05, y: 0.95 },
      ],
      frontLine: {
        points: [
          { x: 0.05, y: 0.6 },
          { x: 0.45, y: 0.6 },
        ],
        sidewalkSide: 'right',
        allowedDepth: 0.02,
        partyId: shop,
      },
      enabled: true,
    },
  ]);
  return { logins, cameraIds: [path1.id, path2.id] };
}
