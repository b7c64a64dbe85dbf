import { appendAudit } from '../audit/audit.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { DeliveryChannel } from '../notices/delivery-channel.js';
import { DeliveryError } from '../notices/delivery-channel.js';
import {
  claimDueReplies,
  markReplySent,
  recordReplyFailure,
  type ClaimedReply,
} from './complaint-reply.repo.js';
import { replyBackoffMs, replySmsText } from './complaint-reply.js';
import { HotlineReplyError, type HotlineReplyPush } from './hotline-reply.adapter.js';

/**
 * Sends the complaint outcomes waiting in `complaint_replies` (the `complaint-reply` job of the notify worker):
 * to the hotline system when HOTLINE_REPLY_URL is set (otherwise the hotline fetches them, hotline.routes.ts),
 * and to the reporter of a staff-taken complaint by SMS through the SMS gateway. Each try claims its rows for a
 * lease; a failure is recorded with the next try's time (backoff), a permanent refusal stops the retries and
 * stays flagged on the complaints page. The reply's idempotency key is sent on every try, so the receiver can
 * answer a repeat once; a reply is marked sent once.
 */

export interface ComplaintReplySenderOptions {
  pool: Pool;
  hotline: HotlineReplyPush | null;
  sms: DeliveryChannel | null;
  now?: () => Date;
  leaseMs?: number;
}

/** A refused reply (a wrong number, a refused account) is tried again a day later: never given up, the deadline is the law's. */
const PERMANENT_RETRY_MS = 24 * 3_600_000;

export class ComplaintReplySender {
  private readonly now: () => Date;

  constructor(private readonly options: ComplaintReplySenderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async sendDue(limit = 100): Promise<{ sent: number; failed: number }> {
    const now = this.now();
    const claimed = await claimDueReplies(this.options.pool, {
      now,
      leaseUntil: new Date(now.getTime() + (this.options.leaseMs ?? 5 * 60_000)),
      limit,
      pushToHotline: this.options.hotline !== null,
    });
    let sent = 0;
    let failed = 0;
    for (const reply of claimed) {
      try {
        const via = await this.sendOne(reply);
        await withTransaction(this.options.pool, async (tx) => {
          if (!(await markReplySent(tx, { id: reply.id, at: this.now(), via }))) return;
          await appendAudit(tx, {
            actorKind: 'system',
            action: 'complaint.reply_sent',
            subjectKind: 'complaint',
            subjectId: reply.complaintId,
            districtId: reply.districtId,
            data: { recipient: reply.recipient, via },
          });
        });
        sent++;
      } catch (error) {
        failed++;
        const permanent =
          (error instanceof HotlineReplyError || error instanceof DeliveryError) && error.permanent;
        const wait = permanent ? PERMANENT_RETRY_MS : replyBackoffMs(reply.attempts);
        await recordReplyFailure(this.options.pool, {
          id: reply.id,
          error: (error as Error).message,
          nextAttemptAt: new Date(this.now().getTime() + wait),
        });
      }
    }
    return { sent, failed };
  }

  private async sendOne(reply: ClaimedReply): Promise<'hotline_push' | 'sms'> {
    if (reply.recipient === 'hotline') {
      if (!this.options.hotline) throw new HotlineReplyError('no hotline push configured');
      await this.options.hotline.send({
        idempotencyKey: reply.idempotencyKey,
        body: { ...reply.payload, complaintNumber: reply.complaintNumber, dueOn: reply.dueOn },
      });
      return 'hotline_push';
    }
    if (!this.options.sms) throw new DeliveryError('no SMS gateway configured');
    if (!reply.reporterPhone) throw new DeliveryError('the reporter left no phone number', true);
    await this.options.sms.send({
      deliveryId: reply.idempotencyKey,
      to: reply.reporterPhone,
      subject: '',
      text: replySmsText(reply.payload, reply.receivedOn),
    });
    return 'sms';
  }
}
