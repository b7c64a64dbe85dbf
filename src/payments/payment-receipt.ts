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

export function verifyReceipt(receipt: SealedReceipt, publicKey: KeyObject): SealCheck {
  return verifySeal(Buffer.from(receipt.text, 'utf8'), receipt.seal, publicKey);
}
