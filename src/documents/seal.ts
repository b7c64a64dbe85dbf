import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * The electronic seal (电子公章, Pudong art. 13): an Ed25519 signature over the SHA-256 of the document's bytes.
 * The seal travels beside the PDF, since a signature inside the file would change the bytes it signs. Anyone
 * holding the public key the portal publishes can check that a document is the one the agency issued, byte
 * for byte.
 */

export interface DocumentSeal {
  algorithm: 'Ed25519';
  digest: 'SHA-256';
  /** SHA-256 of the document bytes, hex. */
  documentSha256: string;
  /** Ed25519 signature over the 32 raw digest bytes, base64. */
  signature: string;
  /** Fingerprint of the public key that verifies it (see `keyFingerprint`). */
  keyId: string;
}

export type SealCheck = { valid: true } | { valid: false; reason: string };

export class SealKeyError extends Error {
  override name = 'SealKeyError';
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Reads the agency's private key; refuses anything but Ed25519 so a wrong key cannot produce odd seals. */
export function loadSealPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new SealKeyError(`seal private key is not a readable PEM private key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SealKeyError(
      `seal private key must be Ed25519, got ${key.asymmetricKeyType ?? 'an unknown type'}`,
    );
  }
  return key;
}

/** Reads a published public key (SPKI PEM), or derives it from a private key PEM. */
export function loadSealPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new SealKeyError(`seal public key is not a readable PEM key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SealKeyError(
      `seal public key must be Ed25519, got ${key.asymmetricKeyType ?? 'an unknown type'}`,
    );
  }
  return key;
}

/** The PEM the portal publishes. */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** SHA-256 of the DER public key, hex: short enough to print on a document and match against the portal. */
export function keyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

/** A fresh key pair, for development and tests; a bureau's production key is provisioned and kept offline. */
export function generateSealKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function sealDocument(bytes: Uint8Array, privateKey: KeyObject): DocumentSeal {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SealKeyError('sealing needs the Ed25519 private key');
  }
  const digest = createHash('sha256').update(bytes).digest();
  return {
    algorithm: 'Ed25519',
    digest: 'SHA-256',
    documentSha256: digest.toString('hex'),
    signature: sign(null, digest, privateKey).toString('base64'),
    keyId: keyFingerprint(privateKey),
  };
}

export function verifySeal(bytes: Uint8Array, seal: DocumentSeal, publicKey: KeyObject): SealCheck {
  if (seal.algorithm !== 'Ed25519' || seal.digest !== 'SHA-256') {
    return { valid: false, reason: `unsupported seal ${String(seal.algorithm)}/${String(seal.digest)}` };
  }
  if (seal.keyId !== keyFingerprint(publicKey)) {
    return { valid: false, reason: 'the seal was made with a different key than the one given' };
  }
  const digest = createHash('sha256').update(bytes).digest();
  if (digest.toString('hex') !== seal.documentSha256) {
    return { valid: false, reason: 'the document bytes do not match the sealed hash' };
  }
  const signature = Buffer.from(seal.signature, 'base64');
  if (!verify(null, digest, publicKey, signature))
    return { valid: false, reason: 'the signature does not verify' };
  return { valid: true };
}
