import nodemailer, { type Transporter } from 'nodemailer';
import {
  DeliveryError,
  type DeliveryChannel,
  type DeliveryMessage,
  type SendResult,
} from './delivery-channel.js';

/**
 * E-mail delivery over SMTP with nodemailer. The mail server's acceptance (its 250 reply and queue id) is the
 * receipt SMTP can give; the notice itself counts as received only when the party acknowledges it on the portal.
 */

export interface SmtpOptions {
  /** smtp://user:pass@host:port or smtps://… */
  url: string;
  from: string;
  timeoutMs?: number;
  /** Test servers on 127.0.0.1 have no certificate to check. */
  allowUnverifiedTls?: boolean;
}

export class SmtpEmailChannel implements DeliveryChannel {
  readonly kind = 'email' as const;
  private readonly transporter: Transporter;

  constructor(private readonly options: SmtpOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.transporter = nodemailer.createTransport(options.url, {
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      tls: options.allowUnverifiedTls ? { rejectUnauthorized: false } : undefined,
    } as never);
  }

  async send(message: DeliveryMessage): Promise<SendResult> {
    try {
      const info = await this.transporter.sendMail({
        from: this.options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        // One Message-ID per delivery: a retried send is the same message, which mail systems recognise as a repeat.
        messageId: `<delivery-${message.deliveryId}@${this.options.from.split('@')[1]?.replace(/[>\s]/g, '') || 'notices'}>`,
        headers: { 'X-Delivery-Ref': message.deliveryId },
        attachments: message.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0) throw new DeliveryError(`mail server refused ${rejected.join(', ')}`, true);
      return {
        providerMessageId: info.messageId,
        delivered: true,
        response: { smtpResponse: info.response, accepted: (info.accepted ?? []).map(String) },
      };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      const smtpError = error as Error & { responseCode?: number; code?: string };
      // A 5xx reply refuses the message itself (unknown mailbox, policy); 4xx and network errors may pass later.
      const permanent = typeof smtpError.responseCode === 'number' && smtpError.responseCode >= 500;
      throw new DeliveryError(`e-mail to ${message.to} failed: ${smtpError.message}`, permanent);
    }
  }

  close(): void {
    this.transporter.close();
  }
}
