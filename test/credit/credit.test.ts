import { once } from 'node:events';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileAccessPolicy } from '../../src/ingest/access-policy.js';
import { CameraUrlRefusedError } from '../../src/ingest/ingest-errors.js';
import { AfterDecisionService } from '../../src/cases/after-decision.service.js';
import { CaseService } from '../../src/cases/case.service.js';
import { CreditRepairService } from '../../src/credit/credit-repair.service.js';
import { FileCreditPlatform, HttpCreditPlatform } from '../../src/credit/credit-platform.adapter.js';
import { CreditService } from '../../src/credit/credit.service.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyPayload } from '../../src/notices/hmac-signature.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/shared/errors.js';
import { bringToPaymentDue, fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';

/**
 * Credit publication and repair on the real database: what is published and how it is masked, the automatic
 * withdrawal of a revoked decision, repair applications (idempotent; refused for an item not published), the
 * review, and the export to the platform as a file and as a signed HTTP push to a local server.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let credit: CreditService;
let repairs: CreditRepairService;
let legal: TestClient;
let staffClient: TestClient;
const today = shanghaiDateOf(new Date());
const head = {
  id: '',
  username: 'head',
  displayName: 'head',
  role: 'agency_head' as const,
  districtId: 'pudong',
};
const clerk = {
  id: '',
  username: 'clerk',
  displayName: 'clerk',
  role: 'district_staff' as const,
  districtId: 'pudong',
};

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  credit = new CreditService(ctx.pool);
  repairs = new CreditRepairService(ctx.pool, credit);
  head.id = (await seedStaff(ctx.pool, 'cr-head', 'agency_head', 'pudong')).id;
  clerk.id = (await seedStaff(ctx.pool, 'cr-clerk', 'district_staff', 'pudong')).id;
  await seedStaff(ctx.pool, 'cr-legal', 'legal_reviewer', 'pudong');
  legal = await new TestClient(ctx.app).login('cr-legal', 'a long test password');
  staffClient = await new TestClient(ctx.app).login('cr-clerk', 'a long test password');
});
afterAll(() => ctx?.close());

async function decidedCase(kind: 'person' | 'unit', type: string): Promise<string> {
  const { id } = await seedCaseParty(ctx, {
    kind,
    idNumber: kind === 'person' ? '310115199001011234' : undefined,
  });
  const caseId = await fileCase(ctx, seed, id, type);
  await bringToPaymentDue(ctx, caseId, today);
  return caseId;
}

const itemOf = async (caseId: string) =>
  (await ctx.pool.query('select * from credit_items where case_id = $1', [caseId])).rows[0];
const count = async (table: string) =>
  Number((await ctx.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n);

describe('publication', () => {
  it('publishes the matters the rules mark, once, with an individual masked, and not the others', async () => {
    const person = await decidedCase('person', 'illegal_dumping');
    const stall = await decidedCase('unit', 'street_stall');
    expect(await credit.publishDue()).toBeGreaterThanOrEqual(1);
    expect(await credit.publishDue()).toBe(0);
    expect(await itemOf(stall)).toBeUndefined();
    const item = await itemOf(person);
    expect(item).toMatchObject({ status: 'published', shown_name: '张**', shown_code: '310115********1234' });
    expect(item.publish_until.getTime()).toBeGreaterThan(item.publish_from.getTime());

    const page = await ctx.app.inject({ method: 'GET', url: '/public/credit' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('行政处罚决定信息公示');
    expect(page.body).toContain('310115********1234');
    expect(page.body).not.toContain('310115199001011234');
    expect(page.body).not.toContain('张某某');
    const audit = await ctx.pool.query(
      `select 1 from audit_log where action = 'credit.published' and subject_id = $1`,
      [item.id],
    );
    expect(audit.rowCount).toBe(1);
  });

  it('reads the candidates in pages, so that every due case is published in one run', async () => {
    const a = await decidedCase('unit', 'shop_encroachment');
    const b = await decidedCase('unit', 'illegal_dumping');
    const c = await decidedCase('unit', 'public_space_piling');
    expect(await credit.publishDue(1)).toBe(3);
    for (const caseId of [a, b, c]) expect((await itemOf(caseId)).status).toBe('published');
  });

  it('withdraws the item of a revoked decision at once, with the reason, in public', async () => {
    const caseId = await decidedCase('unit', 'shop_encroachment');
    await credit.publishDue();
    expect((await itemOf(caseId)).status).toBe('published');
    const cases = new CaseService(ctx.pool);
    const after = new AfterDecisionService(ctx.pool, cases, (tx, change) =>
      credit.withdrawForChange(tx, change),
    );
    await after.startReview(seed.legal, caseId, {
      kind: 'litigation',
      on: today,
      body: '上海铁路运输法院',
      reference: '(2026)沪7101行初1号',
    });
    await after.concludeReview(seed.legal, caseId, {
      outcome: 'revoked',
      on: today,
      reference: '(2026)沪7101行初1号判决',
    });
    const item = await itemOf(caseId);
    expect(item.status).toBe('withdrawn');
    expect(item.removal_reason).toMatch(/撤销.*第四十八条/);
    expect(shanghaiDateOf(item.removed_at)).toBe(today);
    const page = await ctx.app.inject({ method: 'GET', url: '/public/credit' });
    const withdrawals = page.body.slice(page.body.indexOf('id="credit-withdrawals"'));
    expect(withdrawals).toContain(item.case_number);
    expect(page.body.slice(0, page.body.indexOf('id="credit-withdrawals"'))).not.toContain(
      `data-item="${item.id}"`,
    );
    // a revoked decision is never published again
    expect(await credit.publishDue()).toBe(0);
  });

  it('withdraws through the staff API too (the API process wires the hook)', async () => {
    const caseId = await decidedCase('unit', 'construction_waste');
    await credit.publishDue();
    const start = await legal.request('POST', `/api/cases/${caseId}/review-started`, {
      kind: 'reconsideration',
      on: today,
      body: '上海市浦东新区人民政府',
      reference: '浦府复〔2026〕9号',
    });
    expect(start.statusCode).toBe(200);
    const fine = (await ctx.pool.query('select snapshot from cases where id = $1', [caseId])).rows[0].snapshot
      .fineFen;
    const varied = await legal.request('POST', `/api/cases/${caseId}/review-concluded`, {
      outcome: 'varied',
      revisedFineFen: Math.floor(fine / 2),
      on: today,
      reference: '浦府复决〔2026〕9号',
    });
    expect(varied.statusCode).toBe(200);
    expect(await itemOf(caseId)).toMatchObject({ status: 'withdrawn' });
    expect((await itemOf(caseId)).removal_reason).toMatch(/变更/);
  });
});

describe('repair', () => {
  it('takes an application once per key, refuses one for an item not published, and stores nothing then', async () => {
    const caseId = await decidedCase('unit', 'public_space_piling');
    await credit.publishDue();
    const item = await itemOf(caseId);
    const first = await repairs.applyByStaff(clerk, {
      itemId: item.id,
      reason: '已整改并缴纳罚款',
      requestKey: 'key-aaaa-0001',
    });
    expect(first.created).toBe(true);
    const again = await repairs.applyByStaff(clerk, {
      itemId: item.id,
      reason: '已整改并缴纳罚款',
      requestKey: 'key-aaaa-0001',
    });
    expect(again).toMatchObject({ created: false, repair: { id: first.repair.id } });
    await expect(
      repairs.applyByStaff(clerk, { itemId: item.id, reason: '再次申请', requestKey: 'key-aaaa-0002' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      repairs.applyByStaff(clerk, { itemId: item.id, reason: '  ', requestKey: 'key-aaaa-0003' }),
    ).rejects.toBeInstanceOf(ValidationError);

    // granted by the agency head: off the public page now, the three-working-day limit recorded
    const granted = await repairs.decide(head, first.repair.id, { grant: true, note: '已履行' });
    expect(granted.status).toBe('granted');
    expect(granted.removalDueOn! > today).toBe(true);
    expect((await itemOf(caseId)).status).toBe('repaired');
    await expect(repairs.decide(head, first.repair.id, { grant: false, note: 'x' })).rejects.toBeInstanceOf(
      ConflictError,
    );

    // the item is no longer published: a new application is refused and nothing is stored
    const before = await count('credit_repairs');
    await expect(
      repairs.applyByStaff(clerk, { itemId: item.id, reason: '再申请', requestKey: 'key-aaaa-0004' }),
    ).rejects.toBeInstanceOf(ConflictError);
    const api = await staffClient.request('POST', `/api/credit/items/${item.id}/repairs`, {
      reason: '再申请',
      requestKey: 'key-aaaa-0005',
    });
    expect(api.statusCode).toBe(409);
    const unknown = await staffClient.request(
      'POST',
      '/api/credit/items/00000000-0000-4000-8000-000000000000/repairs',
      {
        reason: '申请',
        requestKey: 'key-aaaa-0006',
      },
    );
    expect(unknown.statusCode).toBe(404);
    const nul = await staffClient.request('POST', `/api/credit/items/${item.id}/repairs`, {
      reason: 'a\u0000b',
      requestKey: 'key-aaaa-0007',
    });
    expect(nul.statusCode).toBe(400);
    expect(await count('credit_repairs')).toBe(before);
    await expect(
      repairs.applyByStaff(clerk, { itemId: 'nope', reason: 'x', requestKey: 'key-aaaa-0008' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lets only a legal reviewer or the agency head decide, and a refusal needs its reason', async () => {
    const caseId = await decidedCase('unit', 'shop_encroachment');
    await credit.publishDue();
    const item = await itemOf(caseId);
    const { repair } = await repairs.applyByStaff(clerk, {
      itemId: item.id,
      reason: '已整改',
      requestKey: 'key-bbbb-0001',
    });
    await expect(repairs.decide(clerk, repair.id, { grant: true })).rejects.toMatchObject({
      statusCode: 403,
    });
    await expect(repairs.decide(head, repair.id, { grant: false })).rejects.toBeInstanceOf(ValidationError);
    const refused = await repairs.decide(head, repair.id, { grant: false, note: '未履行完毕' });
    expect(refused.status).toBe('refused');
    expect((await itemOf(caseId)).status).toBe('published');
    const page = await staffClient.request('GET', '/staff/credit');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('信用公示与修复');
    expect(page.body).toContain(`data-repair="${repair.id}"`);
  });
});

describe('export to the credit platform', () => {
  it('writes the changes to a file once, then nothing until something changes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'credit-export-'));
    try {
      const platform = new FileCreditPlatform(dir, 'jsonl');
      const sent = await credit.pushChanges(platform);
      expect(sent).toBeGreaterThan(0);
      expect(await credit.pushChanges(platform)).toBe(0);
      const [file] = await readdir(dir);
      const lines = (await readFile(path.join(dir, file!), 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(sent);
      expect(lines.map((l) => l.operation)).toEqual(
        expect.arrayContaining(['publish', 'withdraw', 'repair']),
      );
      expect(JSON.stringify(lines)).not.toContain('310115199001011234');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('pushes signed batches to a local server, retries a failed batch with the same id, and refuses a guarded URL', async () => {
    const secret = 'credit platform secret for tests';
    const received: { batchId: string; key: string | undefined; ok: boolean; count: number }[] = [];
    let fail = 1;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const check = verifyPayload(
          secret,
          { timestamp: req.headers[TIMESTAMP_HEADER], signature: req.headers[SIGNATURE_HEADER] },
          body,
        );
        const parsed = JSON.parse(body) as { batchId: string; records: unknown[] };
        received.push({
          batchId: parsed.batchId,
          key: req.headers['idempotency-key'] as string,
          ok: check.ok,
          count: parsed.records.length,
        });
        res.statusCode = fail-- > 0 ? 503 : 200;
        res.end('{}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const caseId = await decidedCase('unit', 'illegal_dumping');
      await credit.publishDue();
      expect(await itemOf(caseId)).toBeDefined();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credit`;
      const platform = new HttpCreditPlatform({
        url,
        secret,
        policy: compileAccessPolicy({ allowLoopback: true }),
      });
      await expect(credit.pushChanges(platform)).rejects.toThrow(/503/);
      const sent = await credit.pushChanges(platform);
      expect(sent).toBeGreaterThan(0);
      expect(received).toHaveLength(2);
      expect(received[0]!.batchId).toBe(received[1]!.batchId);
      expect(received[1]).toMatchObject({ ok: true, key: received[1]!.batchId, count: sent });
      expect(await credit.pushChanges(platform)).toBe(0);

      const guarded = new HttpCreditPlatform({ url, secret, policy: compileAccessPolicy() });
      await expect(guarded.send({ batchId: 'x', records: [] })).rejects.toBeInstanceOf(CameraUrlRefusedError);
      const metadata = new HttpCreditPlatform({
        url: 'http://169.254.169.254/latest',
        secret,
        policy: compileAccessPolicy({ allowLoopback: true, allowPrivate: true }),
      });
      await expect(metadata.send({ batchId: 'x', records: [] })).rejects.toBeInstanceOf(
        CameraUrlRefusedError,
      );
    } finally {
      server.close();
    }
  });
});
