import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseService } from '../../src/cases/case.service.js';
import { loadOrCreateSealKey } from '../../src/cases/seal-key.adapter.js';
import { publicKeyPem, loadSealPublicKey, verifySeal } from '../../src/documents/seal.js';
import { HttpGatewayChannel } from '../../src/notices/http-gateway.adapter.js';
import { createNotifyServices, type NotifyServices } from '../../src/app/notify-worker.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestContext, type TestContext } from '../support/test-app.js';
import {
  FakeSmsGateway,
  GATEWAY_SECRET,
  LEGAL_OPINION,
  fileCase,
  seedCaseParty,
  seedPudong,
} from '../support/case-fixtures.js';

const run = promisify(execFile);
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let services: NotifyServices;
let gateway: FakeSmsGateway;

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  gateway = await new FakeSmsGateway().start();
  const sms = new HttpGatewayChannel({
    kind: 'sms',
    baseUrl: gateway.url,
    account: 'test',
    secret: GATEWAY_SECRET,
    callbackUrl: 'http://127.0.0.1:1/unused',
  });
  services = createNotifyServices({
    config: ctx.config,
    pool: ctx.pool,
    blobs: ctx.blobs,
    queues: ctx.queues,
    logger: createLogger('silent', 'test'),
    channels: { sms },
  });
});
afterAll(async () => {
  await gateway.stop();
  await ctx.close();
});

async function pdfText(bytes: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'notice-pdf-'));
  try {
    const file = path.join(dir, 'notice.pdf');
    await writeFile(file, bytes);
    return (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('an approved violation becomes a case whose advance notice the sweep issues', () => {
  it('files the case, then issues a sealed advance notice with the case number and the Chinese legal basis', async () => {
    const party = await seedCaseParty(ctx);
    const caseId = await fileCase(ctx, seed, party.id);
    const filed = await ctx.pool.query('select case_number, status, snapshot from cases where id = $1', [
      caseId,
    ]);
    expect(filed.rows[0].status).toBe('filed');
    expect(filed.rows[0].case_number).toMatch(/^沪浦城管非现〔\d{4}〕第\d{6}号$/);

    const report = await services.sweep.sweep();
    expect(report.errors).toEqual([]);
    expect(report.advanceNotices).toBe(1);

    const c = (await ctx.pool.query('select status, snapshot from cases where id = $1', [caseId])).rows[0];
    expect(c.status).toBe('advance_notice_sent');
    expect(c.snapshot.steps.send_advance_notice).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const notice = (
      await ctx.pool.query(`select * from notices where case_id = $1 and kind = 'advance_notice'`, [caseId])
    ).rows[0];
    const pdf = await ctx.blobs.get(notice.document_key);
    const text = await pdfText(pdf);
    expect(text).toContain(filed.rows[0].case_number);
    expect(text).toContain('行政处罚事先告知书');
    expect(text).toContain('上海市市容环境卫生管理条例');
    expect(text).toContain('第二十五条');
    expect(text).toContain('现场照片1');
    expect(text).toContain('现场照片2');

    // The seal verifies with the key the portal publishes, and names the stored hash.
    const key = await loadOrCreateSealKey(ctx.config);
    const publicKey = loadSealPublicKey(publicKeyPem(key.key));
    expect(verifySeal(pdf, notice.seal.pdf, publicKey)).toEqual({ valid: true });
    expect(notice.document_sha256).toBe(notice.seal.pdf.documentSha256);
    const html = await ctx.blobs.get(notice.html_key);
    expect(verifySeal(html, notice.seal.html, publicKey)).toEqual({ valid: true });
    expect(verifySeal(Buffer.concat([pdf, Buffer.from(' ')]), notice.seal.pdf, publicKey).valid).toBe(false);

    const deliveries = (
      await ctx.pool.query('select channel, status, address from deliveries where notice_id = $1', [
        notice.id,
      ])
    ).rows;
    expect(deliveries).toEqual([{ channel: 'sms', status: 'pending', address: '13800138000' }]);
    const events = (
      await ctx.pool.query('select kind from case_events where case_id = $1 order by id', [caseId])
    ).rows.map((r) => r.kind);
    expect(events).toEqual(['filed', 'send_advance_notice']);
  });

  it('a second sweep issues nothing twice', async () => {
    const before = (await ctx.pool.query('select count(*)::int as n from notices')).rows[0].n;
    const report = await services.sweep.sweep();
    expect(report.advanceNotices).toBe(0);
    expect((await ctx.pool.query('select count(*)::int as n from notices')).rows[0].n).toBe(before);
  });

  it('a party without recorded consent still gets the advance notice by SMS (Pudong art. 11)', async () => {
    const party = await seedCaseParty(ctx, { consent: false });
    const caseId = await fileCase(ctx, seed, party.id);
    await services.sweep.sweep();
    const rows = (
      await ctx.pool.query(
        `select d.channel, d.status, d.last_error from deliveries d join notices n on n.id = d.notice_id where n.case_id = $1`,
        [caseId],
      )
    ).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'sms', status: 'pending', last_error: null });
  });

  it('a party without recorded consent gets no online delivery of the decision: it is marked for postal delivery', async () => {
    const party = await seedCaseParty(ctx, { consent: false });
    const caseId = await fileCase(ctx, seed, party.id);
    const cases = new CaseService(ctx.pool);
    const on = cases.today();
    for (const event of [
      { type: 'send_advance_notice', on },
      { type: 'advance_notice_received', on },
      { type: 'rights_waived', on, waiverReference: '放弃陈述申辩声明书 测试-002' },
      { type: 'legal_review', on, conclusion: 'approved', opinion: LEGAL_OPINION, reviewerId: 'test-legal' },
      { type: 'decide', on, deciderId: 'test-head' },
    ] as const) {
      await cases.apply(caseId, event, { kind: 'system', id: 'test' });
    }
    expect(await services.notices.issue(caseId, 'decision')).not.toBeNull();
    const rows = (
      await ctx.pool.query(
        `select d.channel, d.status, d.last_error from deliveries d join notices n on n.id = d.notice_id
          where n.case_id = $1 and n.kind = 'decision'`,
        [caseId],
      )
    ).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'postal', status: 'fallback' });
    expect(rows[0].last_error).toMatch(/consent/);
  });
});
