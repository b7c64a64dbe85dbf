import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_DIR, loadCatalogueFile } from '../law/law-config.adapter.js';
import { findViolationType, type ViolationType } from '../law/catalogue.js';
import { loadCjkFont, type CjkFont } from './cjk-font.adapter.js';
import { issueDocument } from './document-issue.js';
import { renderDocumentPdf } from './document-pdf.js';
import { sampleDocumentView } from './document-samples.js';
import {
  generateSealKeyPair,
  keyFingerprint,
  loadSealPrivateKey,
  loadSealPublicKey,
  publicKeyPem,
  sealDocument,
  SealKeyError,
  sha256Hex,
  verifySeal,
} from './seal.js';

const keys = generateSealKeyPair();
const privateKey = loadSealPrivateKey(keys.privateKeyPem);
const publishedKey = loadSealPublicKey(publicKeyPem(privateKey));

describe('electronic seal', () => {
  const bytes = Buffer.from('%PDF-1.7 行政处罚决定书 沪浦城管非现〔2026〕第000123号');

  it('verifies with the published public key', () => {
    const seal = sealDocument(bytes, privateKey);
    expect(seal.documentSha256).toBe(sha256Hex(bytes));
    expect(seal.keyId).toBe(keyFingerprint(publishedKey));
    expect(verifySeal(bytes, seal, publishedKey)).toEqual({ valid: true });
  });

  it('fails when any byte of the document changes', () => {
    const seal = sealDocument(bytes, privateKey);
    for (const index of [0, 10, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[index] = changed[index]! ^ 0x01;
      expect(verifySeal(changed, seal, publishedKey)).toEqual({
        valid: false,
        reason: 'the document bytes do not match the sealed hash',
      });
    }
  });

  it("fails when the hash and signature are swapped for another document's", () => {
    const seal = sealDocument(bytes, privateKey);
    const forged = { ...seal, documentSha256: sha256Hex(Buffer.from('other')) };
    expect(verifySeal(Buffer.from('other'), forged, publishedKey)).toEqual({
      valid: false,
      reason: 'the signature does not verify',
    });
  });

  it("fails with another agency's key", () => {
    const seal = sealDocument(bytes, privateKey);
    const stranger = loadSealPublicKey(generateSealKeyPair().publicKeyPem);
    expect(verifySeal(bytes, seal, stranger).valid).toBe(false);
    // Even if the key id is rewritten to match, the signature itself fails.
    expect(verifySeal(bytes, { ...seal, keyId: keyFingerprint(stranger) }, stranger)).toEqual({
      valid: false,
      reason: 'the signature does not verify',
    });
  });

  it('accepts only Ed25519 keys in PEM', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => loadSealPrivateKey(rsa)).toThrow(/must be Ed25519, got rsa/);
    expect(() => loadSealPrivateKey('not a key')).toThrow(SealKeyError);
    expect(() => sealDocument(bytes, publishedKey)).toThrow(/needs the Ed25519 private key/);
  });
});

describe('issuing a document', () => {
  let font: CjkFont;
  let stall: ViolationType;
  beforeAll(async () => {
    font = await loadCjkFont();
    stall = findViolationType(
      await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json')),
      'street_stall',
    );
  });

  const evidence = [
    {
      label: '现场照片1',
      capturedAt: '2026年3月2日10时15分',
      source: '世纪大道01号摄像机',
      sha256: 'ab'.repeat(32),
    },
  ];

  it('seals the PDF and the HTML, and a later rendering of the same view still verifies', async () => {
    const view = sampleDocumentView('decision', stall, evidence, {
      sealKeyFingerprint: keyFingerprint(privateKey),
    });
    const issued = await issueDocument(view, { font, sealKey: privateKey });
    expect(verifySeal(issued.pdf, issued.pdfSeal, publishedKey)).toEqual({ valid: true });
    expect(verifySeal(Buffer.from(issued.html, 'utf8'), issued.htmlSeal, publishedKey)).toEqual({
      valid: true,
    });
    expect(issued.html).toContain(keyFingerprint(privateKey));
    const again = await renderDocumentPdf(view, font);
    expect(verifySeal(again, issued.pdfSeal, publishedKey)).toEqual({ valid: true });
  });

  it('refuses to issue when the view names a different seal key', async () => {
    const view = sampleDocumentView('decision', stall, evidence, { sealKeyFingerprint: 'f'.repeat(64) });
    await expect(issueDocument(view, { font, sealKey: privateKey })).rejects.toThrow(
      /names seal key f+, but the key given is/,
    );
  });
});
