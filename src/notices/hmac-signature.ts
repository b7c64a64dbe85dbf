import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature every provider exchange uses (SMS and push gateways, their delivery receipts, the payment
 * gateway and its callbacks): HMAC-SHA256 over `<timestamp>.<raw body>` with a shared secret, sent as
 * `x-timestamp` and `x-signature` (hex). The timestamp bounds how long a captured request stays replayable;
 * whoever receives a signed request still makes it idempotent by its event or message id.
 */

export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-timestamp';
/** How far a signed request's clock may be from ours. */
export const DEFAULT_TOLERANCE_S = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function signPayload(secret: string, timestampS: number, body: string): string {
  if (!secret) throw new Error('cannot sign: the shared secret is empty');
  return createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
}

/** Headers for a signed request made now. */
export function signedHeaders(secret: string, body: string, nowMs = Date.now()): Record<string, string> {
  const timestampS = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestampS),
    [SIGNATURE_HEADER]: signPayload(secret, timestampS, body),
  };
}

export function verifyPayload(
  secret: string,
  headers: { timestamp?: string | string[]; signature?: string | string[] },
  body: string,
  nowMs = Date.now(),
  toleranceS = DEFAULT_TOLERANCE_S,
): SignatureCheck {
  const timestamp = single(headers.timestamp);
  const signature = single(headers.signature);
  if (!secret) return { ok: false, reason: 'no shared secret is configured' };
  if (!timestamp || !/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: `missing or malformed ${TIMESTAMP_HEADER}` };
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature))
    return { ok: false, reason: `missing or malformed ${SIGNATURE_HEADER}` };
  const skew = Math.abs(nowMs / 1000 - Number(timestamp));
  if (skew > toleranceS)
    return {
      ok: false,
      reason: `timestamp is ${Math.round(skew)} s away from now (tolerance ${toleranceS} s)`,
    };
  const expected = Buffer.from(signPayload(secret, Number(timestamp), body), 'hex');
  const given = Buffer.from(signature.toLowerCase(), 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
