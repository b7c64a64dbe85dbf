import { createHash } from 'node:crypto';

/**
 * The fiscal department's electronic bill for a paid fine (财政电子票据, Pudong art. 14: "…出具财政部门统一制发的
 * 电子票据"). The bureau does not print the bill itself: the city's fiscal e-bill platform issues it for the
 * payment and gives its number and an address where anyone can verify it. This interface is what a bureau
 * connects to that platform (docs/portal.md, "What a bureau must configure"); the sandbox stands in for it in
 * development and tests.
 */

export interface EbillRequest {
  /** our payment id: the platform must answer a repeated request with the same bill (idempotency key) */
  paymentId: string;
  /** the receipt number printed on our receipt */
  receiptNumber: string;
  caseNumber: string;
  payer: string;
  /** the enforcement agency collecting the fine (执收单位) */
  payee: string;
  fineFen: number;
  lateFeeFen: number;
  amountFen: number;
  paidAt: Date;
  channel: 'online' | 'bank' | 'counter';
}

export interface IssuedEbill {
  billNumber: string;
  verifyUrl: string;
  issuedAt: Date;
}

export interface FiscalEbillPlatform {
  /** recorded with the bill; `sandbox` marks a bill that is not real */
  readonly name: string;
  issue(request: EbillRequest): Promise<IssuedEbill>;
}

export class FiscalEbillError extends Error {
  override name = 'FiscalEbillError';
}

/**
 * A stand-in platform: the bill number is derived from the payment id, so asking twice gives the same bill, as
 * the real platform must. The verification address is under `.invalid` and resolves nowhere; the receipt prints
 * the number as a sandbox one.
 */
export class SandboxFiscalEbill implements FiscalEbillPlatform {
  readonly name = 'sandbox';

  async issue(request: EbillRequest): Promise<IssuedEbill> {
    if (request.amountFen !== request.fineFen + request.lateFeeFen)
      throw new FiscalEbillError(`payment ${request.paymentId}: amount is not fine + late fee`);
    const digits = BigInt(`0x${createHash('sha256').update(request.paymentId).digest('hex').slice(0, 15)}`)
      .toString()
      .padStart(10, '0')
      .slice(-10);
    const billNumber = `SANDBOX-3100${digits}`;
    return {
      billNumber,
      verifyUrl: `https://fiscal-ebill-sandbox.invalid/verify?no=${billNumber}`,
      issuedAt: request.paidAt,
    };
  }
}

/** The platform chosen by FISCAL_EBILL; null when none is connected (receipts then say the bill is pending). */
export function fiscalEbillFromConfig(config: {
  fiscalEbill: 'sandbox' | 'none';
}): FiscalEbillPlatform | null {
  return config.fiscalEbill === 'sandbox' ? new SandboxFiscalEbill() : null;
}
