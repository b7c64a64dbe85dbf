import type { KeyObject } from 'node:crypto';
import { sealDocument, verifySeal, type DocumentSeal, type SealCheck } from '../documents/seal.js';

/**
 * The electronic receipt for a paid fine: a small JSON document sealed like the case documents (Ed25519 over the
 * SHA-256 of its exact bytes). The text is kept as it was sealed, so anyone can check it with the portal's
 * public key without re-serialising anything.
 */

export interface ReceiptContent {
  receiptNumber: string;
  caseNumber: string;
  payer: string;
  agency: string;
  fineFen: number;
  lateFeeFen: number;
  amountFen: number;
  paidAt: string;
  gateway: string;
  gatewayOrderId: string;
  gatewayTxnId: string | null;
  issuedAt: string;
}

export interface SealedReceipt {
  /** The receipt as sealed, byte for byte (UTF-8 JSON). */
  text: string;
  seal: DocumentSeal;
  /** The readable receipt (HTML and PDF), rendered and sealed once after the payment is settled. */
  document?: ReceiptDocumentRecord;
}

/** Where the readable receipt is stored and its seals (the PDF is the one of record, as for case documents). */
export interface ReceiptDocumentRecord {
  pdfKey: string;
  htmlKey: string;
  pdfSeal: DocumentSeal;
  htmlSeal: DocumentSeal;
  /** the fiscal e-bill printed on it, when the platform issued one */
  ebill: { platform: string; billNumber: string; verifyUrl: string; issuedAt: string } | null;
}

export function sealReceipt(content: ReceiptContent, key: KeyObject): SealedReceipt {
  if (content.amountFen !== content.fineFen + content.lateFeeFen) {
    throw new Error(
      `receipt ${content.receiptNumber}: amount ${content.amountFen} is not fine ${content.fineFen} + late fee ${content.lateFeeFen}`,
    );
  }
  const text = JSON.stringify({ type: '罚没款电子缴款凭证', ...content });
  return { text, seal: sealDocument(Buffer.from(text, 'utf8'), key) };
}

/** The content of a sealed receipt, read back from its sealed text. */
export function receiptContent(receipt: SealedReceipt): ReceiptContent {
  const { type: _type, ...content } = JSON.parse(receipt.text) as ReceiptContent & { type: string };
  return content;
}

export function verifyReceipt(receipt: SealedReceipt, publicKey: KeyObject): SealCheck {
  return verifySeal(Buffer.from(receipt.text, 'utf8'), receipt.seal, publicKey);
}
