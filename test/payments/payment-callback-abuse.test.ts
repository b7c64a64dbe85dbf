import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/notices/hmac-signature.js';
import { createTestContext, type TestContext } from '../support/test-app.js';

/**
 * Anyone can post to the payment callback. Forged calls must not grow the database: refusals are limited per
 * address (429 past the limit, not stored), each kept as a short summary, and only the newest few are kept.
 */

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({
    PAYMENT_CALLBACK_REFUSED_PER_MINUTE: '5',
    PAYMENT_CALLBACK_REFUSED_KEEP: '10',
  });
});
afterAll(() => ctx.close());

const post = (body: string, headers: Record<string, string> = {}, ip = '198.51.100.7') =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/payments/callback/sandbox',
    payload: body,
    remoteAddress: ip,
    headers: { 'content-type': 'application/json', ...headers },
  });

const refusedRows = async () =>
  (
    await ctx.pool.query<{ n: number; bytes: number }>(
      `select count(*)::int as n, coalesce(max(octet_length(payload::text)), 0)::int as bytes
         from payment_callbacks where not signature_ok`,
    )
  ).rows[0]!;

describe('refused payment callbacks', () => {
  it('are limited per address, stored as a short summary, and kept only up to a count', async () => {
    const forged = (i: number) =>
      JSON.stringify({ eventId: `forged-${i}`, orderId: `PAY${i}`, status: 'paid', pad: 'x'.repeat(60_000) });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(forged(i))).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const after = await refusedRows();
    expect(after.n).toBe(5);
    // 60 KB bodies are not kept whole: a summary of at most a few hundred bytes each
    expect(after.bytes).toBeLessThan(1_000);
    const row = (
      await ctx.pool.query(
        `select payload from payment_callbacks where not signature_ok and payload->>'orderId' = 'PAY0'`,
      )
    ).rows[0].payload;
    expect(row).toMatchObject({ claimedEventId: 'forged-0', orderId: 'PAY0', from: '198.51.100.7' });
    expect(row.bodyBytes).toBeGreaterThan(60_000);
    expect(row.bodySha256).toMatch(/^[0-9a-f]{64}$/);

    // Other addresses have their own allowance, and the table never holds more than the kept count.
    for (let i = 0; i < 12; i++) {
      const ip = `203.0.113.${i + 1}`;
      expect((await post(forged(100 + i), {}, ip)).statusCode).toBe(401);
    }
    expect((await refusedRows()).n).toBe(10);
  });

  it('still accepts a signed callback while forged ones are being refused', async () => {
    for (let i = 0; i < 6; i++) await post(JSON.stringify({ eventId: `f-${i}` }), {}, '192.0.2.50');
    const body = JSON.stringify({
      eventId: 'evt-real-1',
      merchant: ctx.config.paymentGatewayMerchant,
      orderId: 'PAY-UNKNOWN',
      status: 'paid',
      amountFen: 100,
    });
    const real = await post(body, signedHeaders(ctx.config.paymentGatewaySecret, body), '192.0.2.50');
    expect(real.statusCode).toBe(200);
    expect(real.json()).toEqual({ outcome: 'ignored: unknown order' });
  });
});
