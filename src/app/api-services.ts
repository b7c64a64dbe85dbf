import type { FastifyBaseLogger } from 'fastify';
import { AuditOutboxWriter } from '../audit/audit-outbox.js';
import { flushAuditOutbox } from '../audit/audit.repo.js';
import { OidcClient } from '../auth/oidc-client.adapter.js';
import type { OidcSignIn } from '../auth/oidc.routes.js';
import { OidcSignInService } from '../auth/oidc-sign-in.service.js';
import { StaffAdminService } from '../auth/staff-admin.service.js';
import { CameraFrameService } from '../cameras/camera-frame.service.js';
import { SpotCheckService } from '../complaints/spot-check.service.js';
import { CameraService } from '../cameras/camera.service.js';
import { DeviceRegisterService } from '../cameras/device-register.service.js';
import { ZoneService } from '../cameras/zone.service.js';
import { AfterDecisionService } from '../cases/after-decision.service.js';
import { caseFilingHook } from '../cases/case-filing.service.js';
import { CaseFileService } from '../cases/case-file.service.js';
import { CaseService } from '../cases/case.service.js';
import { AlertService } from '../alerts/alert.service.js';
import { ComplaintService } from '../complaints/complaint.service.js';
import { CaseReviewCheckService } from '../case-review/case-review-check.service.js';
import { caseReviewLimits } from '../case-review/case-review-limits.js';
import { CaseReviewSampleService } from '../case-review/case-review-sample.service.js';
import { SupervisionService } from '../case-review/supervision.service.js';
import { WithdrawalService } from '../case-review/withdrawal.service.js';
import { InspectionService } from '../supervision/inspection.service.js';
import { RiskLevelService } from '../supervision/risk-level.service.js';
import { ShopPagesService } from '../supervision/shop-pages.service.js';
import { CreditRepairService } from '../credit/credit-repair.service.js';
import { CreditService } from '../credit/credit.service.js';
import { HearingService } from '../cases/hearing.service.js';
import { loadOrCreateSealKey, type SealKeyInfo } from '../cases/seal-key.adapter.js';
import { StatementReviewService } from '../cases/statement-review.service.js';
import { AnnouncementService } from '../notices/announcement.service.js';
import { FieldTaskService } from '../field-tasks/field-task.service.js';
import { PartyImportService } from '../parties/party-import.service.js';
import { PartyService } from '../parties/party.service.js';
import { ShopFrontLinkService } from '../cameras/shop-front-link.service.js';
import { HmacPaymentGateway } from '../payments/hmac-gateway.adapter.js';
import { PaymentService } from '../payments/payment.service.js';
import { fiscalEbillFromConfig } from '../payments/fiscal-ebill.js';
import { ReceiptDocumentService } from '../payments/receipt-document.service.js';
import { loadCjkFont } from '../documents/cjk-font.adapter.js';
import type { DocumentTools } from '../cases/case-document.service.js';
import { WindowStatementService } from '../cases/statement-intake.service.js';
import { PortalSessionService } from '../portal/portal-session.service.js';
import { PortalService } from '../portal/portal.service.js';
import { EvidenceFileService } from '../review/evidence-file.service.js';
import { ReviewService } from '../review/review.service.js';
import { RateLimiter } from '../shared/rate-limiter.js';
import { ScreenService } from '../screen/screen.service.js';
import { StatsReportService } from '../stats/stats-report.service.js';
import { StatsService } from '../stats/stats.service.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { AppDeps } from './deps.js';

const AUDIT_OUTBOX_FLUSH_MS = 1_000;

function composeOidc(config: Config, pool: Pool): OidcSignIn | null {
  if (!config.oidcIssuer) return null;
  return {
    client: new OidcClient({
      issuer: config.oidcIssuer,
      clientId: config.oidcClientId,
      clientSecret: config.oidcClientSecret,
      tokenAuth: config.oidcTokenAuth,
      redirectUrl: config.oidcRedirectUrl,
      scopes: config.oidcScopes,
      allowHttp: config.oidcAllowHttp,
    }),
    signIn: new OidcSignInService(
      pool,
      {
        roleClaim: config.oidcRoleClaim,
        roleMap: config.oidcRoleMap,
        districtClaim: config.oidcDistrictClaim,
        districtMap: config.oidcDistrictMap,
        nameClaim: config.oidcUsernameClaim,
      },
      config.sessionTtlMinutes,
    ),
  };
}

/** Every service of the API process, built once here and handed to the area plugins that use them. */
export interface ApiServices {
  /** counters in Redis shared by the API's own rate limits (sign-in, portal, refused callbacks) */
  limiter: RateLimiter;
  /** staff sign-in through the identity provider; null when none is configured */
  oidc: OidcSignIn | null;
  /** staff accounts, managed by admins */
  staffAdmin: StaffAdminService;
  cameras: CameraService;
  zones: ZoneService;
  cameraFrames: CameraFrameService;
  deviceRegister: DeviceRegisterService;
  parties: PartyService;
  partyImport: PartyImportService;
  shopFronts: ShopFrontLinkService;
  review: ReviewService;
  /** staff opening evidence items, logged */
  evidenceFiles: EvidenceFileService;
  cases: CaseService;
  /** staff opening a case's documents, statement attachments and receipts, logged */
  caseFiles: CaseFileService;
  statements: StatementReviewService;
  windowStatements: WindowStatementService;
  hearings: HearingService;
  afterDecision: AfterDecisionService;
  payments: PaymentService;
  portal: PortalService;
  portalSessions: PortalSessionService;
  /** the party's views of the portal, recorded in the audit outbox */
  portalViews: AuditOutboxWriter;
  /** complaints from the hotline and staff (Shanghai enforcement regulation art. 26) */
  complaints: ComplaintService;
  /** spot checks of complaints: a frame taken now from the matched camera, judged by the detect worker */
  spotChecks: SpotCheckService;
  /** case-file review (案卷评查): the checks, random samples and scoring, supervision notices */
  caseReviewChecks: CaseReviewCheckService;
  caseReviewSamples: CaseReviewSampleService;
  supervision: SupervisionService;
  /** case withdrawals with a second person's approval */
  withdrawals: WithdrawalService;
  /** shop risk levels and inspections (分级分类监管) */
  inspections: InspectionService;
  shopPages: ShopPagesService;
  /** alerts as staff read, acknowledge and resolve them (src/alerts/) */
  alerts: AlertService;
  /** credit publication and its withdrawal (APL art. 48) */
  credit: CreditService;
  /** credit repair applications and their review (SH social credit regulation art. 38) */
  creditRepairs: CreditRepairService;
  /** the statistics query layer (pages, exports, monthly reports) */
  stats: StatsService;
  /** the monthly analysis reports (sealed PDFs) */
  statsReports: StatsReportService;
  /** the bureau's seal key, read (or, outside production, generated) on first use */
  sealKey: () => Promise<SealKeyInfo>;
  /** the command screen's figures and its live streams */
  screen: ScreenService;
  /** field tasks (派单): the patrol identifies the party on site or sees the scene corrected */
  fieldTasks: FieldTaskService;
  /** service by public announcement (公告送达) */
  announcements: AnnouncementService;
}

export interface ApiComposition {
  services: ApiServices;
  /** Stops the timers the services run and flushes what they hold. */
  close(): Promise<void>;
}

/**
 * The API process's composition root: the one place its services are constructed and wired to each other.
 * Routes and pages receive them; they never construct a service themselves.
 */
export function composeApi(deps: AppDeps, log: FastifyBaseLogger): ApiComposition {
  const { config, pool, blobs, cameraPolicy } = deps;

  let sealLoading: Promise<SealKeyInfo> | null = null;
  const sealKey = () =>
    (sealLoading ??= loadOrCreateSealKey(config, log).catch((error: unknown) => {
      sealLoading = null;
      throw error;
    }));

  // The CJK font is read on the first receipt rendered, once per process.
  let toolsLoading: Promise<DocumentTools> | null = null;
  const documentTools = () =>
    (toolsLoading ??= Promise.all([
      loadCjkFont({ path: config.documentCjkFont, postscriptName: config.documentCjkFontName }),
      sealKey(),
    ])
      .then(([font, seal]) => ({ font, sealKey: seal.key, sealFingerprint: seal.fingerprint }))
      .catch((error: unknown) => {
        toolsLoading = null;
        throw error;
      }));
  const receipts = new ReceiptDocumentService({
    pool,
    blobs,
    tools: documentTools,
    ebill: fiscalEbillFromConfig(config),
    publicBaseUrl: config.publicBaseUrl,
    warn: (message, data) => log.warn(data, message),
  });

  const cameras = new CameraService(pool, cameraPolicy);
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
    receipts,
    refused: {
      limiter,
      perMinute: config.paymentCallbackRefusedPerMinute,
      keep: config.paymentCallbackRefusedKeep,
    },
  });
  const portalViews = new AuditOutboxWriter(pool);
  const zones = new ZoneService(pool, cameras);
  const parties = new PartyService(pool);
  const riskLevels = new RiskLevelService(pool);
  const inspections = new InspectionService(pool, blobs, riskLevels);
  const credit = new CreditService(pool);
  const stats = new StatsService(pool);
  const cameraFrames = new CameraFrameService(pool, blobs, cameraPolicy);
  const services: ApiServices = {
    limiter,
    oidc: composeOidc(config, pool),
    staffAdmin: new StaffAdminService(pool),
    cameras,
    zones,
    cameraFrames,
    deviceRegister: new DeviceRegisterService(pool, cameras),
    parties,
    partyImport: new PartyImportService(pool, parties),
    shopFronts: new ShopFrontLinkService(pool, zones),
    review: new ReviewService(pool, blobs, caseFilingHook()),
    evidenceFiles: new EvidenceFileService(pool, blobs),
    cases,
    caseFiles: new CaseFileService(pool, blobs, receipts),
    statements: new StatementReviewService(pool, cases),
    windowStatements: new WindowStatementService({ blobs, cases }),
    hearings: new HearingService(cases),
    afterDecision: new AfterDecisionService(pool, cases, (tx, change) =>
      credit.withdrawForChange(tx, change),
    ),
    payments,
    portal: new PortalService({
      views: portalViews,
      pool,
      blobs,
      cases,
      payments,
      receipts,
      sealPublicKey: async () => (await sealKey()).key,
    }),
    portalSessions: new PortalSessionService(pool, limiter, config),
    portalViews,
    complaints: new ComplaintService(pool),
    spotChecks: new SpotCheckService({ pool, blobs, cameraFrames, queues: deps.queues }),
    caseReviewChecks: new CaseReviewCheckService(pool, caseReviewLimits(config)),
    caseReviewSamples: new CaseReviewSampleService(pool),
    supervision: new SupervisionService(pool),
    withdrawals: new WithdrawalService(pool, cases),
    inspections,
    shopPages: new ShopPagesService(pool, riskLevels, inspections),
    alerts: new AlertService(pool),
    credit,
    creditRepairs: new CreditRepairService(pool, credit),
    stats,
    statsReports: new StatsReportService({ pool, blobs, stats, tools: documentTools }),
    sealKey,
    screen: new ScreenService(pool, {
      snapshotSeconds: config.screenSnapshotSeconds,
      heartbeatSeconds: config.screenHeartbeatSeconds,
      streamsPerUser: config.screenStreamsPerUser,
    }),
    fieldTasks: new FieldTaskService({ pool, blobs, parties, hook: caseFilingHook() }),
    announcements: new AnnouncementService(pool, cases),
  };

  // Views recorded in the audit outbox reach the chain at the next audited step, or by this timer at the latest.
  let flushing: Promise<unknown> | null = null;
  const flush = () =>
    (flushing ??= flushAuditOutbox(pool)
      .catch((error: unknown) => log.warn({ err: error }, 'audit outbox not flushed; will retry'))
      .finally(() => (flushing = null)));
  const timer = setInterval(() => void flush(), AUDIT_OUTBOX_FLUSH_MS);
  timer.unref();

  return {
    services,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
