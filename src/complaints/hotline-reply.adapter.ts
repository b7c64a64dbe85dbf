import { signedHeaders } from '../notices/hmac-signature.js';

/**
 * Pushes one complaint outcome to the hotline system: `POST <HOTLINE_REPLY_URL>` with
 * `{ complaintNumber, outcome, note, department, decidedOn, dueOn, basis }`, signed with HOTLINE_SECRET like the
 * hand-over (x-signature, x-timestamp), and `Idempotency-Key`: the reply's key, the same on every try.
 * A 2xx is taken; 4xx other than 408/429 is permanent (the request itself is refused).
 */
export class HotlineReplyError extends Error {
  override name = 'HotlineReplyError';
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export interface HotlineReplyPush {
  send(reply: { idempotencyKey: string; body: Record<string, unknown> }): Promise<void>;
}

export class HttpHotlineReplyPush implements HotlineReplyPush {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 10_000,
  ) {
    if (secret.length < 16) throw new Error('the hotline reply push needs HOTLINE_SECRET');
  }

  async send(reply: { idempotencyKey: string; body: Record<string, unknown> }): Promise<void> {
    const body = JSON.stringify(reply.body);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': reply.idempotencyKey,
          ...signedHeaders(this.secret, body),
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new HotlineReplyError(`hotline unreachable: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const s = response.status;
      throw new HotlineReplyError(`hotline answered ${s}`, s >= 400 && s < 500 && s !== 408 && s !== 429);
    }
  }
}
