import { reviewCopies } from '../cases/evidence-thumbnail.adapter.js';
import type { Redis } from 'ioredis';
import type { RulesWorkerSettings } from '../config/rules-worker.js';
import type { VoiceCallMode } from '../config/voice-call.js';
import type { Pool } from '../db/pool.js';
import { EvidenceStage } from '../evidence/evidence-stage.service.js';
import { createEvidenceRenderer } from '../evidence/evidence-render.adapter.js';
import { requeueLostFrames } from '../detect/lost-frames.service.js';
import { sweepFrames } from '../evidence/frame-retention.service.js';
import { enqueueStaleCandidates } from '../evidence/outbox-sweep.service.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { startWorkerMetrics } from '../metrics/worker-metrics.adapter.js';
import { deliveryRetry, JOB_LOCK_MS, type DeliveryRetry, type JobName } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import { stopOnSignals, WorkerHost } from '../queue/worker-host.js';
import { JudgingConfigCache } from '../rules/judging-config.repo.js';
import { RulesStage } from '../rules/rules-stage.service.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import { FrameStore } from '../storage/frame-store.js';
import type { Runtime } from './runtime.js';

/*
 * The rules worker process: applies detections to each camera's rules state in frame order, packages the
 * evidence of confirmed violations, runs warn-first re-checks and deletes frames past their retention. Its
 * wiring (createRulesWorker) is shared with the tests that run it in process: the four handlers on one
 * WorkerHost, the retention schedule, and the periodic sweeps that re-enqueue stale candidates and lost frames.
 */

const SERVES = ['rules', 'evidence', 'recheck', 'frame-retention'] as const satisfies readonly JobName[];

export interface RulesWorkerDeps {
  pool: Pool;
  blobs: BlobStore;
  queues: Queues;
  /** A blocking-capable connection for BullMQ workers. */
  connection: Redis;
  logger: Logger;
  settings: RulesWorkerSettings;
  /** How the warnings' deliveries retry: the delivery settings of the configuration. */
  deliveryRetry: DeliveryRetry;
  /** WARNING_VOICE_CALL: whether a warning also makes a staff call task (Pudong art. 15). */
  warningVoiceCall?: VoiceCallMode;
  metrics?: PipelineMetrics;
  /** See WorkerHostOptions.lockMs. */
  lockMs?: number;
}

export interface RulesWorker {
  host: WorkerHost;
  rules: RulesStage;
  evidence: EvidenceStage;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createRulesWorker(deps: RulesWorkerDeps): RulesWorker {
  const { settings, logger } = deps;
  const frames = new FrameStore(deps.blobs);
  const configs = new JudgingConfigCache();
  const rules = new RulesStage({
    pool: deps.pool,
    queues: deps.queues,
    logger,
    configs,
    gapTimeoutMs: settings.gapTimeoutSeconds * 1000,
    metrics: deps.metrics,
  });
  const evidence = new EvidenceStage({
    pool: deps.pool,
    blobs: deps.blobs,
    frames,
    renderer: createEvidenceRenderer(),
    reviewCopies: reviewCopies(deps.blobs),
    queues: deps.queues,
    deliveryRetry: deps.deliveryRetry,
    logger,
    configs,
    recheckMarginMs: settings.recheckMarginSeconds * 1000,
    warningVoiceCall: deps.warningVoiceCall ?? 'off',
  });
  const host = new WorkerHost({
    connection: deps.connection,
    prefix: deps.queues.prefix,
    logger,
    metrics: deps.metrics,
    serves: SERVES,
    lockMs: deps.lockMs,
    handlers: {
      rules: {
        handle: async (payload) => void (await rules.handle(payload)),
        concurrency: settings.rulesConcurrency,
      },
      evidence: {
        handle: async (payload) => void (await evidence.handle(payload)),
        concurrency: settings.evidenceConcurrency,
        lockDurationMs: JOB_LOCK_MS.evidence,
      },
      recheck: { handle: async (payload) => void (await evidence.warnFirst.recheck(payload)) },
      'frame-retention': {
        handle: async (payload) =>
          void (await sweepFrames(
            { pool: deps.pool, frames, logger },
            { olderThanMinutes: payload.olderThanMinutes ?? settings.frameRetentionMinutes },
          )),
      },
    },
  });
  let sweepTimer: NodeJS.Timeout | null = null;
  let lostFramesTimer: NodeJS.Timeout | null = null;
  // Looked for three times within the gap timeout, so a frame whose job Redis lost is detected before the rules
  // give up on it.
  const lostFramesEveryS = Math.max(1, Math.floor(settings.gapTimeoutSeconds / 3));
  const lostFrames = () =>
    requeueLostFrames(
      { pool: deps.pool, queues: deps.queues, logger },
      { olderThanSeconds: lostFramesEveryS },
    ).catch((err: unknown) => logger.error({ err }, 'lost frame sweep failed'));
  const sweep = () =>
    enqueueStaleCandidates(
      { pool: deps.pool, queues: deps.queues, logger },
      {
        olderThanSeconds: settings.evidenceSweepSeconds,
        // the re-check and its looks again (a margin each), then a sweep interval to spare
        recheckOverdueSeconds: settings.recheckMarginSeconds * 4 + settings.evidenceSweepSeconds,
      },
    ).catch((err: unknown) => logger.error({ err }, 'evidence sweep failed'));
  return {
    host,
    rules,
    evidence,
    async start() {
      host.start();
      await host.waitUntilReady();
      await deps.queues.schedule(
        'frame-retention',
        { olderThanMinutes: settings.frameRetentionMinutes },
        settings.retentionEverySeconds * 1000,
      );
      sweepTimer = setInterval(() => void sweep(), settings.evidenceSweepSeconds * 1000);
      sweepTimer.unref();
      lostFramesTimer = setInterval(() => void lostFrames(), lostFramesEveryS * 1000);
      lostFramesTimer.unref();
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      if (lostFramesTimer) clearInterval(lostFramesTimer);
      await host.stop();
    },
  };
}

/** Starts the rules worker on the process's resources; SIGTERM/SIGINT stop it. */
export async function startRulesWorker(rt: Runtime): Promise<void> {
  const settings = rt.config.rulesWorker;
  const { metrics, close: closeMetrics } = await startWorkerMetrics(rt, 'rules', SERVES);
  const worker = createRulesWorker({
    pool: rt.pool,
    blobs: rt.blobs,
    queues: rt.queues,
    connection: rt.queueRedis,
    logger: rt.logger,
    settings,
    deliveryRetry: deliveryRetry(rt.config),
    warningVoiceCall: rt.config.warningVoiceCall,
    metrics,
    lockMs: rt.config.jobLockMs,
  });
  await rt.claimQueues();
  await worker.start();
  rt.logger.info({ settings }, 'rules worker started');
  stopOnSignals(
    rt.logger,
    () => worker.stop(),
    async () => {
      await closeMetrics();
      await rt.close();
    },
  );
}
