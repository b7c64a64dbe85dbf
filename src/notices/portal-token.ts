import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Notice links and portal sessions carry 32 random bytes (256 bits) as base64url. Only the SHA-256 of a
 * token is stored: a copy of the database gives no usable link. A fast hash is enough here because the token
 * is random and long; a password hash would only slow down every page.
 */

export const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface MintedToken {
  /** What goes into the link or the cookie; never stored. */
  token: string;
  /** What the database keeps. */
  hash: Buffer;
}

export function mintToken(): MintedToken {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashToken(token) };
}

/**
 * The key a delivery's link is derived from, itself derived from the cookie secret: kept in configuration, never
 * in the database, so a copy of the database still gives no usable link.
 */
export function portalLinkKey(cookieSecret: string): Buffer {
  return createHmac('sha256', cookieSecret).update('portal-link-key').digest();
}

/**
 * A delivery's link token: the same for every attempt of the delivery (a send retried after a crash or a timeout
 * carries the link the first attempt may already have delivered), different for every delivery.
 */
export function deliveryToken(linkKey: Buffer, deliveryId: string): MintedToken {
  const token = createHmac('sha256', linkKey).update(`delivery:${deliveryId}`).digest('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A cheap shape check before any lookup; the answer for a malformed token is the same as for an unknown one. */
export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/**
 * What the party must type besides the link: the last 4 digits of the phone the notice went to, or the last 6
 * characters of the ID number or unified social credit code. Answers are compared case-insensitively, without
 * spaces.
 */
export type SecondFactorKind = 'phone' | 'id';

export function normaliseFactor(answer: string): string {
  return answer.replace(/\s+/g, '').toUpperCase();
}

export function expectedFactors(party: {
  phone: string | null;
  id_number: string | null;
}): Record<SecondFactorKind, string | null> {
  const digits = party.phone?.replace(/\D/g, '') ?? '';
  const id = normaliseFactor(party.id_number ?? '');
  return { phone: digits.length >= 4 ? digits.slice(-4) : null, id: id.length >= 6 ? id.slice(-6) : null };
}

/**
 * Compares digests in constant time against both accepted factors, or against dummies when the link is unknown,
 * so the work done does not tell a wrong answer from an unknown link.
 */
export function factorMatches(
  answer: string,
  party: { phone: string | null; id_number: string | null } | null,
): boolean {
  const given = createHash('sha256').update(normaliseFactor(answer)).digest();
  const expected = party ? expectedFactors(party) : { phone: null, id: null };
  let matched = false;
  for (const candidate of [expected.phone, expected.id]) {
    const digest = candidate === null ? randomBytes(32) : createHash('sha256').update(candidate).digest();
    if (timingSafeEqual(given, digest) && candidate !== null) matched = true;
  }
  return matched;
}

/** Compares two stored hashes in constant time. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
