import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { hashPassword } from '../auth/password.js';
import type { StaffPrincipal, StaffRole } from '../auth/principal.js';
import { ensureDistrict } from '../auth/district.repo.js';
import { upsertStaffUser } from '../auth/staff-user.repo.js';
import { registerCamera } from '../cameras/camera-registration.service.js';
import { findCamerasByNamePrefix } from '../cameras/camera.repo.js';
import type { Pool } from '../db/pool.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import { upsertParty } from '../parties/party.repo.js';
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

/** The device register entries of the demo's cameras, as a bureau records them before using one for evidence. */
export const DEMO_CAMERA_REGISTER = {
  certificateId: 'SH-PD-CAM-0001',
  legalReviewDate: '2026-01-05',
  legalReviewer: '法制审核科',
  technicalReviewDate: '2026-01-06',
  technicalReviewer: '信息技术中心',
  published: true,
};

/** The passed test a camera's device register needs before its evidence counts, done the day before. */
export function demoAcceptanceTest(): { performedAt: Date; performedBy: string; notes: string } {
  return {
    performedAt: new Date(Date.now() - 86_400_000),
    performedBy: '维保单位',
    notes: '画面清晰、时钟校准',
  };
}

/** The dumping spot on the footpath of the demo's street scene; `cooldownSeconds` is the wait before it flags again. */
export function footpathDumpingZone(cooldownSeconds: number) {
  return {
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
    cooldownSeconds,
  };
}

/** A party of the demo district's register, consenting to online delivery in writing or not at all. */
async function addDemoParty(
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
  return upsertParty(pool, 'pudong', {
    kind: p.kind,
    name: p.name,
    idNumber: p.idNumber,
    phone: p.phone,
    email: p.email,
    address: '浦东新区',
    onlineDeliveryConsent: p.consent,
    consentChannel: p.consent ? '窗口书面确认' : null,
  });
}

/** Seeds (idempotently) a district, staff of every role, a party register and two cameras replaying real video. */
export async function seedDemo(
  pool: Pool,
  policy: CompiledAccessPolicy,
  sceneDir: string,
  password: string,
): Promise<{ logins: DemoLogin[]; cameraIds: string[] }> {
  await ensureDistrict(pool, { id: 'pudong', name: '浦东新区', casePrefix: 'PD' });
  const logins: DemoLogin[] = [
    { role: 'admin', username: 'demo_admin', password },
    { role: 'district_staff', username: 'demo_staff', password },
    { role: 'evidence_reviewer', username: 'demo_evidence', password },
    { role: 'legal_reviewer', username: 'demo_legal', password },
    { role: 'agency_head', username: 'demo_head', password },
    { role: 'patrol', username: 'demo_patrol', password },
    { role: 'leader', username: 'demo_leader', password },
  ];
  // the names the pages show (people by name and role, never by their user name)
  const names: Record<StaffRole, string> = {
    admin: '系统管理员',
    district_staff: '王执法',
    evidence_reviewer: '李证据',
    legal_reviewer: '张法制',
    agency_head: '陈局长',
    patrol: '赵巡查',
    leader: '周领导',
  };
  const ids: Record<string, string> = {};
  for (const l of logins)
    ids[l.role] = await upsertStaffUser(pool, {
      username: l.username,
      displayName: names[l.role],
      passwordHash: await hashPassword(password),
      role: l.role,
      districtId: l.role === 'admin' ? null : 'pudong',
    });
  const admin: StaffPrincipal = {
    id: ids.admin!,
    username: 'demo_admin',
    displayName: names.admin,
    role: 'admin',
    districtId: null,
  };

  const shop = await addDemoParty(pool, {
    kind: 'unit',
    name: '上海浦东张记便利店',
    idNumber: '91310115MA1K000003',
    phone: '13800138001',
    email: 'zhangji@example.com',
    consent: true,
  });
  await addDemoParty(pool, {
    kind: 'unit',
    name: '浦东李氏水果店',
    idNumber: '91310115MA1K000016',
    phone: '13800138002',
    email: 'lishi@example.com',
    consent: false,
  });
  await addDemoParty(pool, {
    kind: 'person',
    name: '王某',
    idNumber: '310115199001010010',
    phone: '13800138003',
    email: 'wang@example.com',
    consent: true,
  });

  // composed before the early return: a kept database with a cleared var/ folder still finds its video
  const scene = await composeDumpingScene(sceneDir);
  const existing = await findCamerasByNamePrefix(pool, 'pudong', '演示');
  if (existing.length > 0) return { logins, cameraIds: existing.map((c) => c.id) };

  const deps = { pool, policy };
  const path1 = await registerCamera(deps, admin, {
    camera: {
      districtId: 'pudong',
      name: '演示 1 · 校园步道（倾倒点）',
      address: '浦东新区演示路 1 号',
      latitude: 31.2304,
      longitude: 121.4737,
      source: { kind: 'file', path: scene, replay: 'realtime', loop: true } as never,
      sampleIntervalS: 2,
      ...DEMO_CAMERA_REGISTER,
    },
    acceptanceTest: demoAcceptanceTest(),
    zones: [footpathDumpingZone(600)],
  });
  const path2 = await registerCamera(deps, admin, {
    camera: {
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
      ...DEMO_CAMERA_REGISTER,
    },
    zones: [
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
    ],
  });
  return { logins, cameraIds: [path1.id, path2.id] };
}
