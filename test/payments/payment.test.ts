import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/law/local-date.js';
import { loadSealPublicKey, type DocumentSeal } from '../../src/documents/seal.js';
import { signedHeaders } from '../../src/notices/hmac-signature.js';
import { verifyReceipt } from '../../src/payments/payment-receipt.js';
import { sandboxCallbackBody } from '../../src/payments/sandbox-provider.routes.js';
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

beforeAll(async () => {
  world = await startPortalWorld();
  await seedStaff(world.ctx.pool, 'pay-legal', 'legal_reviewer', 'pudong');
  legal = await new TestClient(world.ctx.app).login('pay-legal', 'a long test password');
  await seedStaff(world.ctx.pool, 'pay-head', 'agency_head', 'pudong');
  head = await new TestClient(world.ctx.app).login('pay-head', 'a long test password');
});
afterAll(() => world.close());

const caseState = async (caseId: string) =>
  (await world.ctx.pool.query('select status, snapshot from cases where id = $1', [caseId])).rows[0];
const noticeOf = async (caseId: string, kind: string) =>
  (await world.ctx.pool.query('select id from notices where case_id = $1 and kind = $2', [caseId, kind]))
    .rows[0].id as string;

/** Notice acknowledged, rights waived, decided, decision issued, sent and acknowledged: the fine is due. */
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
  expect((await caseState(caseId)).status).toBe('decision_delivered');
  await browser.post(`/n/${token}/acknowledge`, { noticeId: await noticeOf(caseId, 'decision') });
  expect((await caseState(caseId)).status).toBe('payment_due');
  return { caseId, token, browser };
}

async function postCallback(
  body: string,
  secret = world.ctx.config.paymentGatewaySecret,
): Promise<{ status: number; outcome: string }> {
  const response = await fetch(`${world.baseUrl}/api/payments/callback/sandbox`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) },
    body,
  });
  return { status: response.status, outcome: ((await response.json()) as { outcome: string }).outcome };
}

describe('paying a fine', () => {
  it('shows the amount computed by the server, pays through the sandbox provider, closes the case and issues a sealed receipt', async () => {
    const { caseId, token, browser } = await caseAwaitingPayment();
    const fine = (await caseState(caseId)).snapshot.fineFen;
    const page = await (await browser.get(`/n/${token}`)).text();
    expect(page).toContain(`data-fen="${fine}"`);
    const pay = await browser.post(`/n/${token}/pay`, {});
    expect(pay.status).toBe(303);
    const checkout = pay.headers.get('location')!;
    expect(checkout).toMatch(/\/sandbox\/pay\/checkout\/PAY[0-9A-Z]+$/);
    const payPage = await (await browser.get(checkout)).text();
    expect(payPage).toContain('SANDBOX');
    const paid = await browser.post(`${checkout}/pay`, {});
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${world.baseUrl}/n/${token}/payment/return`);
    expect((await browser.get(paid.headers.get('location')!)).status).toBe(303);

    const c = await caseState(caseId);
    expect(c.status).toBe('closed');
    expect(c.snapshot.outcome).toBe('paid');
    expect(c.snapshot.paidFen).toBe(fine);
    const receipt = await browser.get(`/n/${token}/receipt.json`);
    const text = await receipt.text();
    const seal = (await (await browser.get(`/n/${token}/receipt.json?seal=1`)).json()) as DocumentSeal;
    const publicKey = loadSealPublicKey(
      await (await fetch(`${world.baseUrl}/portal/seal-public-key`)).text(),
    );
    expect(verifyReceipt({ text, seal }, publicKey)).toEqual({ valid: true });
    expect(JSON.parse(text)).toMatchObject({ amountFen: fine, lateFeeFen: 0 });
    const events = (
      await world.ctx.pool.query('select kind from case_events where case_id = $1 order by id', [caseId])
    ).rows.map((r) => r.kind);
    expect(events.slice(-4)).toEqual(['deliver_decision', 'decision_received', 'payment_received', 'close']);
  });

  it('a replayed callback changes nothing, and a forged one is refused and kept without blocking the real event', async () => {
    const { caseId, token, browser } = await caseAwaitingPayment();
    const checkout = (await browser.post(`/n/${token}/pay`, {})).headers.get('location')!;
    const orderId = checkout.split('/').pop()!;
    const payment = (
      await world.ctx.pool.query('select amount_fen from payments where gateway_order_id = $1', [orderId])
    ).rows[0];
    const real = {
      merchant: world.ctx.config.paymentGatewayMerchant,
      orderId,
      amountFen: payment.amount_fen,
      txnId: 'T-1',
      paidAt: new Date().toISOString(),
      eventId: 'evt_real_1',
    };

    // A forger who knows the order claims the real event id first, without the secret.
    const forged = await postCallback(sandboxCallbackBody(real), 'not the provider secret at all');
    expect(forged.status).toBe(401);
    const wrongAmount = await postCallback(
      sandboxCallbackBody({ ...real, eventId: 'evt_low', amountFen: 1 }),
    );
    expect(wrongAmount.outcome).toMatch(/refused: paid 1 fen/);
    expect((await caseState(caseId)).status).toBe('payment_due');

    expect(await postCallback(sandboxCallbackBody(real))).toEqual({ status: 200, outcome: 'paid' });
    const replay = await postCallback(sandboxCallbackBody(real));
    expect(replay).toEqual({ status: 200, outcome: 'duplicate: already handled' });
    const after = await caseState(caseId);
    expect(after.status).toBe('closed');
    const rows = (
      await world.ctx.pool.query(
        `select event_id, signature_ok, outcome from payment_callbacks where payload->>'orderId' = $1 order by id`,
        [orderId],
      )
    ).rows;
    expect(rows.map((r) => [r.signature_ok, r.outcome.split(':')[0]])).toEqual([
      [false, 'refused'],
      [true, 'refused'],
      [true, 'paid'],
    ]);
    expect(rows[0].event_id).toMatch(/^unverified-/);
    const paidCount = (
      await world.ctx.pool.query(
        `select count(*)::int as n from payments where case_id = $1 and status = 'paid'`,
        [caseId],
      )
    ).rows[0].n;
    expect(paidCount).toBe(1);
  });

  it('adds the late fee of 3 % a day after the deadline, computed on the server', async () => {
    const { caseId, token, browser } = await caseAwaitingPayment();
    const c = await caseState(caseId);
    const today = c.snapshot.lastEventOn;
    // The deadline four days ago: the party now owes four days of late fee.
    const snapshot = { ...c.snapshot, deadlines: { ...c.snapshot.deadlines, payment: addDays(today, -4) } };
    await world.ctx.pool.query('update cases set snapshot = $2 where id = $1', [
      caseId,
      JSON.stringify(snapshot),
    ]);
    const fee = Math.floor((snapshot.fineFen * 3 * 4) / 100);
    const page = await (await browser.get(`/n/${token}`)).text();
    expect(page).toContain(`data-fen="${snapshot.fineFen + fee}"`);
    const checkout = (await browser.post(`/n/${token}/pay`, {})).headers.get('location')!;
    await browser.post(`${checkout}/pay`, {});
    const paid = await caseState(caseId);
    expect(paid.status).toBe('closed');
    expect(paid.snapshot.lateFeePaidFen).toBe(fee);
  });
});
