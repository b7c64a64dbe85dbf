import type { DocumentTools } from '../cases/case-document.service.js';
import { CaseSweepService, caseSweepHandler } from '../cases/case-sweep.service.js';
import { CaseService } from '../cases/case.service.js';
import { loadOrCreateSealKey } from '../cases/seal-key.adapter.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import { loadCjkFont } from '../documents/cjk-font.adapter.js';
import type { PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { Queues } from '../queue/queues.js';
import type { Handlers } from '../queue/worker-host.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import { CaseNoticeService } from './case-notice.service.js';
import type { ChannelSet } from './delivery-channel.js';
import { channelsFromConfig, deliverHandler, retryFromConfig } from './delivery-jobs.js';
import { DeliveryService } from './delivery.service.js';
import { portalLinkKey } from './portal-token.js';

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
  handlers: Handlers;
  tools: () => Promise<DocumentTools>;
}

export function createNotifyServices(res: NotifyResources): NotifyServices {
  const { config, pool, blobs, queues, logger } = res;
  const channels = res.channels ?? channelsFromConfig(config);
  const retry = retryFromConfig(config);
  const cases = new CaseService(pool, res.now);
  let loading: Promise<DocumentTools> | null = null;
  // The CJK font and the seal key are read once, on first use, and shared by every document of the process.
  const tools = () =>
    (loading ??= Promise.all([loadCjkFont(), loadOrCreateSealKey(config, logger)])
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
  return {
    cases,
    notices,
    delivery,
    sweep,
    tools,
    handlers: { deliver: deliverHandler(delivery), 'case-sweep': caseSweepHandler(sweep) },
  };
}
