import { createHash } from 'node:crypto';

/** How many refused callbacks are kept when no limits are configured. */
export const DEFAULT_REFUSED_KEEP = 1000;
const CLAIM_CHARS = 100;
const EXCERPT_CHARS = 256;

/**
 * What is kept of a refused callback: enough to see what was claimed and to match a complaint (the claimed ids,
 * the size and hash of the body, its start, the sender), never the body itself, which anyone can make 64 KB.
 */
export function refusedSummary(
  payload: Record<string, unknown>,
  rawBody: string,
  from: string,
): Record<string, unknown> {
  const claim = (value: unknown) =>
    typeof value === 'string' ? value.slice(0, CLAIM_CHARS) : typeof value === 'number' ? value : null;
  return {
    claimedEventId: claim(payload.eventId),
    orderId: claim(payload.orderId),
    merchant: claim(payload.merchant),
    status: claim(payload.status),
    amountFen: typeof payload.amountFen === 'number' ? payload.amountFen : null,
    bodyBytes: Buffer.byteLength(rawBody),
    bodySha256: createHash('sha256').update(rawBody).digest('hex'),
    excerpt: rawBody.slice(0, EXCERPT_CHARS),
    from: from.slice(0, 64),
  };
}
