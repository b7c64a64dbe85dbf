import { AlertEvaluationService, alertSweepHandler } from '../alerts/alert-evaluation.service.js';
import { AlertNotifyService } from '../alerts/alert-notify.service.js';
import { AlertWebhook } from '../alerts/alert-webhook.adapter.js';
import type { DocumentTools } from '../cases/case-document.service.js';
import { CaseSweepService, caseSweepHandler } from '../cases/case-sweep.service.js';
import { CaseService } from '../cases/case.service.js';
import { CaseReviewCheckService, caseReviewHandler } from '../case-review/case-review-check.service.js';
import { caseReviewLimits } from '../case-review/case-review-limits.js';
import { loadOrCreateSealKey } from '../cases/seal-key.adapter.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import { complaintReplyHandler } from '../complaints/complaint-reply-jobs.js';
import { ComplaintReplySender } from '../complaints/complaint-reply.service.js';
import { HttpHotlineReplyPush } from '../complaints/hotline-reply.adapter.js';
import { creditPlatformFromConfig, creditSweepHandler } from '../credit/credit-jobs.js';
import { CreditService } from '../credit/credit.service.js';
import { loadCjkFont } from '../documents/cjk-font.adapter.js';
import { compileAccessPolicy } from '../ingest/access-policy.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { startWorkerMetrics } from '../metrics/worker-metrics.adapter.js';
import { AnnouncementService } from '../notices/announcement.service.js';
import { CaseNoticeService } from '../notices/case-notice.service.js';
import type { ChannelSet } from '../notices/delivery-channel.js';
import { channelsFromConfig, deliverHandler } from '../notices/delivery-jobs.js';
import { DeliveryService } from '../notices/delivery.service.js';
import { portalLinkKey } from '../notices/portal-token.js';
import {
  deliveryRetry,
  STATS_REPORT_CHECK_EVERY_MS,
  STATS_SUMMARY_EVERY_MS,
  type JobName,
} from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import { stopOnSignals, WorkerHost, type Handlers } from '../queue/worker-host.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import { statsReportHandler, StatsReportService } from '../stats/stats-report.service.js';
import { statsSummaryHandler, StatsSummaryService } from '../stats/stats-summary.service.js';
import { StatsService } from '../stats/stats.service.js';
import type { Runtime } from './runtime.js';

/*
 * The notify worker process: sends notices over the online channels (`deliver`) and moves cases along their
 * deadlines (`case-sweep`, scheduled every CASE_SWEEP_INTERVAL_S seconds; the scheduler is shared, so several
 * workers still run one sweep per interval); runs the case-file review checks (`case-review`, every
 * CASE_REVIEW_INTERVAL_S seconds); evaluates the alert rules (`alert-sweep`, every ALERT_EVALUATE_EVERY_S seconds);
 * publishes credit items and exports them (`credit-sweep`); sends complaint outcomes to the hotline or the
 * reporter (`complaint-reply`); makes each district's monthly analysis report (`stats-report`,
 * src/stats/stats-report.service.ts); and keeps the statistics summary up to date (`stats-summary`), each
 * scheduled the same way.
 */

const SERVES = [
  'deliver',
  'case-sweep',
  'case-review',
  'alert-sweep',
  'credit-sweep',
  'complaint-reply',
  'stats-report',
  'stats-summary',
] as const satisfies readonly JobName[];

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
  caseReview: CaseReviewCheckService;
  alerts: AlertEvaluationService;
  credit: CreditService;
  replies: ComplaintReplySender;
  statsReports: StatsReportService;
  statsSummary: StatsSummaryService;
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
    announcements: new AnnouncementService(pool, cases),
  });
  const caseReview = new CaseReviewCheckService(pool, caseReviewLimits(config), res.now);
  const alertSettings = config.alerts;
  const alerts = new AlertEvaluationService({
    pool,
    queues,
    settings: alertSettings,
    logger,
    now: res.now,
    notify: new AlertNotifyService({
      pool,
      settings: alertSettings,
      channels,
      webhook: alertSettings.webhookUrl
        ? new AlertWebhook({
            url: alertSettings.webhookUrl,
            secret: alertSettings.webhookSecret,
            allowPrivate: alertSettings.webhookAllowPrivate,
            allowLoopback: alertSettings.webhookAllowLoopback,
          })
        : null,
      publicBaseUrl: config.publicBaseUrl,
      logger,
    }),
  });
  const credit = new CreditService(pool, { now: res.now });
  const replies = new ComplaintReplySender({
    pool,
    hotline: config.hotlineReplyUrl
      ? new HttpHotlineReplyPush(config.hotlineReplyUrl, config.hotlineSecret)
      : null,
    sms: channels.sms ?? null,
    now: res.now,
  });
  const statsReports = new StatsReportService({
    pool,
    blobs,
    stats: new StatsService(pool, res.now),
    tools,
    now: res.now,
  });
  const statsSummary = new StatsSummaryService(pool);
  return {
    cases,
    notices,
    delivery,
    sweep,
    caseReview,
    alerts,
    credit,
    replies,
    statsReports,
    statsSummary,
    tools,
    handlers: {
      deliver: deliverHandler(delivery),
      'case-sweep': caseSweepHandler(sweep),
      'case-review': caseReviewHandler(caseReview, logger),
      'alert-sweep': alertSweepHandler(alerts),
      'credit-sweep': creditSweepHandler(
        credit,
        creditPlatformFromConfig(config, compileAccessPolicy(config.cameraAccess)),
      ),
      'complaint-reply': complaintReplyHandler(replies),
      'stats-report': statsReportHandler(statsReports),
      'stats-summary': statsSummaryHandler(statsSummary),
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
  await rt.queues.schedule('case-review', {}, rt.config.caseReviewIntervalS * 1000);
  await rt.queues.schedule('alert-sweep', {}, rt.config.alerts.evaluateEveryS * 1000);
  await rt.queues.schedule('credit-sweep', {}, rt.config.creditSweepIntervalS * 1000);
  await rt.queues.schedule('complaint-reply', {}, rt.config.complaintReplyIntervalS * 1000);
  await rt.queues.schedule('stats-report', {}, STATS_REPORT_CHECK_EVERY_MS);
  await rt.queues.schedule('stats-summary', {}, STATS_SUMMARY_EVERY_MS);
  rt.logger.info(
    {
      sweepEveryS: rt.config.caseSweepIntervalS,
      caseReviewEveryS: rt.config.caseReviewIntervalS,
      alertsEveryS: rt.config.alerts.evaluateEveryS,
      creditEveryS: rt.config.creditSweepIntervalS,
      complaintRepliesEveryS: rt.config.complaintReplyIntervalS,
    },
    'notify worker started',
  );
  stopOnSignals(
    rt.logger,
    () => host.stop(),
    async () => {
      await closeMetrics();
      await rt.close();
    },
  );
}
