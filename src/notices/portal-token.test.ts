import { describe, expect, it } from 'vitest';
import { signedHeaders, verifyPayload } from './hmac-signature.js';
import { expectedFactors, factorMatches, hashToken, isWellFormedToken, mintToken } from './portal-token.js';

describe('portal tokens', () => {
  it('are 32 random bytes in base64url, stored only as their SHA-256', () => {
    const a = mintToken();
    const b = mintToken();
    expect(Buffer.from(a.token, 'base64url')).toHaveLength(32);
    expect(isWellFormedToken(a.token)).toBe(true);
    expect(a.token).not.toBe(b.token);
    expect(a.hash.equals(hashToken(a.token))).toBe(true);
    expect(a.hash).toHaveLength(32);
    expect(isWellFormedToken(`${a.token}=`)).toBe(false);
    expect(isWellFormedToken('../etc/passwd')).toBe(false);
  });

  it('accept the last 4 phone digits or the last 6 characters of the ID number, nothing else', () => {
    const party = { phone: '+86 138-0013-8000', id_number: '91310115ABCDEF123X' };
    expect(expectedFactors(party)).toEqual({ phone: '8000', id: 'EF123X' });
    expect(factorMatches('8000', party)).toBe(true);
    expect(factorMatches(' ef123x ', party)).toBe(true);
    expect(factorMatches('0000', party)).toBe(false);
    expect(factorMatches('38000', party)).toBe(false);
    expect(factorMatches('', party)).toBe(false);
    expect(factorMatches('8000', null)).toBe(false);
    expect(factorMatches('8000', { phone: null, id_number: '91310115ABCDEF123X' })).toBe(false);
  });
});

describe('HMAC-signed payloads', () => {
  const secret = 'a shared secret of some length';
  const body = JSON.stringify({ eventId: 'e1', amountFen: 10000 });

  it('verify with the same secret, body and a fresh timestamp', () => {
    const now = 1_800_000_000_000;
    const headers = signedHeaders(secret, body, now);
    expect(
      verifyPayload(
        secret,
        { timestamp: headers['x-timestamp'], signature: headers['x-signature'] },
        body,
        now,
      ),
    ).toEqual({ ok: true });
  });

  it('refuse another body, another secret, an old timestamp and malformed headers', () => {
    const now = 1_800_000_000_000;
    const h = signedHeaders(secret, body, now);
    const given = { timestamp: h['x-timestamp'], signature: h['x-signature'] };
    expect(verifyPayload(secret, given, body.replace('10000', '1'), now).ok).toBe(false);
    expect(verifyPayload('another secret entirely', given, body, now).ok).toBe(false);
    const late = verifyPayload(secret, given, body, now + 301_000);
    expect(late).toMatchObject({ ok: false, reason: expect.stringMatching(/tolerance/) });
    expect(verifyPayload(secret, { timestamp: 'soon', signature: given.signature }, body, now).ok).toBe(
      false,
    );
    expect(verifyPayload(secret, { timestamp: given.timestamp }, body, now).ok).toBe(false);
    expect(verifyPayload('', given, body, now).ok).toBe(false);
  });
});
