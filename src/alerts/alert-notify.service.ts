import type { AlertChannel, AlertSettings } from '../config/alerts.js';
import type { Pool } from '../db/pool.js';
import type { ChannelSet } from '../notices/delivery-channel.js';
import type { Logger } from '../shared/logger.js';
import { noticeText, type NoticePhase } from './alert-notice.js';
import type { AlertWebhook } from './alert-webhook.adapter.js';
import {
  alertRecipients,
  alertsWithNotices,
  insertAlertEvent,
  withNoticeLock,
  type AlertRecipient,
  type NoticeDue,
} from './alert.repo.js';

/**
 * Notices of alerts: when an alert opens and when it is resolved, to the district's staff over each configured
 * channel (SMS through the SMS gateway, e-mail over SMTP, the signed webhook). Each channel sends each notice of
 * an alert once: what was sent is an `alert_events` row `notified` with the channel and phase, unique by them
 * (migration 0029), and the next evaluation sends only what has no such row. A failed try is a `notify_failed`
 * row and is tried again at the next evaluation, at most ALERT_NOTIFY_MAX_TRIES times. A retry sends the same
 * message ids (the SMS gateway's Idempotency-Key, the e-mail's Message-ID, the webhook's Idempotency-Key), so a
 * gateway that received the first try recognises the second.
 */

export interface AlertNotifyDeps {
  pool: Pool;
  settings: AlertSettings;
  channels: ChannelSet;
  webhook: AlertWebhook | null;
  publicBaseUrl: string;
  logger: Logger;
}

export interface NotifyOutcome {
  sent: number;
  failed: number;
}

export class AlertNotifyService {
  constructor(private readonly deps: AlertNotifyDeps) {}

  /** The channels alerts go out on: configured for alerts, and set up in this process. */
  channels(): AlertChannel[] {
    const { settings, channels, webhook } = this.deps;
    return settings.channels.filter((c) => (c === 'webhook' ? webhook !== null : channels[c] !== undefined));
  }

  /**
   * Sends every notice due; returns how many channels sent and how many failed. One process at a time: a sweep
   * that finds another sending leaves it to that one.
   */
  async notifyDue(now: Date): Promise<NotifyOutcome> {
    const channels = this.channels();
    if (channels.length === 0) return { sent: 0, failed: 0 };
    return (
      (await withNoticeLock(this.deps.pool, () => this.sendDue(channels, now))) ?? { sent: 0, failed: 0 }
    );
  }

  private async sendDue(channels: AlertChannel[], now: Date): Promise<NotifyOutcome> {
    const outcome: NotifyOutcome = { sent: 0, failed: 0 };
    const recipients = new Map<string, Promise<AlertRecipient[]>>();
    const recipientsOf = (districtId: string | null) => {
      const key = districtId ?? '';
      if (!recipients.has(key)) recipients.set(key, alertRecipients(this.deps.pool, districtId));
      return recipients.get(key)!;
    };
    for (const alert of await alertsWithNotices(this.deps.pool, now)) {
      // a resolution whose opening was never told is told alone: an opening notice of a resolved alert is noise
      const phases: NoticePhase[] = alert.state === 'resolved' ? ['resolved'] : ['opened'];
      for (const phase of phases) {
        for (const channel of channels) {
          const key = `${channel}/${phase}`;
          if (alert.notified.includes(key)) continue;
          if (alert.failed.filter((f) => f === key).length >= this.deps.settings.notifyMaxTries) continue;
          const result = await this.send(channel, phase, alert, await recipientsOf(alert.districtId));
          if (result === 'nobody') continue;
          if (result.ok) outcome.sent += 1;
          else outcome.failed += 1;
          await insertAlertEvent(
            this.deps.pool,
            {
              alertId: alert.id,
              event: result.ok ? 'notified' : 'notify_failed',
              detail: result.ok
                ? { channel, phase, recipients: result.recipients }
                : { channel, phase, recipients: result.recipients, error: result.error.slice(0, 300) },
            },
            new Date(),
          );
        }
      }
    }
    return outcome;
  }

  private async send(
    channel: AlertChannel,
    phase: NoticePhase,
    alert: NoticeDue,
    recipients: AlertRecipient[],
  ): Promise<'nobody' | { ok: true; recipients: number } | { ok: false; recipients: number; error: string }> {
    const link = `${this.deps.publicBaseUrl.replace(/\/$/, '')}/staff/alerts/${alert.id}`;
    const ref = `alert-${alert.id}-${phase}`;
    if (channel === 'webhook') {
      const text = noticeText('zh', phase, alert, link);
      const body = JSON.stringify({
        event: `alert.${phase}`,
        alert: {
          id: alert.id,
          kind: alert.kind,
          subject: alert.subject,
          districtId: alert.districtId,
          cameraId: alert.cameraId,
          cameraName: alert.cameraName,
          severity: alert.severity,
          state: alert.state,
          openedAt: alert.openedAt,
          resolvedAt: alert.resolvedAt,
          detail: alert.detail,
        },
        text: text.text,
        link,
      });
      try {
        await this.deps.webhook!.post(body, ref);
        return { ok: true, recipients: 1 };
      } catch (error) {
        return this.failed(channel, alert, 1, error);
      }
    }
    const sender = this.deps.channels[channel]!;
    const to = recipients
      .map((r) => ({ r, address: channel === 'sms' ? r.phone : r.email }))
      .filter((x): x is { r: AlertRecipient; address: string } => !!x.address);
    if (to.length === 0) return 'nobody';
    const errors: string[] = [];
    for (const { r, address } of to) {
      const text = noticeText(r.lang, phase, alert, link);
      try {
        await sender.send({
          deliveryId: `${ref}-${r.id}`,
          to: address,
          subject: text.subject,
          text: text.text,
        });
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    if (errors.length === 0) return { ok: true, recipients: to.length };
    return this.failed(channel, alert, to.length, new Error(errors.join('; ')));
  }

  private failed(channel: AlertChannel, alert: NoticeDue, recipients: number, error: unknown) {
    const message = (error as Error).message;
    this.deps.logger.warn({ alertId: alert.id, channel, err: message }, 'alert notice not sent');
    return { ok: false as const, recipients, error: message };
  }
}
