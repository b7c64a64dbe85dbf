import type { FastifyInstance } from 'fastify';
import { AuditOutboxWriter } from '../audit/audit-outbox.js';
import { flushAuditOutbox } from '../audit/audit.repo.js';
import { CaseService } from '../cases/case.service.js';
import { loadOrCreateSealKey, type SealKeyInfo } from '../cases/seal-key.adapter.js';
import type { AppDeps } from '../app/deps.js';
import { HmacPaymentGateway } from '../payments/hmac-gateway.adapter.js';
import { paymentRoutes } from '../payments/payment.routes.js';
import { PaymentService } from '../payments/payment.service.js';
import { sandboxProviderRoutes } from '../payments/sandbox-provider.routes.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { portalPublicRoutes } from './portal-public.routes.js';
import { PortalSessionService } from './portal-session.service.js';
import { portalRoutes } from './portal.routes.js';
import { PortalService } from './portal.service.js';

const AUDIT_OUTBOX_FLUSH_MS = 1_000;

/**
 * The citizen side of the API process: the portal under /n/<token>, its public pages, the payment callback and,
 * when PAYMENT_SANDBOX is on, the sandbox provider. The seal key is read (or, outside production, generated)
 * on first use.
 */
export async function portalPlugin(app: FastifyInstance, deps: AppDeps): Promise<void> {
  let sealLoading: Promise<SealKeyInfo> | null = null;
  const sealKey = () =>
    (sealLoading ??= loadOrCreateSealKey(deps.config, app.log).catch((error: unknown) => {
      sealLoading = null;
      throw error;
    }));
  const { config, pool, blobs } = deps;
  const cases = new CaseService(pool);
  const gateway =
    config.paymentGatewayUrl && config.paymentGatewaySecret
      ? new HmacPaymentGateway({
          name: config.paymentGatewayName,
          baseUrl: config.paymentGatewayUrl,
          merchant: config.paymentGatewayMerchant,
          secret: config.paymentGatewaySecret,
        })
      : null;
  const limiter = new RateLimiter(deps.redis, config.queuePrefix);
  const payments = new PaymentService({
    pool,
    gateway,
    cases,
    publicBaseUrl: config.publicBaseUrl,
    sealKey,
    refused: {
      limiter,
      perMinute: config.paymentCallbackRefusedPerMinute,
      keep: config.paymentCallbackRefusedKeep,
    },
  });
  const sessions = new PortalSessionService(pool, limiter, config);
  const views = new AuditOutboxWriter(pool);
  const portal = new PortalService({
    views,
    pool,
    blobs,
    cases,
    payments,
    sealPublicKey: async () => (await sealKey()).key,
  });

  // Views recorded in the audit outbox reach the chain at the next audited step, or by this timer at the latest.
  let flushing: Promise<unknown> | null = null;
  const flush = () =>
    (flushing ??= flushAuditOutbox(pool)
      .catch((error: unknown) => app.log.warn({ err: error }, 'audit outbox not flushed; will retry'))
      .finally(() => (flushing = null)));
  const timer = setInterval(() => void flush(), AUDIT_OUTBOX_FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush();
  });

  await app.register(portalRoutes, { config, pool, blobs, sessions, portal, views });
  await app.register(portalPublicRoutes, { sealKey: async () => (await sealKey()).key });
  await app.register(paymentRoutes, { ...deps, payments });
  if (config.paymentSandbox) await app.register(sandboxProviderRoutes, deps);
}
