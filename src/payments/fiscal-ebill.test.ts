import { describe, expect, it } from 'vitest';
import { fiscalEbillFromConfig, SandboxFiscalEbill, type EbillRequest } from './fiscal-ebill.js';

const request: EbillRequest = {
  paymentId: '7f1d2c3b-0000-4000-8000-000000000001',
  receiptNumber: 'R2026000001-PAY1',
  caseNumber: '沪浦城管非现〔2026〕第000001号',
  payer: '张某某',
  payee: '上海市浦东新区城市管理行政执法局',
  fineFen: 10_000,
  lateFeeFen: 0,
  amountFen: 10_000,
  paidAt: new Date('2026-12-01T02:00:00Z'),
  channel: 'online',
};

describe('the sandbox fiscal e-bill platform', () => {
  it('answers a repeated request with the same bill, and another payment with another', async () => {
    const platform = new SandboxFiscalEbill();
    const bill = await platform.issue(request);
    expect(bill.billNumber).toMatch(/^SANDBOX-3100\d{10}$/);
    expect(bill.verifyUrl).toBe(`https://fiscal-ebill-sandbox.invalid/verify?no=${bill.billNumber}`);
    expect(await platform.issue(request)).toEqual(bill);
    const other = await platform.issue({ ...request, paymentId: '7f1d2c3b-0000-4000-8000-000000000002' });
    expect(other.billNumber).not.toBe(bill.billNumber);
  });

  it('refuses an amount that is not fine plus late fee', async () => {
    await expect(new SandboxFiscalEbill().issue({ ...request, amountFen: 1 })).rejects.toThrow(
      /not fine \+ late fee/,
    );
  });

  it('is chosen by configuration; none connects no platform', () => {
    expect(fiscalEbillFromConfig({ fiscalEbill: 'sandbox' })?.name).toBe('sandbox');
    expect(fiscalEbillFromConfig({ fiscalEbill: 'none' })).toBeNull();
  });
});
