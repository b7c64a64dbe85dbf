import type { Queryable } from '../db/pool.js';
import type { ReceiptDocumentRecord, SealedReceipt } from './payment-receipt.js';

export interface PaymentRow {
  id: string;
  case_id: string;
  amount_fen: number;
  fine_fen: number;
  late_fee_fen: number;
  status: 'pending' | 'paid' | 'failed' | 'expired';
  gateway: string;
  gateway_order_id: string;
  gateway_txn_id: string | null;
  paid_at: Date | null;
  receipt: SealedReceipt | null;
  due_on: string | null;
  redirect_url: string | null;
  created_at: Date;
  /** online through the provider, or at the designated bank (its branch or its counter), recorded by staff */
  channel: PaymentChannel;
  /** the bank's receipt number of a payment recorded by staff */
  receipt_number: string | null;
  recorded_by: string | null;
  paid_on: string | null;
}

export type PaymentChannel = 'online' | 'counter' | 'bank';

/** The columns of a PaymentRow (dates as text); other repos that read payments with more use it. */
export const PAYMENT_COLUMNS = `id, case_id, amount_fen, fine_fen, late_fee_fen, status, gateway, gateway_order_id, gateway_txn_id, paid_at, receipt, due_on::text, redirect_url, created_at, channel, receipt_number, recorded_by, paid_on::text`;
const COLUMNS = PAYMENT_COLUMNS;

export async function insertPayment(
  db: Queryable,
  p: {
    caseId: string;
    amountFen: number;
    fineFen: number;
    lateFeeFen: number;
    gateway: string;
    orderId: string;
    dueOn: string;
  },
): Promise<string> {
  // An earlier unpaid order of the case is replaced: its amount may be for another day.
  await db.query(`update payments set status = 'expired' where case_id = $1 and status = 'pending'`, [
    p.caseId,
  ]);
  const { rows } = await db.query<{ id: string }>(
    `insert into payments (case_id, amount_fen, fine_fen, late_fee_fen, gateway, gateway_order_id, due_on) values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [p.caseId, p.amountFen, p.fineFen, p.lateFeeFen, p.gateway, p.orderId, p.dueOn],
  );
  return rows[0]!.id;
}

/** The payment recorded with this bank receipt number, if any. */
export async function findPaymentByReceiptNumber(
  db: Queryable,
  receiptNumber: string,
): Promise<{ id: string; case_id: string } | null> {
  const { rows } = await db.query<{ id: string; case_id: string }>(
    'select id, case_id from payments where receipt_number = $1',
    [receiptNumber],
  );
  return rows[0] ?? null;
}

/**
 * A payment made at the bank and recorded by staff from its receipt: stored as paid, with its sealed receipt.
 * Any online order of the case still open is expired, as the fine is paid.
 */
export async function insertRecordedPayment(
  db: Queryable,
  p: {
    caseId: string;
    channel: Exclude<PaymentChannel, 'online'>;
    receiptNumber: string;
    orderId: string;
    amountFen: number;
    fineFen: number;
    lateFeeFen: number;
    paidOn: string;
    paidAt: Date;
    recordedBy: string;
    receipt: SealedReceipt;
  },
): Promise<string> {
  await db.query(`update payments set status = 'expired' where case_id = $1 and status = 'pending'`, [
    p.caseId,
  ]);
  const { rows } = await db.query<{ id: string }>(
    `insert into payments (case_id, amount_fen, fine_fen, late_fee_fen, status, gateway, gateway_order_id, paid_at, receipt,
                           due_on, channel, receipt_number, recorded_by, paid_on)
     values ($1, $2, $3, $4, 'paid', $5, $6, $7, $8, $9, $5, $10, $11, $9) returning id`,
    [
      p.caseId,
      p.amountFen,
      p.fineFen,
      p.lateFeeFen,
      p.channel,
      p.orderId,
      p.paidAt,
      JSON.stringify(p.receipt),
      p.paidOn,
      p.receiptNumber,
      p.recordedBy,
    ],
  );
  return rows[0]!.id;
}

export async function setRedirect(db: Queryable, id: string, url: string): Promise<void> {
  await db.query('update payments set redirect_url = $2 where id = $1', [id, url]);
}

export async function setPaymentStatus(
  db: Queryable,
  id: string,
  status: PaymentRow['status'],
): Promise<void> {
  await db.query(`update payments set status = $2 where id = $1 and status = 'pending'`, [id, status]);
}

export async function lockPaymentByOrder(
  db: Queryable,
  gateway: string,
  orderId: string,
): Promise<PaymentRow | null> {
  const { rows } = await db.query<PaymentRow>(
    `select ${COLUMNS} from payments where gateway = $1 and gateway_order_id = $2 for update`,
    [gateway, orderId],
  );
  return rows[0] ?? null;
}

export async function markPaid(
  db: Queryable,
  id: string,
  txnId: string | null,
  paidAt: Date,
  receipt: SealedReceipt,
): Promise<void> {
  await db.query(
    `update payments set status = 'paid', gateway_txn_id = $2, paid_at = $3, receipt = $4 where id = $1`,
    [id, txnId, paidAt, JSON.stringify(receipt)],
  );
}

export async function findPayment(db: Queryable, id: string): Promise<PaymentRow | null> {
  const { rows } = await db.query<PaymentRow>(`select ${COLUMNS} from payments where id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Records the readable receipt of a paid payment once: a second writer (two views racing to render it) leaves
 * the first record in place and gets it back.
 */
export async function setReceiptDocument(
  db: Queryable,
  id: string,
  document: ReceiptDocumentRecord,
): Promise<ReceiptDocumentRecord | null> {
  await db.query(
    `update payments set receipt = receipt || jsonb_build_object('document', $2::jsonb)
     where id = $1 and receipt is not null and not (receipt ? 'document')`,
    [id, JSON.stringify(document)],
  );
  const { rows } = await db.query<{ document: ReceiptDocumentRecord | null }>(
    `select receipt->'document' as document from payments where id = $1`,
    [id],
  );
  return rows[0]?.document ?? null;
}

export async function paymentsOfCase(db: Queryable, caseId: string): Promise<PaymentRow[]> {
  const { rows } = await db.query<PaymentRow>(
    `select ${COLUMNS} from payments where case_id = $1 order by created_at`,
    [caseId],
  );
  return rows;
}

/** Stores a callback; null when the provider's event id was seen before (a replay). */
export async function insertCallback(
  db: Queryable,
  c: {
    gateway: string;
    eventId: string;
    payload: Record<string, unknown>;
    signatureOk: boolean;
    outcome: string;
  },
): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `insert into payment_callbacks (gateway, event_id, payload, signature_ok, outcome) values ($1, $2, $3, $4, $5)
     on conflict (gateway, event_id) do nothing returning id`,
    [c.gateway, c.eventId, JSON.stringify(c.payload), c.signatureOk, c.outcome],
  );
  return rows[0]?.id ?? null;
}

export async function setCallbackOutcome(db: Queryable, id: number, outcome: string): Promise<void> {
  await db.query('update payment_callbacks set outcome = $2 where id = $1', [id, outcome]);
}

/**
 * Stores a refused callback under an id of ours and removes the oldest refused ones beyond `keep`, so forged
 * calls can never grow the table without bound (accepted callbacks are never removed).
 */
export async function insertRefusedCallback(
  db: Queryable,
  c: { gateway: string; eventId: string; payload: Record<string, unknown>; outcome: string; keep: number },
): Promise<void> {
  await db.query(
    `insert into payment_callbacks (gateway, event_id, payload, signature_ok, outcome) values ($1, $2, $3, false, $4)`,
    [c.gateway, c.eventId, JSON.stringify(c.payload), c.outcome],
  );
  await db.query(
    `delete from payment_callbacks where not signature_ok and id <= (
       select id from payment_callbacks where not signature_ok order by id desc offset $1 limit 1)`,
    [c.keep],
  );
}

/** The payer's and the district's names printed on a receipt. */
export async function receiptNames(
  db: Queryable,
  partyId: string | null,
  districtId: string,
): Promise<{ payer: string; district_name: string } | null> {
  const { rows } = await db.query<{ payer: string; district_name: string }>(
    `select p.name as payer, d.name as district_name from parties p, districts d where p.id = $1 and d.id = $2`,
    [partyId, districtId],
  );
  return rows[0] ?? null;
}
