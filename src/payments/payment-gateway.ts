/**
 * One interface for online payment providers (Pudong art. 14): create an order and send the party to the
 * provider's page; check the provider's signed callback; ask the provider about an order when a callback is
 * late. The case side never trusts the party's browser coming back: only a verified callback or a query of the
 * provider marks a fine paid.
 */

export interface CreateOrderInput {
  /** Our order id, unique per attempt to pay. */
  orderId: string;
  amountFen: number;
  description: string;
  /** Where the provider sends the party's browser afterwards. */
  returnUrl: string;
  /** Where the provider posts its signed callback. */
  notifyUrl: string;
  /** The amount includes the late fee of one day; the order must not be payable after it. */
  expiresAt: Date;
}

export interface CreatedOrder {
  redirectUrl: string;
}

export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'closed';

export interface PaymentEvent {
  /** The provider's id of this notification: a replay carries the same id. */
  eventId: string;
  orderId: string;
  status: PaymentStatus;
  amountFen: number;
  txnId?: string;
  paidAt?: Date;
}

export type CallbackCheck =
  | { ok: true; event: PaymentEvent; payload: Record<string, unknown> }
  | { ok: false; reason: string; payload: Record<string, unknown> };

export interface OrderState {
  orderId: string;
  status: PaymentStatus;
  amountFen: number;
  txnId?: string;
  paidAt?: Date;
}

export interface PaymentGateway {
  /** Recorded on payments and callbacks; also the last segment of the callback URL. */
  readonly name: string;
  createOrder(input: CreateOrderInput): Promise<CreatedOrder>;
  verifyCallback(headers: Record<string, string | string[] | undefined>, rawBody: string): CallbackCheck;
  queryOrder(orderId: string): Promise<OrderState>;
}

export class PaymentGatewayError extends Error {
  override name = 'PaymentGatewayError';
}

/** Parses a provider's event body; null when a field is missing or of the wrong kind. */
export function parsePaymentEvent(payload: Record<string, unknown>): PaymentEvent | null {
  const { eventId, orderId, status, amountFen, txnId, paidAt } = payload;
  if (typeof eventId !== 'string' || !/^[A-Za-z0-9_.:-]{1,100}$/.test(eventId)) return null;
  if (typeof orderId !== 'string' || orderId.length === 0 || orderId.length > 64) return null;
  if (status !== 'paid' && status !== 'failed' && status !== 'closed' && status !== 'pending') return null;
  if (typeof amountFen !== 'number' || !Number.isInteger(amountFen) || amountFen < 0) return null;
  if (txnId !== undefined && typeof txnId !== 'string') return null;
  const paid = typeof paidAt === 'string' ? new Date(paidAt) : undefined;
  if (paid && Number.isNaN(paid.getTime())) return null;
  return { eventId, orderId, status, amountFen, txnId: txnId as string | undefined, paidAt: paid };
}
