/**
 * One interface for every online delivery channel (SMS gateway, app push, e-mail). The deliver job picks the
 * channel by the delivery row, builds one `DeliveryMessage`, and records what `send` returns; retries, backoff
 * and the postal fallback live in the job, not in the adapters.
 */

export type OnlineChannel = 'sms' | 'push' | 'email';

export interface DeliveryAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface DeliveryMessage {
  /** Our delivery id: sent to the provider as its client reference and echoed in receipts. */
  deliveryId: string;
  /** Phone number, e-mail address or push registration id. */
  to: string;
  subject: string;
  /** Plain text; SMS and push send it as it is, e-mail as the body. */
  text: string;
  /** The portal link the text mentions, for channels that show it as a button. */
  link?: string;
  /** E-mail only: the sealed PDF. */
  attachments?: readonly DeliveryAttachment[];
}

export interface SendResult {
  providerMessageId: string;
  /** Delivered at once (a mail server's acceptance is all SMTP tells); otherwise a receipt comes later. */
  delivered?: boolean;
  /** What the provider answered, kept as the delivery receipt. */
  response?: Record<string, unknown>;
}

export interface DeliveryChannel {
  readonly kind: OnlineChannel;
  send(message: DeliveryMessage): Promise<SendResult>;
}

/** A delivery receipt reported by a provider after the send. */
export interface DeliveryReceipt {
  channel: OnlineChannel;
  providerMessageId: string;
  status: 'delivered' | 'failed';
  at: Date;
  detail?: Record<string, unknown>;
}

/**
 * `permanent` failures (an invalid number, a refused address) are not retried: the delivery goes straight to
 * the postal fallback. Everything else (timeouts, 5xx, connection errors) is retried with backoff.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export type ChannelSet = Partial<Record<OnlineChannel, DeliveryChannel>>;
