import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { staffSessionPlugin } from '../auth/auth.plugin.js';
import { authRoutes } from '../auth/auth.routes.js';
import { oidcRoutes } from '../auth/oidc.routes.js';
import { staffAdminPageRoutes } from '../auth/staff-admin-pages.routes.js';
import { staffAdminRoutes } from '../auth/staff-admin.routes.js';
import { loginPageRoutes } from '../auth/login-pages.routes.js';
import { cameraAdminPageRoutes } from '../cameras/camera-admin-pages.routes.js';
import { cameraPageRoutes } from '../cameras/camera-pages.routes.js';
import { cameraRoutes } from '../cameras/camera.routes.js';
import { alertPageRoutes } from '../alerts/alert-pages.routes.js';
import { complaintPageRoutes } from '../complaints/complaint-pages.routes.js';
import { supervisionPageRoutes } from '../supervision/supervision-pages.routes.js';
import { complaintRoutes } from '../complaints/complaint.routes.js';
import { caseReviewPageRoutes } from '../case-review/case-review-pages.routes.js';
import { caseReviewRoutes } from '../case-review/case-review.routes.js';
import { hotlineRoutes } from '../complaints/hotline.routes.js';
import { creditPageRoutes } from '../credit/credit-pages.routes.js';
import { creditPortalPageRoutes } from '../credit/credit-portal-pages.routes.js';
import { creditRoutes } from '../credit/credit.routes.js';
import { metricsPlugin } from '../metrics/metrics.plugin.js';
import { ProcessMetrics } from '../metrics/process-metrics.adapter.js';
import { JOB_NAMES } from '../queue/jobs.js';
import { queueBoardRoutes } from '../queue/queue-board.routes.js';
import { reviewBacklog } from '../review/review-backlog.repo.js';
import { afterDecisionPageRoutes } from '../cases/after-decision-pages.routes.js';
import { afterDecisionRoutes } from '../cases/after-decision.routes.js';
import { caseFileRoutes } from '../cases/case-files.routes.js';
import { casePageRoutes } from '../cases/case-pages.routes.js';
import { caseRoutes } from '../cases/case.routes.js';
import { hearingRoutes } from '../cases/hearing.routes.js';
import { statementRoutes } from '../cases/statement.routes.js';
import { windowPageRoutes } from '../cases/window-pages.routes.js';
import { windowRoutes } from '../cases/window.routes.js';
import { deliveryReceiptRoutes } from '../notices/delivery-receipt.routes.js';
import { partyPageRoutes } from '../parties/party-pages.routes.js';
import { partyRoutes } from '../parties/party.routes.js';
import { fieldTaskRoutes } from '../field-tasks/field-task.routes.js';
import { fieldTaskPageRoutes } from '../field-tasks/field-task-pages.routes.js';
import { announcementRoutes } from '../notices/announcement.routes.js';
import { announcementPageRoutes } from '../notices/announcement-pages.routes.js';
import { paymentRoutes } from '../payments/payment.routes.js';
import { recordedPaymentRoutes } from '../payments/recorded-payment.routes.js';
import { sandboxProviderRoutes } from '../payments/sandbox-provider.routes.js';
import { portalLookupPageRoutes } from '../portal/portal-lookup-pages.routes.js';
import { portalPublicPageRoutes } from '../portal/portal-public-pages.routes.js';
import { portalPageRoutes } from '../portal/portal-pages.routes.js';
import { reviewPageRoutes } from '../review/review-pages.routes.js';
import { reviewRoutes } from '../review/review.routes.js';
import { screenPageRoutes } from '../screen/screen-pages.routes.js';
import { PUBLIC_DIR } from '../shared/paths.js';
import { deviceListPageRoutes, publicDeviceRoutes } from '../cameras/device-list-pages.routes.js';
import { statsPageRoutes } from '../stats/stats-pages.routes.js';
import { statsReportPageRoutes } from '../stats/stats-report-pages.routes.js';
import { publicStandardsPageRoutes } from '../web/public-standards-pages.routes.js';
import { staffPageRoutes } from '../web/staff-pages.routes.js';
import { installPageErrorHandler, sendNotFoundPage, wantsPage } from '../web/pages.js';
import { composeApi } from './api-services.js';
import type { AppDeps } from './deps.js';
import { redactingLoggerOptions } from '../shared/log-redaction.js';
import { installErrorHandler } from '../http/error-handler.js';
import { installInputGuard } from '../http/input-guard.js';
import { healthRoutes } from '../http/health.routes.js';

export interface BuildAppOptions {
  /** pino options or false; tests pass false to keep output quiet. */
  logger?: boolean | { level: string };
  /** Where log lines go instead of stdout (tests read them back). */
  logStream?: DestinationStream;
}

/** Builds the whole HTTP application without listening, so tests can call it with `inject` or a real port. */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: typeof options.logger === 'object' ? options.logger.level : deps.config.logLevel,
            ...redactingLoggerOptions(),
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    trustProxy: deps.config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1_048_576,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });

  installErrorHandler(app, { notFoundPage: { wants: wantsPage, send: sendNotFoundPage } });
  installInputGuard(app);

  const metrics = new ProcessMetrics('api', app.log);
  metrics.watchQueues(deps.queues, JOB_NAMES);
  metrics.watchReviewBacklog(() => reviewBacklog(deps.pool));
  await app.register(metricsPlugin, {
    metrics,
    serve: deps.config.apiMetrics,
    token: deps.config.metricsToken,
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'City enforcement pipeline API',
        description: 'Cameras, detections, violations, legal review, cases and the citizen portal.',
        version: '0.1.0',
      },
      tags: [
        { name: 'health' },
        { name: 'auth' },
        { name: 'staff' },
        { name: 'cameras' },
        { name: 'parties' },
        { name: 'review' },
        { name: 'cases' },
        { name: 'notices' },
        { name: 'payments' },
        { name: 'complaints' },
        { name: 'case review' },
        { name: 'public' },
      ],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(fastifyCookie, { secret: deps.config.cookieSecret });
  await app.register(fastifyFormbody);
  await app.register(fastifyCsrf, {
    cookieOpts: {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.config.cookieSecure,
      signed: true,
    },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    hook: 'preHandler',
    redis: deps.redis,
    nameSpace: `${deps.config.queuePrefix}:rl:`,
  });
  await app.register(staffSessionPlugin, { auth: deps.auth });

  const { services, close } = composeApi(deps, app.log);
  app.addHook('onClose', close);
  const withServices = { ...deps, ...services };

  // The JSON API (and the metrics and queue board), answered by the JSON error handler above.
  await app.register(healthRoutes, deps);
  await app.register(authRoutes, withServices);
  await app.register(oidcRoutes, withServices);
  await app.register(staffAdminRoutes, withServices);
  await app.register(cameraRoutes, withServices);
  await app.register(partyRoutes, withServices);
  await app.register(fieldTaskRoutes, withServices);
  await app.register(announcementRoutes, withServices);
  await app.register(reviewRoutes, withServices);
  await app.register(caseRoutes, withServices);
  await app.register(statementRoutes, withServices);
  await app.register(windowRoutes, withServices);
  await app.register(hearingRoutes, withServices);
  await app.register(afterDecisionRoutes, withServices);
  await app.register(deliveryReceiptRoutes, deps);
  await app.register(complaintRoutes, withServices);
  await app.register(hotlineRoutes, withServices);
  await app.register(caseReviewRoutes, withServices);
  await app.register(creditRoutes, withServices);
  await app.register(paymentRoutes, withServices);
  await app.register(recordedPaymentRoutes, withServices);
  if (deps.config.paymentSandbox) await app.register(sandboxProviderRoutes, deps);
  await app.register(publicDeviceRoutes, deps);
  await app.register(queueBoardRoutes, deps);
  await app.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/', index: false, maxAge: '1h' });

  // Browser pages, staff and public: one context whose errors render the error page (src/web/pages.ts).
  await app.register(async (pages) => {
    installPageErrorHandler(pages);
    await pages.register(staffPageRoutes);
    await pages.register(loginPageRoutes, deps);
    await pages.register(staffAdminPageRoutes, withServices);
    await pages.register(cameraPageRoutes, withServices);
    await pages.register(cameraAdminPageRoutes, withServices);
    await pages.register(reviewPageRoutes, withServices);
    await pages.register(casePageRoutes, withServices);
    await pages.register(caseFileRoutes, withServices);
    await pages.register(afterDecisionPageRoutes, withServices);
    await pages.register(windowPageRoutes, withServices);
    await pages.register(partyPageRoutes, withServices);
    await pages.register(fieldTaskPageRoutes, withServices);
    await pages.register(announcementPageRoutes, withServices);
    await pages.register(complaintPageRoutes, withServices);
    await pages.register(caseReviewPageRoutes, withServices);
    await pages.register(supervisionPageRoutes, withServices);
    await pages.register(alertPageRoutes, withServices);
    await pages.register(screenPageRoutes, withServices);
    await pages.register(statsPageRoutes, withServices);
    await pages.register(statsReportPageRoutes, withServices);
    await pages.register(deviceListPageRoutes, deps);
    await pages.register(publicStandardsPageRoutes);
    await pages.register(portalPageRoutes, {
      config: deps.config,
      sessions: services.portalSessions,
      portal: services.portal,
    });
    await pages.register(portalPublicPageRoutes, { sealKey: async () => (await services.sealKey()).key });
    await pages.register(portalLookupPageRoutes, { config: deps.config, sessions: services.portalSessions });
    await pages.register(creditPageRoutes, withServices);
    await pages.register(creditPortalPageRoutes, {
      sessions: services.portalSessions,
      credit: services.credit,
      creditRepairs: services.creditRepairs,
    });
  });

  return app;
}
