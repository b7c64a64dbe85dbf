import type { VoiceCallMode } from '../../src/config/voice-call.js';
import { reviewCopies } from '../../src/cases/evidence-thumbnail.adapter.js';
import { bumpCameraVersion, snapshotCameraVersion } from '../../src/cameras/camera.repo.js';
import type { PipelineMetrics } from '../../src/metrics/pipeline-metrics.js';
import { replaceZones } from '../../src/cameras/zone.repo.js';
import type { Detection } from '../../src/detect/detection.js';
import type { Pool } from '../../src/db/pool.js';
import { createEvidenceRenderer } from '../../src/evidence/evidence-render.adapter.js';
import { EvidenceStage } from '../../src/evidence/evidence-stage.service.js';
import { deliveryRetry } from '../../src/queue/jobs.js';
import { JudgingConfigCache } from '../../src/rules/judging-config.repo.js';
import { RulesStage } from '../../src/rules/rules-stage.service.js';
import { noStallZone, shopFrontZone } from '../../src/rules/scene.fixtures.js';
import { createLogger } from '../../src/shared/logger.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import type { Zone } from '../../src/zones/zone.schema.js';
import { seedCamera } from './seed-violations.js';
import type { TestContext } from './test-app.js';

/** Capture times start on a Monday, 10:00 in Shanghai. */
export const T0 = Date.parse('2026-03-02T10:00:00+08:00');
export const MODEL = {
  name: 'yolox-nano',
  sha256: '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14',
};
export const silent = createLogger('silent', 'test');

export const umbrella = (box = { x1: 0.3, y1: 0.6, x2: 0.4, y2: 0.75 }): Detection => ({
  label: 'umbrella',
  role: 'goods',
  score: 0.8,
  box,
});

export const person = (x: number): Detection => ({
  label: 'person',
  role: 'person',
  score: 0.9,
  box: { x1: x, y1: 0.2, x2: x + 0.08, y2: 0.6 },
});

/** The no-stall zone of the stage tests, with a 20 s dwell. */
export const stallZone = (id: string, over: Partial<Zone> = {}): Zone =>
  noStallZone({ id, name: '菜场门口', dwellSeconds: 20, ...over });

/** The shop front of the stage tests, with a 20 s dwell and 30 s of grace when it warns first. */
export const shopZone = (id: string, partyId: string, over: Partial<Zone> = {}): Zone =>
  shopFrontZone(partyId, { id, name: '张记水果店门前', dwellSeconds: 20, graceSeconds: 30, ...over });

/** Goods standing beyond the shop's front line, on the sidewalk. */
export const crate = (): Detection => ({
  label: 'dining table',
  role: 'goods',
  score: 0.7,
  box: { x1: 0.7, y1: 0.6, x2: 0.8, y2: 0.75 },
});

/** A camera with its whole device register: reviews, published location and a passing test record. */
export async function eligibleCamera(pool: Pool, districtId: string): Promise<string> {
  const cameraId = await seedCamera(pool, districtId);
  await pool.query(
    `insert into device_records (camera_id, kind, performed_at, performed_by, result)
     values ($1, 'test', now() - interval '1 day', '设备维护中心', 'pass')`,
    [cameraId],
  );
  return cameraId;
}

/** Writes the camera's zones and rules overrides as a new version, with its snapshot, as the zones API does. */
export async function configureCamera(
  pool: Pool,
  cameraId: string,
  zones: readonly Zone[],
  rules: Record<string, unknown> = {},
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query('update cameras set rules = $2 where id = $1', [cameraId, JSON.stringify(rules)]);
    await replaceZones(client, cameraId, zones);
    const version = await bumpCameraVersion(client, cameraId);
    await snapshotCameraVersion(client, cameraId, null);
    await client.query('commit');
    return version;
  } finally {
    client.release();
  }
}

export interface FrameSpec {
  seq: number;
  /** Seconds after T0. */
  at: number;
  jpeg: Buffer;
  detections: Detection[] | null;
  status?: 'queued' | 'detected' | 'dropped' | 'failed';
}

/** Stores a frame as the intake does, and its detections (when given) as the detect stage does. */
export async function addFrame(
  ctx: TestContext,
  cameraId: string,
  version: number,
  spec: FrameSpec,
): Promise<number> {
  const stored = await new FrameStore(ctx.blobs).put(spec.jpeg);
  const { rows } = await ctx.pool.query<{ id: number }>(
    `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version, status)
     values ($1, $2, $3, $4, $5, 320, 240, $6, $7, $8) returning id`,
    [
      cameraId,
      spec.seq,
      new Date(T0 + spec.at * 1000),
      stored.sha256,
      stored.key,
      spec.jpeg.length,
      version,
      spec.status ?? (spec.detections ? 'detected' : 'queued'),
    ],
  );
  const frameId = rows[0]!.id;
  if (spec.detections) await addDetections(ctx.pool, frameId, spec.detections);
  return frameId;
}

export async function addDetections(pool: Pool, frameId: number, detections: Detection[]): Promise<void> {
  await pool.query(
    `insert into detections (frame_id, model_name, model_sha256, items, frame_width, frame_height)
     values ($1, $2, $3, $4, 320, 240)`,
    [frameId, MODEL.name, MODEL.sha256, JSON.stringify(detections)],
  );
  await pool.query(`update frames set status = 'detected' where id = $1`, [frameId]);
}

export function stages(
  ctx: TestContext,
  {
    warningVoiceCall,
    ...options
  }: { gapTimeoutMs?: number; metrics?: PipelineMetrics; warningVoiceCall?: VoiceCallMode } = {},
) {
  const configs = new JudgingConfigCache();
  const frames = new FrameStore(ctx.blobs);
  return {
    frames,
    rules: new RulesStage({ pool: ctx.pool, queues: ctx.queues, logger: silent, configs, ...options }),
    evidence: new EvidenceStage({
      pool: ctx.pool,
      blobs: ctx.blobs,
      frames,
      renderer: createEvidenceRenderer(),
      reviewCopies: reviewCopies(ctx.blobs),
      queues: ctx.queues,
      deliveryRetry: deliveryRetry(ctx.config),
      logger: silent,
      configs,
      ...(warningVoiceCall ? { warningVoiceCall } : {}),
    }),
  };
}

export async function count(pool: Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from (${sql}) q`, params);
  return rows[0]!.n;
}
