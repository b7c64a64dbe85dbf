import { randomBytes, randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit.repo.js';
import { agenciesConfig, agencyFor } from '../cases/agency-config.adapter.js';
import type { CaseRow } from '../cases/case.repo.js';
import { lockCase } from '../cases/case.repo.js';
import type { CaseService } from '../cases/case.service.js';
import type { LateFee } from '../law/late-fee.js';
import { formatYuan } from '../law/money.js';
import { shanghaiDateOf, type LocalDate } from '../law/local-date.js';
import type { SealKeyInfo } from '../cases/seal-key.adapter.js';
import { withTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { assertRole, canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import { assertLocalDate, compareDates } from '../law/local-date.js';
import { ConflictError, DomainError, ForbiddenError, ValidationError } from '../shared/errors.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import { amountDueOn, endOfShanghaiDay } from './amount-due.js';
import { PaymentGatewayError, type PaymentEvent, type PaymentGateway } from './payment-gateway.js';
import { sealReceipt } from './payment-receipt.js';
import type { ReceiptDocumentService } from './receipt-document.service.js';
import { DEFAULT_REFUSED_KEEP, refusedSummary } from './refused-callback.js';
import {
  findPaymentByReceiptNumber,
  insertCallback,
  insertPayment,
  insertRecordedPayment,
  insertRefusedCallback,
  lockPaymentByOrder,
  markPaid,
  receiptNames,
  setCallbackOutcome,
  setPaymentStatus,
  setRedirect,
  type PaymentChannel,
  type PaymentRow,
} from './payment.repo.js';

/**
 * Paying a fine online. The amount is computed here (fine + late fee for today, APL art. 72), never taken from
 * the browser. Only the provider's verified callback (or a query of the provider) marks a payment paid, and
 * each callback is kept: its event id makes a replay a no-op, and a forged one is stored as refused under an id
 * of ours so it can never block the real event id.
 */

/** Who records a payment made at the bank: district staff and legal reviewers of the case's district. */
const RECORDING_STAFF = ['district_staff', 'legal_reviewer', 'admin'] as const;

export interface RecordedPaymentInput {
  /** at a branch of the designated bank, or at its counter in the bureau's service hall */
  channel: Exclude<PaymentChannel, 'online'>;
  /** the bank's receipt number (回单号); one receipt pays one fine */
  receiptNumber: string;
  /** the day the party paid, as the receipt shows (Beijing date) */
  paidOn: string;
  amountFen: number;
}

export interface CallbackOutcome {
  httpStatus: number;
  outcome: string;
}

export class PaymentService {
  constructor(
    private readonly deps: {
      pool: Pool;
      gateway: PaymentGateway | null;
      cases: CaseService;
      publicBaseUrl: string;
      sealKey: () => Promise<SealKeyInfo>;
      /** Renders the readable receipt once a payment is settled; without it (tools, tests) only the JSON is sealed. */
      receipts?: ReceiptDocumentService;
      /** Limits on refused callbacks; without them (tools, tests of settling) refusals are only bounded in count. */
      refused?: { limiter: RateLimiter; perMinute: number; keep: number };
    },
  ) {}

  get available(): boolean {
    return this.deps.gateway !== null;
  }

  /** What a payment made today must be; null when the case is not payable. */
  amountDue(row: Pick<CaseRow, 'snapshot'>, today: LocalDate): LateFee | null {
    return amountDueOn(row, today);
  }

  /**
   * A fine the party paid at the designated bank (APL art. 67 para. 3: "到指定的银行或者通过电子支付系统缴纳罚款"),
   * recorded by staff from the bank's receipt; the bureau never takes the money itself (art. 67 para. 2). The
   * amount must be the fine plus the late fee up to the day of payment (art. 72 (1): "每日按罚款数额的百分之三加处罚款"),
   * checked here as for an online payment; the case then moves exactly as after one: paid, then closed.
   */
  async recordPayment(
    principal: StaffPrincipal,
    caseId: string,
    input: RecordedPaymentInput,
  ): Promise<{ state: string; paymentId: string; amountFen: number; lateFeeFen: number }> {
    assertRole(principal, RECORDING_STAFF);
    const receiptNumber = input.receiptNumber.trim();
    if (!receiptNumber)
      throw new ValidationError("a bank payment is recorded with the bank's receipt number");
    try {
      assertLocalDate(input.paidOn, 'paidOn');
    } catch {
      throw new ValidationError(`the day of payment ${input.paidOn} is not a date (YYYY-MM-DD)`);
    }
    const today = this.deps.cases.today();
    if (compareDates(input.paidOn, today) > 0)
      throw new ValidationError('a payment cannot be made in the future');
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw new ValidationError('the amount paid is a positive number of fen');
    const recorded = await this.deps.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const due = amountDueOn(row, input.paidOn);
      if (!due)
        throw new ConflictError(
          `案件 ${row.case_number} 不在待缴款状态 / case ${row.case_number} is not awaiting payment (it is ${row.status})`,
        );
      const used = await findPaymentByReceiptNumber(tx, receiptNumber);
      if (used)
        throw new ConflictError(
          `银行回单号 ${receiptNumber} 已登记 / bank receipt ${receiptNumber} is already recorded for a payment`,
        );
      if (input.amountFen !== due.totalDueFen)
        throw new ValidationError(
          `缴款金额 ${formatYuan(input.amountFen)} 与 ${input.paidOn} 应缴金额 ${formatYuan(due.totalDueFen)}（罚款 ${formatYuan(row.snapshot.fineFen)}，加处罚款 ${formatYuan(due.lateFeeFen)}）不符 / ` +
            `the amount paid, ${input.amountFen} fen, is not the ${due.totalDueFen} fen due on ${input.paidOn}: fine ${row.snapshot.fineFen} + late fee ${due.lateFeeFen} fen for ${due.chargeableDays} day(s) (APL art. 72)`,
        );
      const actor = { kind: 'staff' as const, id: principal.id };
      const data = { channel: input.channel, receiptNumber, paidOn: input.paidOn };
      await this.deps.cases.applyEvent(
        tx,
        row,
        { type: 'payment_received', on: today, paidOn: input.paidOn, amountFen: input.amountFen },
        actor,
        data,
      );
      await this.deps.cases.applyEvent(tx, row, { type: 'close', on: today }, actor, data);
      const orderId = `${input.channel === 'bank' ? 'BANK' : 'COUNTER'}-${receiptNumber}`;
      const paidAt = new Date(`${input.paidOn}T00:00:00+08:00`);
      const receipt = await this.sealedReceipt(tx, row, {
        fineFen: row.snapshot.fineFen,
        lateFeeFen: due.lateFeeFen,
        amountFen: input.amountFen,
        paidAt,
        gateway: input.channel,
        orderId,
        txnId: receiptNumber,
      });
      const paymentId = await insertRecordedPayment(tx, {
        caseId,
        channel: input.channel,
        receiptNumber,
        orderId,
        amountFen: input.amountFen,
        fineFen: row.snapshot.fineFen,
        lateFeeFen: due.lateFeeFen,
        paidOn: input.paidOn,
        paidAt,
        recordedBy: principal.id,
        receipt,
      });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'payment.recorded',
        subjectKind: 'case',
        subjectId: caseId,
        districtId: row.district_id,
        data: { ...data, paymentId, amountFen: input.amountFen, lateFeeFen: due.lateFeeFen },
      });
      return { state: row.status, paymentId, amountFen: input.amountFen, lateFeeFen: due.lateFeeFen };
    });
    await this.deps.receipts?.afterPaid(recorded.paymentId);
    return recorded;
  }

  async start(caseId: string, partyId: string, returnUrl: string): Promise<string> {
    const gateway = this.deps.gateway;
    if (!gateway) throw new DomainError(503, 'payment_unavailable', 'online payment is not configured');
    const today = this.deps.cases.today();
    const orderId = `PAY${Date.now().toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}`;
    const order = await this.deps.cases.withCase(caseId, async (tx, row) => {
      const due = this.amountDue(row, today);
      if (!due) throw new ConflictError(`case ${row.case_number} has nothing to pay in state ${row.status}`);
      const paymentId = await insertPayment(tx, {
        caseId,
        amountFen: due.totalDueFen,
        fineFen: row.snapshot.fineFen,
        lateFeeFen: due.lateFeeFen,
        gateway: gateway.name,
        orderId,
        dueOn: today,
      });
      await appendAudit(tx, {
        actorKind: 'party',
        actorId: partyId,
        action: 'payment.start',
        subjectKind: 'case',
        subjectId: caseId,
        districtId: row.district_id,
        data: { orderId, amountFen: due.totalDueFen, lateFeeFen: due.lateFeeFen },
      });
      return { paymentId, amountFen: due.totalDueFen, caseNumber: row.case_number };
    });
    try {
      const created = await gateway.createOrder({
        orderId,
        amountFen: order.amountFen,
        description: `罚款 ${order.caseNumber}`,
        returnUrl,
        notifyUrl: `${this.deps.publicBaseUrl.replace(/\/$/, '')}/api/payments/callback/${gateway.name}`,
        expiresAt: endOfShanghaiDay(new Date()),
      });
      await setRedirect(this.deps.pool, order.paymentId, created.redirectUrl);
      return created.redirectUrl;
    } catch (error) {
      await setPaymentStatus(this.deps.pool, order.paymentId, 'failed');
      if (error instanceof PaymentGatewayError)
        throw new DomainError(
          502,
          'payment_gateway',
          'the payment provider cannot be reached; please try again later',
        );
      throw error;
    }
  }

  async handleCallback(
    headers: Record<string, string | string[] | undefined>,
    rawBody: string,
    from = 'unknown',
  ): Promise<CallbackOutcome> {
    const gateway = this.deps.gateway;
    if (!gateway) return { httpStatus: 404, outcome: 'no payment gateway is configured' };
    const check = gateway.verifyCallback(headers, rawBody);
    if (!check.ok) {
      const refused = this.deps.refused;
      if (refused) {
        // Anyone can post here: refusals are counted per address and in all, and past the limit not stored.
        await refused.limiter.hit(`payment-callback-refused:${from}`, refused.perMinute, 60);
        await refused.limiter.hit('payment-callback-refused:all', refused.perMinute * 10, 60);
      }
      await insertRefusedCallback(this.deps.pool, {
        gateway: gateway.name,
        eventId: `unverified-${randomUUID()}`,
        payload: refusedSummary(check.payload, rawBody, from),
        outcome: `refused: ${check.reason}`.slice(0, 200),
        keep: refused?.keep ?? DEFAULT_REFUSED_KEEP,
      });
      return { httpStatus: 401, outcome: `refused: ${check.reason}` };
    }
    const handled = await withTransaction(this.deps.pool, async (tx) => {
      const callbackId = await insertCallback(tx, {
        gateway: gateway.name,
        eventId: check.event.eventId,
        payload: check.payload,
        signatureOk: true,
        outcome: 'received',
      });
      if (callbackId === null)
        return { httpStatus: 200, outcome: 'duplicate: already handled', paidPaymentId: null };
      const settled = await this.settle(tx, gateway.name, check.event, `callback ${check.event.eventId}`);
      await setCallbackOutcome(tx, callbackId, settled.outcome);
      return { httpStatus: 200, ...settled };
    });
    if (handled.paidPaymentId) await this.deps.receipts?.afterPaid(handled.paidPaymentId);
    return { httpStatus: handled.httpStatus, outcome: handled.outcome };
  }

  /** When the party comes back before the callback: ask the provider, and settle a paid order the same way. */
  async reconcile(orderId: string): Promise<string> {
    const gateway = this.deps.gateway;
    if (!gateway) return 'no gateway';
    const state = await gateway.queryOrder(orderId);
    if (state.status !== 'paid') return `order ${state.status}`;
    const settled = await withTransaction(this.deps.pool, (tx) =>
      this.settle(tx, gateway.name, { ...state, eventId: `query-${orderId}` }, `query of ${orderId}`),
    );
    if (settled.paidPaymentId) await this.deps.receipts?.afterPaid(settled.paidPaymentId);
    return settled.outcome;
  }

  private async settle(
    tx: PoolClient,
    gatewayName: string,
    event: PaymentEvent,
    source: string,
  ): Promise<{ outcome: string; paidPaymentId: string | null }> {
    const payment = await lockPaymentByOrder(tx, gatewayName, event.orderId);
    const not = (outcome: string) => ({ outcome, paidPaymentId: null });
    if (!payment) return not('ignored: unknown order');
    if (payment.status === 'paid') return not('ignored: payment already settled');
    if (event.status !== 'paid') {
      await setPaymentStatus(tx, payment.id, 'failed');
      return not(`payment ${event.status}`);
    }
    if (event.amountFen !== payment.amount_fen)
      return not(`refused: paid ${event.amountFen} fen for an order of ${payment.amount_fen} fen`);
    const row = (await lockCase(tx, payment.case_id))!;
    const paidAt = event.paidAt ?? new Date();
    const actor = { kind: 'system' as const, id: `payment:${gatewayName}` };
    try {
      await this.deps.cases.applyEvent(
        tx,
        row,
        { type: 'payment_received', on: shanghaiDateOf(paidAt), amountFen: event.amountFen },
        actor,
        { orderId: event.orderId, txnId: event.txnId ?? null, source },
      );
      await this.deps.cases.applyEvent(tx, row, { type: 'close', on: shanghaiDateOf(paidAt) }, actor, {
        orderId: event.orderId,
      });
    } catch (error) {
      // The money arrived but the case cannot take it (e.g. already paid, or the amount of another day): staff refund.
      if (error instanceof ConflictError) return not(`refused by the case: ${error.message}`);
      throw error;
    }
    const receipt = await this.receipt(tx, row, payment, event, paidAt);
    await markPaid(tx, payment.id, event.txnId ?? null, paidAt, receipt);
    await appendAudit(tx, {
      actorKind: 'system',
      actorId: actor.id,
      action: 'payment.paid',
      subjectKind: 'case',
      subjectId: row.id,
      districtId: row.district_id,
      data: { orderId: event.orderId, amountFen: event.amountFen, source },
    });
    return { outcome: 'paid', paidPaymentId: payment.id };
  }

  private async receipt(
    tx: PoolClient,
    row: CaseRow,
    payment: PaymentRow,
    event: PaymentEvent,
    paidAt: Date,
  ) {
    return this.sealedReceipt(tx, row, {
      fineFen: payment.fine_fen,
      lateFeeFen: payment.late_fee_fen,
      amountFen: payment.amount_fen,
      paidAt,
      gateway: payment.gateway,
      orderId: payment.gateway_order_id,
      txnId: event.txnId ?? null,
    });
  }

  private async sealedReceipt(
    tx: PoolClient,
    row: CaseRow,
    paid: {
      fineFen: number;
      lateFeeFen: number;
      amountFen: number;
      paidAt: Date;
      gateway: string;
      orderId: string;
      txnId: string | null;
    },
  ) {
    const names = (await receiptNames(tx, row.party_id, row.district_id))!;
    const { agency } = agencyFor(await agenciesConfig(), row.district_id, names.district_name);
    const seal = await this.deps.sealKey();
    return sealReceipt(
      {
        receiptNumber: `R${row.year}${String(row.seq).padStart(6, '0')}-${paid.orderId}`,
        caseNumber: row.case_number,
        payer: names.payer,
        agency: agency.name,
        fineFen: paid.fineFen,
        lateFeeFen: paid.lateFeeFen,
        amountFen: paid.amountFen,
        paidAt: paid.paidAt.toISOString(),
        gateway: paid.gateway,
        gatewayOrderId: paid.orderId,
        gatewayTxnId: paid.txnId,
        issuedAt: new Date().toISOString(),
      },
      seal.key,
    );
  }
}
