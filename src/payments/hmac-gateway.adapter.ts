import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signedHeaders,
  verifyPayload,
} from '../notices/hmac-signature.js';
import {
  PaymentGatewayError,
  parsePaymentEvent,
  type CallbackCheck,
  type CreateOrderInput,
  type CreatedOrder,
  type OrderState,
  type PaymentGateway,
} from './payment-gateway.js';

/**
 * A payment provider that speaks a small JSON API, every message signed with HMAC-SHA256 (hmac-signature.ts):
 *
 * - `POST <base>/orders` `{ merchant, orderId, amountFen, currency, description, returnUrl, notifyUrl, expiresAt }`
 *   answers `{ orderId, payUrl }`;
 * - `GET <base>/orders/<orderId>` (the signed "body" is `<merchant>:<orderId>`) answers
 *   `{ orderId, status, amountFen, txnId?, paidAt? }`;
 * - the callback `POST <notifyUrl>` carries `{ eventId, merchant, orderId, status, amountFen, txnId, paidAt }`.
 *
 * The sandbox under /sandbox/pay plays this provider for demos and tests.
 */

export interface HmacGatewayOptions {
  name: string;
  baseUrl: string;
  merchant: string;
  secret: string;
  timeoutMs?: number;
}

export class HmacPaymentGateway implements PaymentGateway {
  readonly name: string;

  constructor(private readonly options: HmacGatewayOptions) {
    if (options.secret.length < 16)
      throw new Error(`payment gateway ${options.name} needs a shared secret of at least 16 characters`);
    this.name = options.name;
  }

  private url(path: string): string {
    return `${this.options.baseUrl.replace(/\/$/, '')}${path}`;
  }

  async createOrder(input: CreateOrderInput): Promise<CreatedOrder> {
    const body = JSON.stringify({
      merchant: this.options.merchant,
      orderId: input.orderId,
      amountFen: input.amountFen,
      currency: 'CNY',
      description: input.description,
      returnUrl: input.returnUrl,
      notifyUrl: input.notifyUrl,
      expiresAt: input.expiresAt.toISOString(),
    });
    const answer = await this.call('POST', '/orders', body, body);
    if (typeof answer.payUrl !== 'string' || !/^https?:\/\//.test(answer.payUrl)) {
      throw new PaymentGatewayError(`payment gateway ${this.name} answered without a payUrl`);
    }
    return { redirectUrl: answer.payUrl };
  }

  async queryOrder(orderId: string): Promise<OrderState> {
    const answer = await this.call(
      'GET',
      `/orders/${encodeURIComponent(orderId)}`,
      undefined,
      `${this.options.merchant}:${orderId}`,
    );
    const event = parsePaymentEvent({ ...answer, eventId: 'query' });
    if (!event || event.orderId !== orderId)
      throw new PaymentGatewayError(
        `payment gateway ${this.name} answered an order query with an unreadable body`,
      );
    return {
      orderId,
      status: event.status,
      amountFen: event.amountFen,
      txnId: event.txnId,
      paidAt: event.paidAt,
    };
  }

  verifyCallback(headers: Record<string, string | string[] | undefined>, rawBody: string): CallbackCheck {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(rawBody) as Record<string, unknown>;
      if (typeof payload !== 'object' || payload === null) throw new Error('not an object');
    } catch {
      return { ok: false, reason: 'body is not a JSON object', payload: { raw: rawBody.slice(0, 2000) } };
    }
    const signature = verifyPayload(
      this.options.secret,
      { timestamp: headers[TIMESTAMP_HEADER], signature: headers[SIGNATURE_HEADER] },
      rawBody,
    );
    if (!signature.ok) return { ok: false, reason: signature.reason, payload };
    if (payload.merchant !== this.options.merchant)
      return { ok: false, reason: 'callback names another merchant', payload };
    const event = parsePaymentEvent(payload);
    if (!event) return { ok: false, reason: 'callback fields are missing or malformed', payload };
    return { ok: true, event, payload };
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    signed: string,
  ): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: {
          ...(body ? { 'content-type': 'application/json' } : {}),
          'x-merchant': this.options.merchant,
          ...signedHeaders(this.options.secret, signed),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
    } catch (error) {
      throw new PaymentGatewayError(`payment gateway ${this.name} unreachable: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok)
      throw new PaymentGatewayError(
        `payment gateway ${this.name} answered ${response.status} to ${method} ${path}: ${text.slice(0, 200)}`,
      );
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new PaymentGatewayError(
        `payment gateway ${this.name} answered ${method} ${path} with a body that is not JSON`,
      );
    }
  }
}
