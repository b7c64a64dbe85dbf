import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSealPublicKey, verifySeal } from '../../src/documents/seal.js';
import { chineseCapitalAmount } from '../../src/law/money.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { seedStaff, TestClient } from '../support/test-app.js';
import {
  caseWithLink,
  deliverLatest,
  PartyBrowser,
  startPortalWorld,
  type PortalWorld,
} from '../support/portal-client.js';

let world: PortalWorld;
let legal: TestClient;
let head: TestClient;
let window: TestClient;

beforeAll(async () => {
  world = await startPortalWorld();
  await seedStaff(world.ctx.pool, 'rcpt-legal', 'legal_reviewer', 'pudong');
  legal = await new TestClient(world.ctx.app).login('rcpt-legal', 'a long test password');
  await seedStaff(world.ctx.pool, 'rcpt-head', 'agency_head', 'pudong');
  head = await new TestClient(world.ctx.app).login('rcpt-head', 'a long test password');
  await seedStaff(world.ctx.pool, 'rcpt-window', 'district_staff', 'pudong');
  window = await new TestClient(world.ctx.app).login('rcpt-window', 'a long test password');
});
afterAll(() => world.close());

const caseRow = async (caseId: string) =>
  (await world.ctx.pool.query('select status, case_number, snapshot from cases where id = $1', [caseId]))
    .rows[0];
const noticeOf = async (caseId: string, kind: string) =>
  (await world.ctx.pool.query('select id from notices where case_id = $1 and kind = $2', [caseId, kind]))
    .rows[0].id as string;
const paymentOf = async (caseId: string) =>
  (
    await world.ctx.pool.query(`select id, receipt from payments where case_id = $1 and status = 'paid'`, [
      caseId,
    ])
  ).rows[0];

async function caseAwaitingPayment(): Promise<{ caseId: string; token: string; browser: PartyBrowser }> {
  const { caseId, token } = await caseWithLink(world);
  const browser = new PartyBrowser(world.baseUrl);
  await browser.verify(token, '8000');
  await browser.post(`/n/${token}/acknowledge`, { noticeId: await noticeOf(caseId, 'advance_notice') });
  expect((await browser.post(`/n/${token}/waive`, {})).status).toBe(303);
  const review = { conclusion: 'approved', opinion: '事实清楚，证据确凿，适用依据正确，程序合法' };
  expect((await legal.request('POST', `/api/cases/${caseId}/legal-review`, review)).statusCode).toBe(200);
  expect((await head.request('POST', `/api/cases/${caseId}/decide`, {})).statusCode).toBe(200);
  expect((await world.services.sweep.sweep()).decisions).toBeGreaterThanOrEqual(1);
  await deliverLatest(world, caseId, 'decision');
  await browser.post(`/n/${token}/acknowledge`, { noticeId: await noticeOf(caseId, 'decision') });
  expect((await caseRow(caseId)).status).toBe('payment_due');
  return { caseId, token, browser };
}

async function pdfText(pdf: Buffer): Promise<string> {
  const child = execFile('pdftotext', ['-enc', 'UTF-8', '-', '-']);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const done = new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(null) : reject(new Error(`pdftotext exited ${code}`)))),
  );
  child.stdin!.end(pdf);
  await done;
  return out.replace(/\s+/g, '');
}

/** The stored receipt document: sealed HTML and PDF, read from the blob store and checked with the portal's key. */
async function checkStoredReceipt(caseId: string, fine: number) {
  const payment = await paymentOf(caseId);
  const document = payment.receipt.document;
  expect(document.pdfKey).toBe(`documents/${caseId}/payment_receipt-${document.pdfSeal.documentSha256}.pdf`);
  expect(document.htmlKey).toBe(
    `documents/${caseId}/payment_receipt-${document.htmlSeal.documentSha256}.html`,
  );
  const publicKey = loadSealPublicKey(await (await fetch(`${world.baseUrl}/portal/seal-public-key`)).text());
  const pdf = await world.ctx.blobs.get(document.pdfKey);
  const htmlBytes = await world.ctx.blobs.get(document.htmlKey);
  expect(verifySeal(pdf, document.pdfSeal, publicKey)).toEqual({ valid: true });
  expect(verifySeal(htmlBytes, document.htmlSeal, publicKey)).toEqual({ valid: true });
  const { case_number: caseNumber } = await caseRow(caseId);
  const text = await pdfText(pdf);
  expect(text).toContain(caseNumber);
  expect(text).toContain(chineseCapitalAmount(fine));
  expect(text).toContain('北京时间');
  const html = htmlBytes.toString('utf8');
  expect(html).toContain(caseNumber);
  expect(html).toContain(`（大写：${chineseCapitalAmount(fine)}）`);
  expect(html).toContain('上海市浦东新区城市管理行政执法局');
  expect(html).toContain(document.ebill.billNumber);
  expect(document.ebill.platform).toBe('sandbox');
  return { payment, pdf, html, document };
}

describe('the readable receipt', () => {
  it('paying online produces the sealed HTML and PDF receipt, first on the page after paying', async () => {
    const { caseId, token, browser } = await caseAwaitingPayment();
    const fine = (await caseRow(caseId)).snapshot.fineFen as number;
    const checkout = (await browser.post(`/n/${token}/pay`, {})).headers.get('location')!;
    const paid = await browser.post(`${checkout}/pay`, {});
    expect((await browser.get(paid.headers.get('location')!)).status).toBe(303);
    const { pdf, html, document } = await checkStoredReceipt(caseId, fine);
    expect(html).toContain('网上缴款');

    const page = await (await browser.get(`/n/${token}?done=payment`)).text();
    const receiptAt = page.indexOf('id="receipt-link"');
    expect(receiptAt).toBeGreaterThan(0);
    expect(receiptAt).toBeLessThan(page.indexOf('id="documents"'));
    expect(page).toContain(`href="/n/${token}/receipt.html"`);
    expect(page).toContain('data-seal="valid"');
    expect(page).toContain(document.ebill.billNumber);

    const servedPdf = await browser.get(`/n/${token}/receipt.pdf`);
    expect(servedPdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await servedPdf.arrayBuffer()).equals(pdf)).toBe(true);
    const servedHtml = await browser.get(`/n/${token}/receipt.html`);
    expect(servedHtml.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await servedHtml.text()).toBe(html);
    // Stored once: viewing again renders nothing new.
    expect((await paymentOf(caseId)).receipt.document).toEqual(document);
    expect(await new PartyBrowser(world.baseUrl).get(`/n/${token}/receipt.pdf`)).toHaveProperty(
      'status',
      303,
    );
  });

  it('a payment recorded from the bank produces the sealed receipt too, served on the staff case page', async () => {
    const { caseId } = await caseAwaitingPayment();
    const fine = (await caseRow(caseId)).snapshot.fineFen as number;
    const receiptNumber = `HR${caseId.slice(0, 8)}`;
    const res = await window.request('POST', `/api/cases/${caseId}/bank-payment`, {
      channel: 'bank',
      receiptNumber,
      paidOn: shanghaiDateOf(new Date()),
      amountYuan: String(fine / 100),
    });
    expect(res.statusCode, res.body).toBe(200);
    const { payment, pdf, html } = await checkStoredReceipt(caseId, fine);
    expect(html).toContain('指定银行网点缴款');
    expect(html).toContain(receiptNumber);

    const page = (await window.request('GET', `/staff/cases/${caseId}`)).body;
    expect(page).toContain(`href="/staff/cases/${caseId}/receipts/${payment.id}.html"`);
    expect(page).toContain(`href="/staff/cases/${caseId}/receipts/${payment.id}.pdf"`);
    const staffPdf = await window.request('GET', `/staff/cases/${caseId}/receipts/${payment.id}.pdf`);
    expect(staffPdf.statusCode).toBe(200);
    expect(staffPdf.headers['content-type']).toBe('application/pdf');
    expect(staffPdf.rawPayload.equals(pdf)).toBe(true);
    const staffHtml = await window.request('GET', `/staff/cases/${caseId}/receipts/${payment.id}.html`);
    expect(staffHtml.body).toBe(html);
    const json = await window.request('GET', `/staff/cases/${caseId}/receipts/${payment.id}`);
    expect(json.body).toBe(payment.receipt.text);
    const views = await world.ctx.pool.query(
      `select data from audit_log where action = 'payment.receipt_view' and subject_id = $1 order by id`,
      [payment.id],
    );
    expect(views.rows.map((r) => r.data.format ?? 'json')).toEqual(['pdf', 'html', 'json']);
  });
});
