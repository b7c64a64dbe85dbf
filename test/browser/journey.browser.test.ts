import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAssets } from '../../scripts/assets.js';
import { verifyAuditChain } from '../../src/audit/audit.repo.js';
import type { StaffRole } from '../../src/auth/principal.js';
import { parseCaseNumber } from '../../src/cases/case-number.js';
import { composeDumpingScene } from '../../src/demo/demo-seed.js';
import { createDetector, defaultInferenceThreads, type Detector } from '../../src/detect/detector.service.js';
import { DetectStage } from '../../src/detect/detect-stage.service.js';
import { loadSealPublicKey, type DocumentSeal } from '../../src/documents/seal.js';
import { accessPolicyFromEnv } from '../../src/config/camera-access.js';
import { FrameIntake } from '../../src/ingest/frame-intake.service.js';
import { IngestSupervisor } from '../../src/ingest/ingest-supervisor.js';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import { deliveryRetry } from '../../src/queue/jobs.js';
import { verifyReceipt } from '../../src/payments/payment-receipt.js';
import { WorkerHost } from '../../src/queue/worker-host.js';
import { createRulesWorker, type RulesWorker } from '../../src/app/rules-worker.js';
import { rulesWorkerSettings } from '../../src/config/rules-worker.js';
import { createLogger } from '../../src/shared/logger.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { FakeSmsGateway, GATEWAY_SECRET } from '../support/case-fixtures.js';
import { freePort } from '../support/portal-client.js';
import { collectPageErrors, imagesLoaded, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';

/*
 * The whole journey, each step where a person would take it: district staff check a camera and its zone; the real
 * pipeline (ingest supervisor replaying a composed street scene, the detector, the rules and evidence stages) finds
 * a bottle left in a dumping spot and opens a review task; an evidence reviewer and a legal reviewer approve it in
 * the workbench; the case sweep issues the advance notice and the SMS gateway (a real HTTP peer here) receives the
 * link; the party opens it, passes the second factor, sees the evidence, acknowledges and makes a statement; the
 * legal reviewer rejects the statement and decides; the decision reaches the party by SMS; the party acknowledges
 * and pays in the sandbox; the case closes and the audit chain verifies.
 *
 * The scene is the demo's: the sample street video with a real bottle set down on the pavement from second 30 on.
 * It is replayed as fast as the pipeline takes frames, one per second of video, so the dwell runs on video time.
 */

const logger = createLogger('silent', 'journey');
const PASSWORD = 'a long test password';
const STAFF_VIEW = { width: 1280, height: 800 };
const PHONE_VIEW = { width: 390, height: 844 };
const PARTY = { name: '王某', idNumber: '310115199001010010', phone: '13800138003' };
const ZONE_NAME = '步道倾倒点';

let ctx: TestContext;
let baseUrl: string;
let scratch: string;
let gateway: FakeSmsGateway;
let browser: Browser;
let detector: Detector | null = null;
let detectHost: WorkerHost | null = null;
let notifyHost: WorkerHost | null = null;
let rulesWorker: RulesWorker | null = null;
let supervisor: IngestSupervisor | null = null;
let cameraId: string;
// every page's script errors and failed console messages, checked at the end
const pageErrors: string[][] = [];

/** Waits for a condition; on timeout the error says what was awaited and what the system looked like then. */
async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  describeState: () => Promise<unknown>,
  ms = 60_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end)
      throw new Error(
        `timed out after ${ms} ms waiting for ${what}; state: ${JSON.stringify(await describeState())}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function pipelineState(): Promise<unknown> {
  const { rows } = await ctx.pool.query(
    `select (select count(*)::int from frames where camera_id = $1) as frames,
            (select count(*)::int from frames where camera_id = $1 and status = 'dropped') as dropped,
            (select count(*)::int from detections d join frames f on f.id = d.frame_id where f.camera_id = $1) as detected,
            (select last_seq from camera_rule_state where camera_id = $1) as rules_applied_seq,
            (select json_agg(json_build_object('status', status)) from violation_candidates where camera_id = $1) as candidates,
            (select json_agg(json_build_object('stage', stage, 'status', status)) from review_tasks where camera_id = $1) as tasks`,
    [cameraId],
  );
  return { ...rows[0], ingestRunning: supervisor?.running().includes(cameraId) ?? false };
}

async function caseState(caseId: string): Promise<unknown> {
  const { rows } = await ctx.pool.query(
    `select c.status,
            (select json_agg(json_build_object('kind', n.kind, 'channel', d.channel, 'status', d.status, 'error', d.last_error))
               from notices n join deliveries d on d.notice_id = n.id where n.case_id = c.id) as deliveries
       from cases c where c.id = $1`,
    [caseId],
  );
  return { case: rows[0], smsMessages: gateway.messages.length };
}

async function caseStatus(caseId: string): Promise<string> {
  return (await ctx.pool.query('select status from cases where id = $1', [caseId])).rows[0].status;
}

async function staffPage(username: string): Promise<Page> {
  const page = await browser.newPage({ viewport: STAFF_VIEW });
  pageErrors.push(collectPageErrors(page));
  await signIn(page, baseUrl, username, PASSWORD);
  return page;
}

async function seedUsers(): Promise<void> {
  await ctx.pool.query(`insert into districts (id, name, case_prefix) values ('pudong', '浦东新区', 'PD')`);
  const roles: [string, StaffRole][] = [
    ['pd_staff', 'district_staff'],
    ['pd_evidence', 'evidence_reviewer'],
    ['pd_legal', 'legal_reviewer'],
    ['pd_head', 'agency_head'],
  ];
  for (const [username, role] of roles) await seedStaff(ctx.pool, username, role, 'pudong', PASSWORD);
}

/** What district staff set up through the API: the party register, the camera, its device record and its zone. */
async function registerCameraAndParties(scene: string): Promise<void> {
  const staff = await new TestClient(ctx.app).login('pd_staff', PASSWORD);
  /** The answer of a staff API call that must succeed; a refusal stops the set-up with its message. */
  const accepted = async (res: Awaited<ReturnType<TestClient['request']>>) => {
    if (res.statusCode >= 300) throw new Error(`staff API answered ${res.statusCode}: ${res.body}`);
    return res.json() as { id: string };
  };
  for (const party of [
    { kind: 'person', ...PARTY, onlineDeliveryConsent: true, consentChannel: '窗口书面确认' },
    { kind: 'person', name: '王某某', idNumber: '310115198807070026', phone: '13800138004' },
  ])
    await accepted(await staff.request('POST', '/api/parties', party));

  const camera = await accepted(
    await staff.request('POST', '/api/cameras', {
      name: '东方路步道 1 号',
      address: '浦东新区东方路 1 号',
      source: { kind: 'file', path: scene, replay: 'as-fast' },
      sampleIntervalS: 1,
      enabled: false,
      certificateId: 'SH-PD-CAM-0101',
      legalReviewDate: '2026-01-05',
      legalReviewer: '法制审核科',
      technicalReviewDate: '2026-01-06',
      technicalReviewer: '信息技术中心',
      published: true,
    }),
  );
  cameraId = camera.id;
  await accepted(
    await staff.request('POST', `/api/cameras/${cameraId}/device-records`, {
      kind: 'test',
      performedAt: new Date(Date.now() - 86_400_000).toISOString(),
      performedBy: '维保单位',
      result: 'pass',
    }),
  );
  await accepted(
    await staff.request('PUT', `/api/cameras/${cameraId}/zones`, {
      zones: [
        {
          name: ZONE_NAME,
          kind: 'dumping_spot',
          points: [
            { x: 0.12, y: 0.25 },
            { x: 0.32, y: 0.25 },
            { x: 0.32, y: 0.6 },
            { x: 0.12, y: 0.6 },
          ],
          enabled: true,
          dwellSeconds: 15,
          cooldownSeconds: 600,
        },
      ],
    }),
  );
  // Enabled only once its zone is in place, so every frame is judged under that version.
  await accepted(await staff.request('PATCH', `/api/cameras/${cameraId}`, { enabled: true }));
}

async function startWorkers(): Promise<void> {
  rulesWorker = createRulesWorker({
    pool: ctx.pool,
    blobs: ctx.blobs,
    queues: ctx.queues,
    connection: ctx.queues.connection,
    logger,
    settings: { ...rulesWorkerSettings({}), gapTimeoutSeconds: 3, evidenceSweepSeconds: 10 },
    deliveryRetry: deliveryRetry(ctx.config),
  });
  await rulesWorker.start();

  detector = await createDetector({ threads: defaultInferenceThreads() });
  const detect = new DetectStage({
    pool: ctx.pool,
    frames: new FrameStore(ctx.blobs),
    queues: ctx.queues,
    detector,
    logger,
  });
  detectHost = new WorkerHost({
    connection: ctx.queues.connection,
    prefix: ctx.queues.prefix,
    logger,
    serves: ['detect'],
    handlers: { detect: { handle: async (p) => void (await detect.handle(p)), concurrency: 2 } },
  });
  detectHost.start();

  const notify = createNotifyServices({
    config: ctx.config,
    pool: ctx.pool,
    blobs: ctx.blobs,
    queues: ctx.queues,
    logger,
  });
  notifyHost = new WorkerHost({
    connection: ctx.queues.connection,
    prefix: ctx.queues.prefix,
    logger,
    serves: ['deliver', 'case-sweep'],
    handlers: notify.handlers,
  });
  notifyHost.start();
  await ctx.queues.schedule('case-sweep', {}, 1_000);

  supervisor = new IngestSupervisor({
    pool: ctx.pool,
    redis: ctx.queues.connection,
    prefix: ctx.queues.prefix,
    intake: new FrameIntake({
      pool: ctx.pool,
      frames: new FrameStore(ctx.blobs),
      queues: ctx.queues,
      redis: ctx.queues.connection,
      logger,
    }),
    policy: accessPolicyFromEnv({ CAMERA_LOCAL_FILE_ROOTS: scratch }),
    logger,
    reconcileMs: 300,
  });
}

beforeAll(async () => {
  await ensureAssets({ only: ['yolox-nano', 'vtest'] });
  scratch = await mkdtemp(path.join(os.tmpdir(), 'journey-'));
  const scene = await composeDumpingScene(scratch);
  gateway = await new FakeSmsGateway().start();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  ctx = await createTestContext({
    PUBLIC_BASE_URL: baseUrl,
    SMS_GATEWAY_URL: gateway.url,
    SMS_GATEWAY_ACCOUNT: 'journey',
    SMS_GATEWAY_SECRET: GATEWAY_SECRET,
    PORTAL_VERIFY_FLOOR_MS: '60',
  });
  await ctx.app.listen({ host: '127.0.0.1', port });
  await seedUsers();
  await registerCameraAndParties(scene);
  await startWorkers();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await supervisor?.stop();
  await detectHost?.stop();
  await detector?.close();
  await rulesWorker?.stop();
  await notifyHost?.stop();
  await browser?.close();
  await gateway?.stop();
  await ctx?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the whole journey in Chromium', () => {
  it('camera and zone checked, pipeline finds the dumping, two reviews, case, notice by SMS, party acknowledges, states, is decided, pays; case closed, audit chain intact', async () => {
    supervisor!.start();

    // District staff: the camera is evidence-eligible and its zone is listed on its latest frame.
    const staff = await staffPage('pd_staff');
    expect(new URL(staff.url()).pathname).toBe('/staff/cameras');
    const row = staff.locator(`#camera-list tr[data-camera-id="${cameraId}"]`);
    expect((await row.locator('td').nth(6).textContent())?.trim()).toBe('可取证');
    await waitFor(
      'the first frames of the camera',
      async () =>
        (await ctx.pool.query('select 1 from frames where camera_id = $1 and seq >= 10', [cameraId]))
          .rowCount! > 0,
      pipelineState,
    );
    await staff.goto(`${baseUrl}/staff/cameras/${cameraId}`);
    await expect.poll(() => staff.textContent('#frame-info'), { timeout: 20_000 }).toMatch(/^\d+×\d+$/);
    await expect(staff.locator(`#zone-list li[data-zone-name="${ZONE_NAME}"]`).count()).resolves.toBe(1);
    expect(await staff.locator('#camera-eligibility .status').textContent()).toBe('可取证');
    expect(await staff.locator('#eligibility-reasons').count()).toBe(0);
    await tourShot(staff, 'camera-zones', { height: 1000 });
    await staff.close();

    // The pipeline: the bottle left in the dumping spot becomes one evidence review task.
    await waitFor(
      'a review task from the pipeline',
      async () =>
        (await ctx.pool.query('select 1 from review_tasks where camera_id = $1', [cameraId])).rowCount! > 0,
      pipelineState,
      100_000,
    );
    const task = (
      await ctx.pool.query(
        `select t.stage, t.violation_type, v.id as violation_id, v.zone_id
           from review_tasks t join violations v on v.id = t.violation_id where t.camera_id = $1`,
        [cameraId],
      )
    ).rows;
    expect(task).toHaveLength(1);
    expect(task[0]).toMatchObject({ stage: 'evidence', violation_type: 'illegal_dumping' });
    const violationId: string = task[0].violation_id;
    const evidence = (
      await ctx.pool.query('select kind, storage_key, sha256 from evidence_items where violation_id = $1', [
        violationId,
      ])
    ).rows;

    // Evidence reviewer: claims with N, every hash verified, approves with A.
    const evidenceReviewer = await staffPage('pd_evidence');
    expect(new URL(evidenceReviewer.url()).pathname).toBe('/review');
    await Promise.all([
      evidenceReviewer.waitForURL(/\/review\/tasks\//),
      evidenceReviewer.keyboard.press('n'),
    ]);
    const statuses = await evidenceReviewer.locator('[data-hash-status]').allTextContents();
    expect(statuses).toHaveLength(evidence.length);
    expect(statuses.every((s) => s === '哈希校验通过')).toBe(true);
    await imagesLoaded(evidenceReviewer, 'img.zoomable');
    await tourShot(evidenceReviewer, 'review-evidence', { height: 1100 });
    await Promise.all([
      evidenceReviewer.waitForURL(/\/review\?empty=1/),
      evidenceReviewer.keyboard.press('a'),
    ]);
    await evidenceReviewer.close();

    // Legal reviewer: claims, finds the party in the register, approves; the case is filed.
    const legal = await staffPage('pd_legal');
    await Promise.all([legal.waitForURL(/\/review\/tasks\//), legal.keyboard.press('n')]);
    expect(await legal.textContent('h1')).toContain('法制审核');
    await legal.fill('#party-search', PARTY.name);
    const option = legal.locator('#party-select option', { hasText: PARTY.idNumber.slice(-4) });
    await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1);
    await legal.selectOption('#party-select', { label: (await option.textContent())! });
    await imagesLoaded(legal, 'img.zoomable');
    await tourShot(legal, 'review-legal', { height: 1100 });
    // Approving files the case: the page first shows what will be issued and to whom, then asks to confirm.
    await legal.click('#approve');
    await expect.poll(() => legal.isVisible('#approve-preview'), { timeout: 10_000 }).toBe(true);
    expect(await legal.textContent('#preview-document')).toBe('行政处罚事先告知书');
    expect(await legal.textContent('#preview-amount')).toMatch(/元（大写：.+）/);
    expect(await legal.textContent('#preview-recipient')).toContain(PARTY.name);
    await Promise.all([legal.waitForURL(/\/review\?empty=1/), legal.click('#confirm-approve')]);

    const decisions = await ctx.pool.query(
      'select stage, decision from review_tasks where violation_id = $1 order by decided_at',
      [violationId],
    );
    expect(decisions.rows).toEqual([
      { stage: 'evidence', decision: 'approve' },
      { stage: 'legal', decision: 'approve' },
    ]);
    const filed = (
      await ctx.pool.query(
        `select c.id, c.case_number, c.year, c.seq, p.name as party, k.last_seq
           from cases c join parties p on p.id = c.party_id
           join case_counters k on k.district_id = c.district_id and k.year = c.year
          where c.violation_id = $1`,
        [violationId],
      )
    ).rows;
    expect(filed).toHaveLength(1);
    const caseId: string = filed[0].id;
    const caseNumber: string = filed[0].case_number;
    expect(filed[0].party).toBe(PARTY.name);
    // The district's first case of the year, and the counter has handed out no number beyond it.
    expect(parseCaseNumber(caseNumber)).toEqual({ districtCode: 'PD', year: filed[0].year, sequence: 1 });
    expect(filed[0].seq).toBe(1);
    expect(filed[0].last_seq).toBe(1);

    // The sweep issues the advance notice and the SMS with the link reaches the gateway.
    await waitFor(
      'the advance notice SMS',
      async () => gateway.messages.length >= 1 && (await caseStatus(caseId)) === 'advance_notice_sent',
      () => caseState(caseId),
    );
    expect(gateway.messages[0]).toMatchObject({ to: PARTY.phone, signatureOk: true });
    const noticeLink = gateway.lastLink();
    expect(noticeLink.startsWith(`${baseUrl}/n/`)).toBe(true);

    // The party opens the link, passes the second factor and sees the evidence with its hashes.
    const phone = await browser.newPage({ viewport: PHONE_VIEW });
    pageErrors.push(collectPageErrors(phone));
    await openWithSecondFactor(phone, noticeLink);
    expect(await phone.textContent('#case-number')).toBe(caseNumber);
    expect(await phone.getAttribute('[data-seal]', 'data-seal')).toBe('valid');
    await imagesLoaded(phone, '#evidence img');
    const shown = await phone.$$eval('#evidence img', (imgs) =>
      imgs.map((img) => img.getAttribute('data-sha256')),
    );
    const originals = evidence.filter((e) => e.kind !== 'manifest').map((e) => e.sha256);
    expect(shown.sort()).toEqual([...originals].sort());
    await tourShot(phone, 'portal-notice', { height: 1270 });

    // Acknowledges receipt and makes a statement.
    await Promise.all([phone.waitForURL(/done=acknowledged/), phone.click('#ack-advance_notice')]);
    expect(await phone.getAttribute('#case-status', 'data-state')).toBe('statement_window');
    await phone.fill('#statement-body', '瓶子是路人放下的，不是本人倾倒。');
    await Promise.all([phone.waitForURL(/done=statement/), phone.click('#submit-statement')]);
    expect(await phone.getAttribute('#case-status', 'data-state')).toBe('statement_review');

    // The legal reviewer reads the statement on the case page, rejects it and decides.
    await legal.goto(`${baseUrl}/staff/cases/${caseId}`);
    expect(await legal.textContent('#statements')).toContain('瓶子是路人放下的');
    // The statement came in today: the decision waits for the party's periods unless it waives them in writing.
    expect(await legal.textContent('#party-periods')).toContain('届满前不作出决定');
    await legal.fill('#waiver-ref', '放弃陈述申辩声明书 浦城管〔2026〕1号');
    await Promise.all([legal.waitForURL(`**/staff/cases/${caseId}`), legal.click('#waiver-submit')]);
    expect(await legal.textContent('#party-periods')).toContain('浦城管〔2026〕1号');
    await legal.selectOption('#outcome', 'reject');
    await legal.fill('#reasons', '视频显示当事人放置瓶子后离开，无人看管超过规定时间');
    await legal.fill('#opinion', '事实清楚，证据确凿，适用依据正确，程序合法');
    await Promise.all([legal.waitForURL(`**/staff/cases/${caseId}`), legal.click('#review-submit')]);
    expect(await legal.getAttribute('#legal-review', 'data-conclusion')).toBe('approved');

    // The agency head sees what will be issued (the fine in 元 and in capitals), confirms, and decides.
    const head = await staffPage('pd_head');
    await head.goto(`${baseUrl}/staff/cases/${caseId}`);
    await Promise.all([head.waitForURL(`**/staff/cases/${caseId}/decide`), head.click('#decide-submit')]);
    const proposed = (await ctx.pool.query('select snapshot from cases where id = $1', [caseId])).rows[0]
      .snapshot.proposedFineFen as number;
    expect(Number(await head.getAttribute('#preview-amount', 'data-fen'))).toBe(proposed);
    expect(await head.textContent('#preview-capitals')).toMatch(/元/);
    await Promise.all([head.waitForURL(`**/staff/cases/${caseId}`), head.click('#confirm-decide')]);
    expect(await head.getAttribute('#case-status', 'data-state')).toBe('decided');
    await head.close();

    // The sweep issues the decision; its SMS brings a new link, which the party opens and acknowledges.
    await waitFor(
      'the decision SMS',
      async () => gateway.messages.length >= 2 && (await caseStatus(caseId)) === 'decision_delivered',
      () => caseState(caseId),
    );
    const decisionLink = gateway.lastLink();
    expect(decisionLink).not.toBe(noticeLink);
    await openWithSecondFactor(phone, decisionLink);
    await Promise.all([phone.waitForURL(/done=acknowledged/), phone.click('#ack-decision')]);
    expect(await phone.getAttribute('#case-status', 'data-state')).toBe('payment_due');
    const fine = (await ctx.pool.query('select snapshot from cases where id = $1', [caseId])).rows[0].snapshot
      .fineFen as number;
    expect(fine).toBeGreaterThan(0);
    expect(Number(await phone.getAttribute('#amount-due', 'data-fen'))).toBe(fine);

    // Pays in the sandbox and gets the sealed receipt.
    await Promise.all([phone.waitForURL(/\/sandbox\/pay\/checkout\//), phone.click('#pay-button')]);
    await Promise.all([phone.waitForURL(/done=payment/), phone.click('#sandbox-pay')]);
    expect(await phone.getAttribute('#case-status', 'data-state')).toBe('closed');
    expect(await phone.textContent('#paid-amount')).toContain('已缴纳');
    // The receipt comes first on the screen after paying: a sealed document, its link in view on the phone.
    const receiptLink = (await phone.locator('#receipt-link').boundingBox())!;
    expect(receiptLink.y + receiptLink.height).toBeLessThanOrEqual(PHONE_VIEW.height);
    expect(await phone.getAttribute('#payment [data-seal]', 'data-seal')).toBe('valid');
    await tourShot(phone, 'portal-receipt', { height: PHONE_VIEW.height });
    const documentUrl = new URL((await phone.getAttribute('#receipt-link', 'href'))!, phone.url()).toString();
    const receiptDocument = await (await phone.context().request.get(documentUrl)).text();
    expect(receiptDocument).toContain(caseNumber);
    expect(receiptDocument).toContain('北京时间');
    const pdfUrl = new URL((await phone.getAttribute('#receipt-pdf-link', 'href'))!, phone.url()).toString();
    expect((await phone.context().request.get(pdfUrl)).headers()['content-type']).toBe('application/pdf');
    // The sealed JSON stays linked for machine checks.
    const receiptUrl = new URL(
      (await phone.getAttribute('#receipt-json-link', 'href'))!,
      phone.url(),
    ).toString();
    const receiptText = await (await phone.context().request.get(receiptUrl)).text();
    const seal = (await (await phone.context().request.get(`${receiptUrl}?seal=1`)).json()) as DocumentSeal;
    const publicKey = loadSealPublicKey(await (await fetch(`${baseUrl}/portal/seal-public-key`)).text());
    expect(verifyReceipt({ text: receiptText, seal }, publicKey)).toEqual({ valid: true });
    expect(JSON.parse(receiptText)).toMatchObject({ caseNumber, amountFen: fine, lateFeeFen: 0 });
    await phone.close();

    // The case is closed, on the record and on the staff case page, with every step in order.
    expect(await caseStatus(caseId)).toBe('closed');
    await legal.reload();
    expect(await legal.getAttribute('#case-status', 'data-state')).toBe('closed');
    const steps = await legal.$$eval('#events li', (items) =>
      items.map((li) => li.getAttribute('data-event')),
    );
    expect(steps).toEqual([
      'filed',
      'send_advance_notice',
      'advance_notice_received',
      'statement_submitted',
      'rights_waived',
      'legal_review',
      'decide',
      'decision_issued',
      'deliver_decision',
      'decision_received',
      'payment_received',
      'close',
    ]);
    expect(await legal.locator('#payments [data-payment="paid"]').count()).toBe(1);
    await tourShot(legal, 'case-staff', { height: 1700 });
    await legal.close();

    // The evidence blobs are unaltered, and the audit chain over every step verifies.
    for (const item of evidence) {
      const bytes = await ctx.blobs.get(item.storage_key);
      expect(createHash('sha256').update(bytes).digest('hex'), item.storage_key).toBe(item.sha256);
    }
    const audit = await verifyAuditChain(ctx.pool);
    expect(audit).toMatchObject({ ok: true, firstBrokenId: null });
    const actions = new Set(
      (await ctx.pool.query<{ action: string }>('select action from audit_log')).rows.map((r) => r.action),
    );
    for (const step of [
      'camera.zones_replace',
      'review.decide',
      'case.file',
      'notice.issue',
      'delivery.sent',
      'portal.acknowledge',
      'statement.review',
      'case.legal_review',
      'case.decide',
      'payment.paid',
      'case.close',
    ])
      expect(actions, `audit log has ${step}`).toContain(step);
    expect(pageErrors.flat()).toEqual([]);
  }, 180_000);
});

/** Every image the selector matches has loaded. Polled from the test: the pages' CSP refuses eval in the page. */
/**
 * A README screenshot: the shared helper writes the whole page (only when SCREENSHOT_DIR is set); the tour keeps
 * one window of it, from the top or from the `from` element, at most `height` pixels tall, as a palette PNG so
 * that each picture stays small enough for the README.
 */
async function tourShot(page: Page, name: string, region: { from?: string; height: number }): Promise<void> {
  await screenshot(page, name);
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  const file = path.join(dir, `${name}.png`);
  const full = await readFile(file);
  const { width, height } = await sharp(full).metadata();
  const from = region.from
    ? Number(
        await page.evaluate(
          `document.querySelector(${JSON.stringify(region.from)}).getBoundingClientRect().top + window.scrollY`,
        ),
      )
    : 0;
  const top = Math.max(0, Math.min(height - 1, Math.floor(from) - 16));
  const crop = { left: 0, top, width, height: Math.min(region.height, height - top) };
  await writeFile(file, await sharp(full).extract(crop).png({ palette: true, effort: 10 }).toBuffer());
}

/** Opens a portal link and passes the second factor (the last four digits of the phone number on record). */
async function openWithSecondFactor(page: Page, link: string): Promise<void> {
  const token = link.split('/n/')[1]!;
  await page.goto(link);
  await page.fill('#factor', PARTY.phone.slice(-4));
  await Promise.all([page.waitForURL(`**/n/${token}`), page.click('#verify-button')]);
}
