import {
  DeliveryError,
  type DeliveryChannel,
  type DeliveryMessage,
  type OnlineChannel,
  type SendResult,
} from './delivery-channel.js';
import { signedHeaders } from './hmac-signature.js';

/**
 * The SMS gateway and the app push service speak the same generic JSON API: `POST <base>/messages` with an
 * HMAC-signed body (see hmac-signature.ts) and the account in `x-account`; a 2xx answer carries the provider's
 * `messageId`. Receipts come back later, signed the same way, to /api/deliveries/receipts/<channel>.
 *
 * Request body: `{ to, text, title?, url?, clientRef, callbackUrl }`; `clientRef` is our delivery id, also sent as
 * the `Idempotency-Key` header: a retry after a lost answer repeats the same key, and the provider answers it
 * with the first message's id instead of texting the party twice.
 */

export interface HttpGatewayOptions {
  kind: Extract<OnlineChannel, 'sms' | 'push'>;
  baseUrl: string;
  account: string;
  secret: string;
  /** Where the provider sends delivery receipts. */
  callbackUrl: string;
  timeoutMs?: number;
}

export class HttpGatewayChannel implements DeliveryChannel {
  readonly kind: 'sms' | 'push';

  constructor(private readonly options: HttpGatewayOptions) {
    if (!options.secret)
      throw new Error(`${options.kind} gateway at ${options.baseUrl} needs its shared secret`);
    this.kind = options.kind;
  }

  async send(message: DeliveryMessage): Promise<SendResult> {
    const body = JSON.stringify({
      to: message.to,
      text: message.text,
      ...(this.kind === 'push' ? { title: message.subject, url: message.link } : {}),
      clientRef: message.deliveryId,
      callbackUrl: this.options.callbackUrl,
    });
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/messages`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-account': this.options.account,
          'idempotency-key': message.deliveryId,
          ...signedHeaders(this.options.secret, body),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        redirect: 'error',
      });
    } catch (error) {
      throw new DeliveryError(`${this.kind} gateway ${url} unreachable: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      // 4xx other than throttling means the request itself is refused (bad number, bad account): retrying repeats it.
      const permanent =
        response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
      throw new DeliveryError(
        `${this.kind} gateway answered ${response.status}: ${text.slice(0, 200)}`,
        permanent,
      );
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new DeliveryError(
        `${this.kind} gateway answered ${response.status} with a body that is not JSON`,
      );
    }
    const messageId = parsed.messageId;
    if (typeof messageId !== 'string' || messageId === '') {
      throw new DeliveryError(`${this.kind} gateway answered without a messageId`);
    }
    return { providerMessageId: messageId, response: parsed };
  }
}
