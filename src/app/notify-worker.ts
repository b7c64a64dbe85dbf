import type { DocumentTools } from '../cases/case-document.service.js';
import { CaseSweepService, caseSweepHandler } from '../cases/case-sweep.service.js';
import { CaseService } from '../cases/case.service.js';
import { loadOrCreateSealKey } from '../cases/seal-key.adapter.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import { loadCjkFont } from '../documents/cjk-font.adapter.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { startWorkerMetrics } from '../metrics/worker-metrics.adapter.js';
import { CaseNoticeService } from '../notices/case-notice.service.js';
import type { ChannelSet } from '../notices/delivery-channel.js';
import { channelsFromConfig, deliverHandler } from '../notices/delivery-jobs.js';
import { DeliveryService } from '../notices/delivery.service.js';
import { portalLinkKey } from '../notices/portal-token.js';
import { deliveryRetry, STATS_REPORT_CHECK_EVERY_MS, type JobName } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import { stopOnSignals, WorkerHost, type Handlers } from '../queue/worker-host.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import { statsReportHandler, StatsReportService } from '../stats/stats-report.service.js';
import { StatsService } from '../stats/stats.service.js';
import type { Runtime } from './runtime.js';

/*
 * The notify worker process: sends notices over the online channels (`deliver`) and moves cases along their
 * deadlines (`case-sweep`, scheduled every CASE_SWEEP_INTERVAL_S seconds; the scheduler is shared, so several
 * workers still run one sweep per interval), and makes each district's monthly analysis report (`stats-report`,
 * src/stats/stats-report.service.ts).
 */

const SERVES = ['deliver', 'case-sweep', 'stats-report'] as const satisfies readonly JobName[];

/**
 * The services behind the `deliver` and `case-sweep` jobs, built once per process from its resources. Tests
 * build the same thing with their own channels (real protocol peers on 127.0.0.1).
 */

export interface NotifyResources {
  config: Config;
  pool: Pool;
  blobs: BlobStore;
  queues: Queues;
  logger: Logger;
  channels?: ChannelSet;
  now?: () => Date;
  metrics?: PipelineMetrics;
}

export interface NotifyServices {
  cases: CaseService;
  notices: CaseNoticeService;
  delivery: DeliveryService;
  sweep: CaseSweepService;
  statsReports: StatsReportService;
  handlers: Handlers;
  tools: () => Promise<DocumentTools>;
}

export function createNotifyServices(res: NotifyResources): NotifyServices {
  const { config, pool, blobs, queues, logger } = res;
  const channels = res.channels ?? channelsFromConfig(config);
  const retry = deliveryRetry(config);
  const cases = new CaseService(pool, res.now);
  let loading: Promise<DocumentTools> | null = null;
  // The CJK font and the seal key are read once, on first use, and shared by every document of the process.
  const tools = () =>
    (loading ??= Promise.all([
      loadCjkFont({ path: config.documentCjkFont, postscriptName: config.documentCjkFontName }),
      loadOrCreateSealKey(config, logger),
    ])
      .then(([font, seal]) => ({ font, sealKey: seal.key, sealFingerprint: seal.fingerprint }))
      .catch((error: unknown) => {
        loading = null;
        throw error;
      }));
  const notices = new CaseNoticeService({
    pool,
    blobs,
    queues,
    cases,
    config,
    tools,
    channels,
    retry,
    logger,
  });
  const delivery = new DeliveryService({
    pool,
    blobs,
    channels,
    cases,
    publicBaseUrl: config.publicBaseUrl,
    tokenTtlDays: config.portalTokenTtlDays,
    linkKey: portalLinkKey(config.cookieSecret),
    logger,
    metrics: res.metrics,
  });
  const sweep = new CaseSweepService({
    pool,
    cases,
    notices,
    delivery,
    queues,
    retry,
    logger,
    staleDeliveryS: config.deliveryStaleS,
  });
  const statsReports = new StatsReportService({
    pool,
    blobs,
    stats: new StatsService(pool, res.now),
    tools,
    now: res.now,
  });
  return {
    cases,
    notices,
    delivery,
    sweep,
    statsReports,
    tools,
    handlers: {
      deliver: deliverHandler(delivery),
      'case-sweep': caseSweepHandler(sweep),
      'stats-report': statsReportHandler(statsReports),
    },
  };
}

/** Starts the notify worker on the process's resources; SIGTERM/SIGINT stop it. */
export async function startNotifyWorker(rt: Runtime): Promise<void> {
  const { metrics, close: closeMetrics } = await startWorkerMetrics(rt, 'notify', SERVES);
  const services = createNotifyServices({
    config: rt.config,
    pool: rt.pool,
    blobs: rt.blobs,
    queues: rt.queues,
    logger: rt.logger,
    metrics,
  });
  // Fail at start-up, not on the first document, when the font or the seal key is missing.
  await services.tools();
  const host = new WorkerHost({
    connection: rt.queueRedis,
    prefix: rt.config.queuePrefix,
    logger: rt.logger,
    metrics,
    handlers: services.handlers,
    serves: SERVES,
    lockMs: rt.config.jobLockMs,
  });
  await rt.claimQueues();
  host.start();
  await rt.queues.schedule('case-sweep', {}, rt.config.caseSweepIntervalS * 1000);
  await rt.queues.schedule('stats-report', {}, STATS_REPORT_CHECK_EVERY_MS);
  rt.logger.info({ sweepEveryS: rt.config.caseSweepIntervalS }, 'notify worker started');
  stopOnSignals(
    rt.logger,
    () => host.stop(),
    async () => {
      await closeMetrics();
      await rt.close();
    },
  );
}
