import { describe, expect, it } from 'vitest';
import { generateSealKeyPair, loadSealPrivateKey, loadSealPublicKey } from '../documents/seal.js';
import { sealReceipt, verifyReceipt, type ReceiptContent } from './payment-receipt.js';
import { parsePaymentEvent } from './payment-gateway.js';

const pair = generateSealKeyPair();
const key = loadSealPrivateKey(pair.privateKeyPem);
const publicKey = loadSealPublicKey(pair.publicKeyPem);
const content: ReceiptContent = {
  receiptNumber: 'R-SH-PD-2026-000001-1',
  caseNumber: '沪浦城管非现〔2026〕第000001号',
  payer: '张某某',
  agency: '上海市浦东新区城市管理行政执法局',
  fineFen: 10_000,
  lateFeeFen: 300,
  amountFen: 10_300,
  paidAt: '2026-12-01T02:00:00.000Z',
  gateway: 'sandbox',
  gatewayOrderId: 'PAY1',
  gatewayTxnId: 'T1',
  issuedAt: '2026-12-01T02:00:01.000Z',
};

describe('electronic receipts', () => {
  it('are sealed over their exact text and verify with the public key', () => {
    const receipt = sealReceipt(content, key);
    expect(JSON.parse(receipt.text)).toMatchObject({ caseNumber: content.caseNumber, amountFen: 10_300 });
    expect(verifyReceipt(receipt, publicKey)).toEqual({ valid: true });
    expect(verifyReceipt({ ...receipt, text: receipt.text.replace('10300', '1') }, publicKey).valid).toBe(
      false,
    );
    const other = loadSealPublicKey(generateSealKeyPair().publicKeyPem);
    expect(verifyReceipt(receipt, other).valid).toBe(false);
  });

  it('refuse an amount that is not fine plus late fee', () => {
    expect(() => sealReceipt({ ...content, amountFen: 10_000 }, key)).toThrow(
      /not fine 10000 \+ late fee 300/,
    );
  });
});

describe('payment events', () => {
  it('are read only when every field has its kind', () => {
    const good = {
      eventId: 'evt_1',
      orderId: 'PAY1',
      status: 'paid',
      amountFen: 100,
      txnId: 'T',
      paidAt: '2026-12-01T00:00:00Z',
    };
    expect(parsePaymentEvent(good)).toMatchObject({
      eventId: 'evt_1',
      amountFen: 100,
      paidAt: new Date('2026-12-01T00:00:00Z'),
    });
    expect(parsePaymentEvent({ ...good, amountFen: '100' })).toBeNull();
    expect(parsePaymentEvent({ ...good, amountFen: 1.5 })).toBeNull();
    expect(parsePaymentEvent({ ...good, status: 'maybe' })).toBeNull();
    expect(parsePaymentEvent({ ...good, eventId: 'has space' })).toBeNull();
    expect(parsePaymentEvent({ ...good, paidAt: 'yesterday' })).toBeNull();
  });
});
