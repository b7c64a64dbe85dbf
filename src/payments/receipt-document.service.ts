import type { DocumentTools } from '../cases/case-document.service.js';
import { portalCaseUrl } from '../cases/case-document.service.js';
import type { Pool } from '../db/pool.js';
import { issueReceiptDocument } from '../documents/receipt-document.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { FiscalEbillPlatform } from './fiscal-ebill.js';
import { receiptContent, type ReceiptDocumentRecord } from './payment-receipt.js';
import { findPayment, setReceiptDocument, type PaymentRow } from './payment.repo.js';

/**
 * The readable receipt of a paid payment: asks the fiscal e-bill platform for the bill, renders the receipt
 * (HTML and PDF) from the sealed JSON receipt and the bill, seals both renderings, stores them once under
 * content-addressed keys and records them on the payment. It runs after the payment's transaction (the
 * platform is a remote call), and again on first view if that run did not finish, so a receipt is never lost;
 * both give the same bytes, since the platform answers a repeated request with the same bill.
 */

export interface ReceiptDocumentDeps {
  pool: Pool;
  blobs: BlobStore;
  /** the CJK font and the seal key, loaded once per process */
  tools: () => Promise<DocumentTools>;
  /** null when no platform is connected: the receipt says the bill is pending */
  ebill: FiscalEbillPlatform | null;
  publicBaseUrl: string;
  warn: (message: string, data: Record<string, unknown>) => void;
}

export class ReceiptDocumentService {
  constructor(private readonly deps: ReceiptDocumentDeps) {}

  /** Renderings under way in this process: views racing the first rendering wait for it. */
  private readonly building = new Map<string, Promise<ReceiptDocumentRecord | null>>();

  /** The receipt document of a paid payment, rendered and recorded now if it was not yet. */
  async ensure(payment: PaymentRow): Promise<ReceiptDocumentRecord | null> {
    const receipt = payment.receipt;
    if (!receipt || payment.status !== 'paid') return null;
    if (receipt.document) return receipt.document;
    const running = this.building.get(payment.id);
    if (running) return running;
    const build = this.build(payment).finally(() => this.building.delete(payment.id));
    this.building.set(payment.id, build);
    return build;
  }

  private async build(payment: PaymentRow): Promise<ReceiptDocumentRecord | null> {
    const receipt = payment.receipt!;
    const content = receiptContent(receipt);
    const ebill = await this.ebillFor(payment, content);
    const tools = await this.deps.tools();
    const base = this.deps.publicBaseUrl.replace(/\/$/, '');
    const issued = await issueReceiptDocument(
      {
        receiptNumber: content.receiptNumber,
        caseNumber: content.caseNumber,
        payer: content.payer,
        payee: content.agency,
        fineFen: content.fineFen,
        lateFeeFen: content.lateFeeFen,
        amountFen: content.amountFen,
        paidAt: new Date(content.paidAt),
        channel: payment.channel,
        gateway: content.gateway,
        orderId: content.gatewayOrderId,
        txnId: content.gatewayTxnId,
        issuedAt: new Date(content.issuedAt),
        ebill: ebill && {
          billNumber: ebill.billNumber,
          verifyUrl: ebill.verifyUrl,
          sandbox: ebill.platform === 'sandbox',
        },
        portalUrl: portalCaseUrl({ publicBaseUrl: base }, content.caseNumber),
        sealVerificationUrl: `${base}/portal/seal`,
        sealKeyFingerprint: tools.sealFingerprint,
      },
      tools,
    );
    const prefix = `documents/${payment.case_id}/payment_receipt`;
    const pdfKey = `${prefix}-${issued.pdfSeal.documentSha256}.pdf`;
    const htmlKey = `${prefix}-${issued.htmlSeal.documentSha256}.html`;
    await this.deps.blobs.put(pdfKey, issued.pdf, { ifNotExists: true, contentType: 'application/pdf' });
    await this.deps.blobs.put(htmlKey, Buffer.from(issued.html, 'utf8'), {
      ifNotExists: true,
      contentType: 'text/html; charset=utf-8',
    });
    return setReceiptDocument(this.deps.pool, payment.id, {
      pdfKey,
      htmlKey,
      pdfSeal: issued.pdfSeal,
      htmlSeal: issued.htmlSeal,
      ebill,
    });
  }

  /** After a payment is settled; a failure is logged and the first view renders it instead. */
  async afterPaid(paymentId: string): Promise<void> {
    try {
      const payment = await findPayment(this.deps.pool, paymentId);
      if (payment) await this.ensure(payment);
    } catch (error) {
      this.deps.warn('receipt document not rendered; it will be on first view', {
        paymentId,
        err: (error as Error).message,
      });
    }
  }

  /** The stored bytes of a receipt document, rendering it first if needed. */
  async file(payment: PaymentRow, format: 'pdf' | 'html'): Promise<Buffer | null> {
    const document = await this.ensure(payment);
    if (!document) return null;
    return this.deps.blobs.get(format === 'pdf' ? document.pdfKey : document.htmlKey);
  }

  private async ebillFor(
    payment: PaymentRow,
    content: ReturnType<typeof receiptContent>,
  ): Promise<ReceiptDocumentRecord['ebill']> {
    const platform = this.deps.ebill;
    if (!platform) return null;
    try {
      const bill = await platform.issue({
        paymentId: payment.id,
        receiptNumber: content.receiptNumber,
        caseNumber: content.caseNumber,
        payer: content.payer,
        payee: content.agency,
        fineFen: content.fineFen,
        lateFeeFen: content.lateFeeFen,
        amountFen: content.amountFen,
        paidAt: new Date(content.paidAt),
        channel: payment.channel,
      });
      return {
        platform: platform.name,
        billNumber: bill.billNumber,
        verifyUrl: bill.verifyUrl,
        issuedAt: bill.issuedAt.toISOString(),
      };
    } catch (error) {
      // The money is received either way; the receipt then says the bill is pending (see docs/portal.md).
      this.deps.warn('fiscal e-bill not issued', { paymentId: payment.id, err: (error as Error).message });
      return null;
    }
  }
}
