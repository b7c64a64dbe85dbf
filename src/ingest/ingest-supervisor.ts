import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CameraSchedule } from '../cameras/camera.schema.js';
import { recordCameraError, recordCameraOutage } from '../cameras/camera-health.repo.js';
import { listEnabledCameraSources } from '../cameras/camera.repo.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../shared/logger.js';
import { NO_METRICS, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { cameraScheduleActive } from '../zones/schedule.js';
import type { CompiledAccessPolicy } from './access-policy.js';
import { createSource } from './create-source.js';
import type { FrameIntake } from './frame-intake.service.js';
import type { FrameSource } from './frame-source.js';
import { FrameRejectedError } from './ingest-errors.js';
import { parseSourceConfig, type CameraSourceConfig } from './source-config.schema.js';

interface CameraRow {
  id: string;
  version: number;
  source: unknown;
  sample_interval_s: number;
  schedule: CameraSchedule;
}

interface Runner {
  camera: CameraRow;
  source: FrameSource;
  done: Promise<void>;
  /** Ends a frame's wait for an unavailable blob store when the camera is stopped. */
  abort: AbortController;
}

export interface SupervisorOptions {
  pool: Pool;
  redis: Redis;
  prefix: string;
  intake: FrameIntake;
  policy: CompiledAccessPolicy;
  logger: Logger;
  /** how often the camera list is read again and leases renewed */
  reconcileMs?: number;
  /** a camera's lease lasts this long without renewal; another worker takes it over after that */
  leaseMs?: number;
  now?: () => Date;
  /** frames in, out and dropped at ingest, and source errors (none by default) */
  metrics?: PipelineMetrics;
}

/** The camera's source config with the registry's sampling interval applied (the registry is the one place it is set). */
export function sourceConfigFor(camera: { source: unknown; sample_interval_s: number }): CameraSourceConfig {
  const config = parseSourceConfig(camera.source);
  const ms = camera.sample_interval_s * 1000;
  if (config.kind === 'snapshot') return { ...config, intervalMs: ms };
  if (config.kind === 'stream' || config.kind === 'file') return { ...config, sampleIntervalMs: ms };
  return config;
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * Runs the sources of the cameras this worker holds. Every enabled camera within its schedule is held by exactly
 * one ingest worker at a time through a Redis lease, so adding workers spreads cameras over them and a worker that
 * dies lets its cameras move on once their leases expire. A change of camera config (a new version) restarts the
 * camera's source; a file replay that reaches its end stays finished until the camera changes.
 */
export class IngestSupervisor {
  readonly workerId = randomUUID();
  private readonly runners = new Map<string, Runner>();
  private readonly finished = new Map<string, number>(); // camera id -> version whose replay ended
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly o: SupervisorOptions) {}

  private leaseKey(cameraId: string): string {
    return `${this.o.prefix}:ingest-lease:${cameraId}`;
  }

  start(): void {
    const tick = () => {
      this.reconciling ??= this.reconcile()
        .catch((err: unknown) => this.o.logger.error({ err }, 'ingest reconcile failed'))
        .finally(() => (this.reconciling = null));
    };
    tick();
    this.timer = setInterval(tick, this.o.reconcileMs ?? 5_000);
  }

  /** Cameras whose source is running in this worker now. */
  running(): string[] {
    return [...this.runners.keys()];
  }

  async reconcile(): Promise<void> {
    if (this.stopped) return;
    const now = (this.o.now ?? (() => new Date()))();
    const leaseMs = this.o.leaseMs ?? 30_000;
    const rows: CameraRow[] = await listEnabledCameraSources(this.o.pool);
    const wanted = new Map(
      rows
        .filter((c) => cameraScheduleActive(c.schedule, now.getTime()))
        .filter((c) => this.finished.get(c.id) !== c.version)
        .map((c) => [c.id, c]),
    );

    for (const [id, runner] of this.runners) {
      const camera = wanted.get(id);
      const renewed =
        camera &&
        camera.version === runner.camera.version &&
        (await this.o.redis.eval(RENEW, 1, this.leaseKey(id), this.workerId, leaseMs)) === 1;
      if (!renewed) await this.stopRunner(id);
    }
    for (const [id, camera] of wanted) {
      if (this.runners.has(id) || this.stopped) continue;
      const got = await this.o.redis.set(this.leaseKey(id), this.workerId, 'PX', leaseMs, 'NX');
      if (got === 'OK') this.startRunner(camera);
    }
  }

  private startRunner(camera: CameraRow): void {
    const log = this.o.logger.child({ cameraId: camera.id, version: camera.version });
    let source: FrameSource;
    try {
      source = createSource(sourceConfigFor(camera), { policy: this.o.policy });
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'camera source config refused');
      void recordCameraError(this.o.pool, camera.id, (err as Error).message);
      this.finished.set(camera.id, camera.version);
      void this.release(camera.id);
      return;
    }
    this.o.intake.forget(camera.id);
    const abort = new AbortController();
    const metrics = this.o.metrics ?? NO_METRICS;
    const done = (async () => {
      let outages = 0;
      let resolutionChanges = 0;
      for await (const event of source) {
        try {
          if (event.type === 'frame') {
            const health = source.health;
            if (health.outages > outages && health.lastOutage) {
              const { ms, errors, to } = health.lastOutage;
              log.info({ gapMs: ms, errors, outages: health.outages }, 'camera frames resumed after a gap');
              // The frame matters more than the record of the gap: a failed write is logged, not thrown.
              await recordCameraOutage(this.o.pool, camera.id, { ms, endedAt: to }).catch((err: unknown) =>
                log.warn({ err }, 'camera outage not recorded'),
              );
            }
            if (health.resolutionChanges > resolutionChanges) {
              log.warn({ change: health.lastResolutionChange }, 'camera picture size changed');
            }
            outages = health.outages;
            resolutionChanges = health.resolutionChanges;
            metrics.framesIn('ingest');
            const taken = await this.o.intake.intake(
              { id: camera.id, version: camera.version },
              event.frame,
              abort.signal,
            );
            metrics.framesOut('ingest');
            if (taken.replacedFrameId !== null) metrics.framesDropped('ingest', 'replaced');
          } else {
            metrics.sourceError(event.error.code);
            // a frame that arrived but was refused is a frame in and dropped
            if (event.error instanceof FrameRejectedError) {
              metrics.framesIn('ingest');
              metrics.framesDropped('ingest', event.error.code);
            }
            log.warn({ code: event.error.code, err: event.error.message }, 'camera error');
            await recordCameraError(this.o.pool, camera.id, `${event.error.code}: ${event.error.message}`);
          }
        } catch (err) {
          // The store or database failing must not end the camera's loop; the frame is lost and logged.
          if (event.type === 'frame') metrics.framesDropped('ingest', 'intake_failed');
          log.error({ err }, 'frame intake failed');
        }
      }
      if (!this.stopped && source.health.state === 'ended') this.finished.set(camera.id, camera.version);
    })();
    const runner: Runner = { camera, source, done, abort };
    this.runners.set(camera.id, runner);
    log.info({ kind: source.kind }, 'camera source started');
    // A source that ends by itself (a replay reached its end) gives its camera back. The runner leaves the list
    // only once the lease is released: a camera shown as not running here is free for another worker.
    void done.finally(async () => {
      if (this.runners.get(camera.id) !== runner) return;
      await this.release(camera.id);
      if (this.runners.get(camera.id) === runner) this.runners.delete(camera.id);
    });
  }

  private async stopRunner(id: string): Promise<void> {
    const runner = this.runners.get(id);
    if (!runner) return;
    runner.abort.abort();
    await runner.source.close();
    await runner.done.catch(() => undefined);
    await this.release(id);
    if (this.runners.get(id) === runner) this.runners.delete(id);
  }

  private async release(cameraId: string): Promise<void> {
    await this.o.redis
      .eval(RELEASE, 1, this.leaseKey(cameraId), this.workerId)
      .catch((err: unknown) => this.o.logger.warn({ err, cameraId }, 'could not release camera lease'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    await Promise.all([...this.runners.keys()].map((id) => this.stopRunner(id)));
  }
}
