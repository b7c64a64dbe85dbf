import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { ensureAssets } from '../../scripts/assets.js';
import { manifestFaults, type EvidenceManifest } from '../../src/evidence/evidence-manifest.js';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../../src/ingest/ingest-supervisor.js';
import { createRulesWorker, type RulesWorker } from '../../src/app/rules-worker.js';
import { rulesWorkerSettings } from '../../src/config/rules-worker.js';
import { deliveryRetry } from '../../src/queue/jobs.js';
import { createLogger } from '../../src/shared/logger.js';
import { FREE_METRICS_PORTS } from '../support/processes.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { listEvidence } from '../../src/violations/violation.repo.js';
import { rectangle } from '../../src/rules/scene.fixtures.js';
import { configureCamera, stallZone } from '../support/rules-fixtures.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';

/*
 * The whole automatic pipeline on real frames, shared by the pipeline tests (one per blob store): a file camera
 * replays a scene composed from real video, the real ingest supervisor stores its frames, the real detect worker
 * (a child process running YOLOX-Nano) finds the objects, and the rules worker judges them and packages the
 * evidence.
 *
 * The scene: the first 200 frames of vtest.avi (a campus path, people walking), one frame per second of capture
 * time, with a real crop of three water bottles (bottle-detection.mp4, frame 0) set down on the grass from 40 s
 * on and left there. The zone counts bottles as stall goods (drinks set out for sale) and its dwell is 20 s.
 * The replay runs as fast as the pipeline takes frames, so frames queued behind the detector are replaced by
 * newer ones and the rules see a sparse sample of the 200 s; the dwell is measured on the capture clock.
 */

const run = promisify(execFile);
const logger = createLogger('silent', 'e2e');
export const MODEL_SHA256 = '695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14';

async function composeScene(vtest: string, bottles: string, out: string): Promise<void> {
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', vtest, '-i', bottles],
    '-filter_complex',
    '[1:v]select=eq(n\\,0),setpts=PTS-STARTPTS,crop=550:235:40:95,scale=385:-2[goods];' +
      '[0:v]trim=end_frame=200,setpts=N/TB[street];' +
      "[street][goods]overlay=60:405:enable='gte(t,40)'[out]",
    ...['-map', '[out]', '-r', '1', '-c:v', 'mjpeg', '-q:v', '5', out],
  ]);
}

export interface ReviewedViolation {
  id: string;
  evidenceItemIds: string[];
}

interface Hold {
  allowed: number;
  taken: number;
  waiting: boolean;
  wake: Array<() => void>;
}

function wakeAll(hold: Hold): void {
  for (const wake of hold.wake.splice(0)) wake();
}

/**
 * The real intake, which a test can hold at a camera's nth frame: the file replay then waits, as it does behind
 * any slow consumer (no frame is lost), until the test lets more frames through.
 */
export class HeldIntake extends FrameIntake {
  private readonly holds = new Map<string, Hold>();

  /** Lets the camera's first `allowed` frames through (Infinity: all of them); the next one waits. */
  allow(cameraId: string, allowed: number): void {
    const hold = this.holds.get(cameraId) ?? { allowed, taken: 0, waiting: false, wake: [] };
    hold.allowed = allowed;
    this.holds.set(cameraId, hold);
    wakeAll(hold);
  }

  taken(cameraId: string): number {
    return this.holds.get(cameraId)?.taken ?? 0;
  }

  /** Resolves once the camera's next frame waits at the hold. */
  async held(cameraId: string): Promise<void> {
    const hold = this.holds.get(cameraId)!;
    while (!hold.waiting) await new Promise<void>((r) => hold.wake.push(r));
  }

  override async intake(...args: Parameters<FrameIntake['intake']>): ReturnType<FrameIntake['intake']> {
    const hold = this.holds.get(args[0].id);
    if (hold) {
      while (hold.taken >= hold.allowed) {
        hold.waiting = true;
        wakeAll(hold);
        await new Promise<void>((r) => hold.wake.push(r));
      }
      hold.waiting = false;
      hold.taken++;
    }
    return super.intake(...args);
  }
}

export class StallPipeline {
  ctx!: TestContext;
  intake!: HeldIntake;
  private scratch = '';
  private scenePath = '';
  private supervisor: IngestSupervisor | null = null;
  private rulesWorker: RulesWorker | null = null;
  private detectWorker: ChildProcess | null = null;
  private detectLog = '';

  /** `storeEnv` configures the blob store of this process and of the detect worker (empty: the filesystem). */
  private constructor(private readonly storeEnv: Record<string, string>) {}

  static async start(storeEnv: Record<string, string> = {}): Promise<StallPipeline> {
    const p = new StallPipeline(storeEnv);
    const assets = await ensureAssets({ only: ['yolox-nano', 'vtest', 'bottle-detection'] });
    const pathOf = (name: string) => assets.find((a) => a.name === name)!.path;
    p.scratch = await mkdtemp(path.join(os.tmpdir(), 'stall-e2e-'));
    p.scenePath = path.join(p.scratch, 'scene.avi');
    await composeScene(pathOf('vtest'), pathOf('bottle-detection'), p.scenePath);

    p.ctx = await createTestContext(storeEnv);
    await seedDistrict(p.ctx.pool, 'pudong');
    p.rulesWorker = createRulesWorker({
      pool: p.ctx.pool,
      blobs: p.ctx.blobs,
      queues: p.ctx.queues,
      connection: p.ctx.queues.connection,
      logger,
      settings: { ...rulesWorkerSettings({}), gapTimeoutSeconds: 3, evidenceSweepSeconds: 10 },
      deliveryRetry: deliveryRetry(p.ctx.config),
    });
    await p.rulesWorker.start();
    await p.startDetectWorker();
    p.intake = new HeldIntake({
      pool: p.ctx.pool,
      frames: new FrameStore(p.ctx.blobs),
      queues: p.ctx.queues,
      redis: p.ctx.queues.connection,
      logger,
    });
    p.supervisor = new IngestSupervisor({
      pool: p.ctx.pool,
      redis: p.ctx.queues.connection,
      prefix: p.ctx.queues.prefix,
      intake: p.intake,
      policy: accessPolicyFromEnv({ CAMERA_LOCAL_FILE_ROOTS: p.scratch }),
      logger,
      reconcileMs: 300,
    });
    p.supervisor.start();
    return p;
  }

  async close(): Promise<void> {
    await this.supervisor?.stop();
    if (this.detectWorker) await this.killDetectWorker();
    await this.rulesWorker?.stop();
    await this.ctx?.close();
    if (this.scratch) await rm(this.scratch, { recursive: true, force: true });
  }

  // The bounds only turn a hang into a clear failure. With both cores of a two-core machine kept busy by other
  // processes, a whole run of a pipeline file took up to 180 s; each bound leaves ample room.
  async waitFor(what: string, check: () => Promise<boolean>, ms = 120_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end)
        throw new Error(`timed out waiting for ${what}; detect worker said: ${this.detectLog.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The detect worker as its own process, exactly as deployed, pointed at this test's database and queues. */
  async startDetectWorker(): Promise<void> {
    const { ctx } = this;
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/detect.worker.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...FREE_METRICS_PORTS,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATABASE_URL: ctx.db.url,
        REDIS_URL: ctx.config.redisUrl,
        QUEUE_PREFIX: ctx.queues.prefix,
        DATA_DIR: ctx.config.dataDir,
        DETECT_THREADS: '2',
        ...this.storeEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (this.detectLog += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.detectLog += chunk.toString()));
    this.detectWorker = child;
    await this.waitFor('the detect worker to take jobs', async () => {
      if (child.exitCode !== null)
        throw new Error(`detect worker exited with ${child.exitCode}: ${this.detectLog}`);
      return (await ctx.queues.queue('detect').getWorkersCount()) > 0;
    });
  }

  async killDetectWorker(): Promise<void> {
    const child = this.detectWorker!;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    this.detectWorker = null;
  }

  async addFileCamera(name: string, beforeEnabling?: (cameraId: string) => void): Promise<string> {
    const { pool } = this.ctx;
    const { rows } = await pool.query<{ id: string }>(
      `insert into cameras (district_id, name, source, sample_interval_s, enabled, legal_review_date,
                            technical_review_date, published, published_at)
       values ('pudong', $1, $2, 1, false, '2026-01-05', '2026-01-06', true, now()) returning id`,
      [name, JSON.stringify({ kind: 'file', path: this.scenePath, replay: 'as-fast' })],
    );
    const cameraId = rows[0]!.id;
    await pool.query(
      `insert into device_records (camera_id, kind, performed_at, performed_by, result)
       values ($1, 'test', now() - interval '1 day', '设备维护中心', 'pass')`,
      [cameraId],
    );
    const zone = stallZone(randomUUID(), {
      name: '草坪 禁止设摊',
      points: rectangle(0.03, 0.62, 0.65, 0.995),
      roles: ['goods', 'dumping'],
      dwellSeconds: 20,
    });
    // The three bottles stand about a fifth of the frame's height apart: one stall, so one scene.
    await configureCamera(pool, cameraId, [zone], { clusterGap: 0.3 });
    // Enabled only once its zones are in place, so every frame is judged under that version.
    beforeEnabling?.(cameraId);
    await pool.query('update cameras set enabled = true where id = $1', [cameraId]);
    return cameraId;
  }

  async frameCount(cameraId: string): Promise<number> {
    const { rows } = await this.ctx.pool.query<{ n: number }>(
      'select count(*)::int as n from frames where camera_id = $1',
      [cameraId],
    );
    return rows[0]!.n;
  }

  async detectedCount(cameraId: string): Promise<number> {
    const { rows } = await this.ctx.pool.query<{ n: number }>(
      'select count(*)::int as n from detections d join frames f on f.id = d.frame_id where f.camera_id = $1',
      [cameraId],
    );
    return rows[0]!.n;
  }

  /** The replay reached its end, every frame was handled by the rules, and no candidate waits for evidence. */
  async waitUntilSettled(cameraId: string): Promise<void> {
    const { pool } = this.ctx;
    await this.waitFor(
      'the replay to end',
      async () => (await this.frameCount(cameraId)) >= 150 && !this.supervisor!.running().includes(cameraId),
      200_000,
    );
    await this.waitFor(
      'the rules and evidence to catch up',
      async () => {
        const { rows } = await pool.query(
          `select (select max(seq) from frames where camera_id = $1) as last_frame,
                (select last_seq from camera_rule_state where camera_id = $1) as applied,
                (select count(*)::int from violation_candidates where camera_id = $1 and status = 'pending') as pending`,
          [cameraId],
        );
        return rows[0].applied !== null && rows[0].applied === rows[0].last_frame && rows[0].pending === 0;
      },
      200_000,
    );
  }

  async checkOneReviewTask(cameraId: string, framesLost = false): Promise<ReviewedViolation> {
    const { ctx } = this;
    const tasks = await ctx.pool.query(
      `select t.stage, t.violation_type, v.id, v.status, v.first_seen_at, v.confirmed_at, v.model_name, v.model_sha256,
              v.manifest_key, v.manifest_sha256
         from review_tasks t join violations v on v.id = t.violation_id where t.camera_id = $1`,
      [cameraId],
    );
    expect(tasks.rows).toHaveLength(1);
    const v = tasks.rows[0];
    expect(v).toMatchObject({
      stage: 'evidence',
      violation_type: 'street_stall',
      status: 'pending_review',
      model_name: 'yolox-nano',
    });
    expect(v.model_sha256).toBe(MODEL_SHA256);
    // The bottles appear 40 s into the capture (after the background model has learnt the empty grass from the
    // camera's first frames, however sparse the replay makes them); the proof spans at least the dwell.
    const capture = await ctx.pool.query(
      'select min(captured_at) as start from frames where camera_id = $1',
      [cameraId],
    );
    expect(v.first_seen_at.getTime() - capture.rows[0].start.getTime()).toBeGreaterThanOrEqual(40_000);
    expect(v.confirmed_at.getTime() - v.first_seen_at.getTime()).toBeGreaterThanOrEqual(20_000);

    // The background model dated the bottles: the frame before they appeared (the grass still empty) is proof too.
    const items = await listEvidence(ctx.pool, v.id);
    expect(items.filter((i) => i.kind === 'original')).toHaveLength(3);
    expect(items).toHaveLength(10);
    for (const item of items) {
      const bytes = await ctx.blobs.get(item.storage_key);
      expect(createHash('sha256').update(bytes).digest('hex'), item.storage_key).toBe(item.sha256);
    }
    const originals = await ctx.pool.query(
      `select e.sha256 as item, f.sha256 as captured, f.captured_at
         from evidence_items e join frames f on f.id = e.frame_id
        where e.violation_id = $1 and e.kind = 'original' order by f.seq`,
      [v.id],
    );
    for (const o of originals.rows) expect(o.item).toBe(o.captured);
    const [before, ...proof] = originals.rows.map((o) => o.captured_at.getTime());
    expect(proof).toEqual([v.first_seen_at.getTime(), v.confirmed_at.getTime()]);
    expect(before).toBeLessThan(v.first_seen_at.getTime());
    // Unless frames were lost meanwhile (a worker killed, the store away), the frame before shows no bottles yet.
    if (!framesLost) expect(before! - capture.rows[0].start.getTime()).toBeLessThan(40_000);
    const manifestBytes = await ctx.blobs.get(v.manifest_key);
    expect(createHash('sha256').update(manifestBytes).digest('hex')).toBe(v.manifest_sha256);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as EvidenceManifest;
    const stored = new Map(items.map((i) => [i.storage_key, { sha256: i.sha256, byteSize: i.byte_size }]));
    expect(manifestFaults(manifest, stored)).toEqual([]);
    expect(manifest.frames.map((f) => f.role)).toEqual(['before', 'first_seen', 'confirmed']);
    const showsBottles = (f: (typeof manifest.frames)[number]) =>
      f.detections.some((d) => d.label === 'bottle');
    expect(manifest.frames.filter((f) => f.role !== 'before').every(showsBottles)).toBe(true);
    if (!framesLost) expect(showsBottles(manifest.frames[0]!)).toBe(false);
    return { id: v.id, evidenceItemIds: items.map((i) => i.id) };
  }
}
