import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.js';
import { formatYuan } from '../law/money.js';
import {
  signedHeaders,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyPayload,
} from '../notices/hmac-signature.js';
import { keepRawJsonBody } from '../http/raw-body.js';
import { NotFoundError, UnauthorizedError, ValidationError } from '../shared/errors.js';
import { html } from '../web/html.js';
import { page, sendPage } from '../web/layout.js';

/**
 * THE SANDBOX: a stand-in payment provider served by this app for demos and tests, speaking the protocol of
 * hmac-gateway.adapter.ts with the shared secret (PAYMENT_GATEWAY_SECRET). Registered only when PAYMENT_SANDBOX
 * is on, which production never defaults to. No money moves: the checkout page's button marks the order paid
 * and sends the signed callback, as a provider would.
 */

interface SandboxOrder {
  merchant: string;
  orderId: string;
  amountFen: number;
  description: string;
  returnUrl: string;
  notifyUrl: string;
  expiresAt: string;
  status: 'pending' | 'paid' | 'closed';
  txnId?: string;
  paidAt?: string;
  eventId?: string;
}

const CreateBody = Type.Object({
  merchant: Type.String({ minLength: 1, maxLength: 64 }),
  orderId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  amountFen: Type.Integer({ minimum: 1 }),
  currency: Type.Literal('CNY'),
  description: Type.String({ maxLength: 200 }),
  returnUrl: Type.String({ pattern: '^https?://' }),
  notifyUrl: Type.String({ pattern: '^https?://' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
const OrderParams = Type.Object({ orderId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export interface SandboxProviderDeps {
  config: Config;
  redis: Redis;
}

export const sandboxProviderRoutes: FastifyPluginAsyncTypebox<SandboxProviderDeps> = async (app, deps) => {
  keepRawJsonBody(app);
  const secret = deps.config.paymentGatewaySecret;
  const key = (orderId: string) => `${deps.config.queuePrefix}:sandbox-pay:${orderId}`;
  const load = async (orderId: string): Promise<SandboxOrder> => {
    const text = await deps.redis.get(key(orderId));
    if (!text) throw new NotFoundError('sandbox order');
    return JSON.parse(text) as SandboxOrder;
  };
  const save = (order: SandboxOrder) =>
    deps.redis.set(key(order.orderId), JSON.stringify(order), 'EX', 7 * 24 * 3600);
  const checkSignature = (headers: Record<string, string | string[] | undefined>, signed: string) => {
    const check = verifyPayload(
      secret,
      { timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER] },
      signed,
    );
    if (!check.ok) throw new UnauthorizedError(`sandbox provider refused the request: ${check.reason}`);
  };

  app.post(
    '/sandbox/pay/api/orders',
    { schema: { hide: true, body: CreateBody } },
    async (request, reply) => {
      checkSignature(request.headers, request.rawBody ?? '');
      const body = request.body;
      await save({ ...body, status: 'pending' });
      const base = deps.config.publicBaseUrl.replace(/\/$/, '');
      return reply
        .status(201)
        .send({ orderId: body.orderId, payUrl: `${base}/sandbox/pay/checkout/${body.orderId}` });
    },
  );

  app.get(
    '/sandbox/pay/api/orders/:orderId',
    { schema: { hide: true, params: OrderParams } },
    async (request) => {
      const order = await load(request.params.orderId);
      checkSignature(request.headers, `${order.merchant}:${order.orderId}`);
      return {
        orderId: order.orderId,
        status: order.status,
        amountFen: order.amountFen,
        txnId: order.txnId,
        paidAt: order.paidAt,
      };
    },
  );

  app.get(
    '/sandbox/pay/checkout/:orderId',
    { schema: { hide: true, params: OrderParams } },
    async (request, reply) => {
      const order = await load(request.params.orderId);
      return sendPage(
        reply,
        page(
          { title: '沙箱支付 Sandbox payment', lang: 'zh-CN' },
          html`<section class="card sandbox">
            <p class="notice">
              <strong>沙箱 SANDBOX</strong> — 演示和测试用的模拟支付，不产生真实扣款。 A stand-in provider: no
              money moves.
            </p>
            <h1>${order.description}</h1>
            <p>金额 Amount: <strong id="sandbox-amount">${formatYuan(order.amountFen)}</strong></p>
            <p class="muted">订单 Order ${order.orderId} · ${order.status}</p>
            ${
              order.status === 'pending'
                ? html`<form method="post" action="/sandbox/pay/checkout/${order.orderId}/pay">
                    <button type="submit" id="sandbox-pay">确认支付 Pay</button>
                  </form>`
                : html`<p><a href="${order.returnUrl}">返回 Back</a></p>`
            }
          </section>`,
        ),
      );
    },
  );

  app.post(
    '/sandbox/pay/checkout/:orderId/pay',
    { schema: { hide: true, params: OrderParams } },
    async (request, reply) => {
      const order = await load(request.params.orderId);
      if (order.status === 'pending') {
        if (Date.parse(order.expiresAt) < Date.now())
          throw new ValidationError('the order has expired; start the payment again');
        order.status = 'paid';
        order.txnId = `SBX${Date.now()}${Math.floor(Math.random() * 1e6)}`;
        order.paidAt = new Date().toISOString();
        order.eventId = `evt_${randomUUID()}`;
        await save(order);
      }
      await sendCallback(order, secret).catch((error: Error) =>
        request.log.warn({ orderId: order.orderId, err: error.message }, 'sandbox callback failed'),
      );
      return reply.redirect(order.returnUrl, 303);
    },
  );
};

/** What a provider posts to the notify URL; exported so tests can replay or forge it. */
export function sandboxCallbackBody(
  order: Pick<SandboxOrder, 'merchant' | 'orderId' | 'amountFen' | 'txnId' | 'paidAt' | 'eventId'>,
): string {
  return JSON.stringify({
    eventId: order.eventId,
    merchant: order.merchant,
    orderId: order.orderId,
    status: 'paid',
    amountFen: order.amountFen,
    txnId: order.txnId,
    paidAt: order.paidAt,
  });
}

async function sendCallback(order: SandboxOrder, secret: string): Promise<void> {
  const body = sandboxCallbackBody(order);
  const response = await fetch(order.notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`notify URL answered ${response.status}`);
}
