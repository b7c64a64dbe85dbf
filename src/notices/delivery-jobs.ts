import type { Config } from '../config/config.js';
import { jobIds, type DeliveryRetry } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { HandlerSpec } from '../queue/worker-host.js';
import type { ChannelSet } from './delivery-channel.js';
import type { DeliveryService } from './delivery.service.js';
import { SmtpEmailChannel } from './email-smtp.adapter.js';
import { HttpGatewayChannel } from './http-gateway.adapter.js';

/** Wiring of the `deliver` job: its handler and the channels the configuration enables. */

export type { DeliveryRetry };

/**
 * Enqueued after the delivery rows are committed, with a fixed job id: enqueuing again (the sweep does so for
 * deliveries left pending) adds nothing while the job exists, and the handler skips a delivery already done.
 */
export async function enqueueDeliveries(
  queues: Pick<Queues, 'enqueue'>,
  deliveryIds: readonly string[],
  retry: DeliveryRetry,
): Promise<void> {
  for (const deliveryId of deliveryIds) {
    await queues.enqueue(
      'deliver',
      { deliveryId },
      { jobId: jobIds.deliver(deliveryId), attempts: retry.attempts, backoffMs: retry.backoffMs },
    );
  }
}

const GOING = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export interface StaleDeliveryReport {
  requeued: number;
  gaveUp: number;
}

/**
 * Deliveries still pending long after they were created: their job is looked up. One still waiting or running is
 * left alone; one that failed for good without its handler deciding (stalled past BullMQ's limit) goes to the
 * postal fallback; one that is gone (Redis lost it, the enqueue after commit failed) or finished without moving
 * the delivery is enqueued again, the finished job removed first since a kept job's id would make the add a no-op.
 */
export async function recoverStaleDeliveries(
  deps: { queues: Queues; delivery: DeliveryService; retry: DeliveryRetry },
  deliveryIds: readonly string[],
): Promise<StaleDeliveryReport> {
  const report: StaleDeliveryReport = { requeued: 0, gaveUp: 0 };
  for (const deliveryId of deliveryIds) {
    const job = await deps.queues.job('deliver', jobIds.deliver(deliveryId));
    const state = job ? await job.getState() : 'missing';
    if (GOING.has(state)) continue;
    if (state === 'failed') {
      const why = job?.failedReason || 'unknown reason';
      if (await deps.delivery.giveUp(deliveryId, `delivery job failed without a decision: ${why}`))
        report.gaveUp++;
      continue;
    }
    if (job) await job.remove().catch(() => undefined);
    await enqueueDeliveries(deps.queues, [deliveryId], deps.retry);
    report.requeued++;
  }
  return report;
}

export function deliverHandler(service: DeliveryService): HandlerSpec<'deliver'> {
  return {
    concurrency: 4,
    handle: async (payload, job) => {
      await service.deliver(payload.deliveryId, {
        number: job.attemptsMade + 1,
        max: job.opts.attempts ?? 1,
      });
    },
  };
}

/** A channel with no URL configured is absent: its deliveries fall back to post instead of failing forever. */
export function channelsFromConfig(config: Config): ChannelSet {
  const base = config.publicBaseUrl.replace(/\/$/, '');
  const channels: ChannelSet = {};
  if (config.smsGatewayUrl) {
    channels.sms = new HttpGatewayChannel({
      kind: 'sms',
      baseUrl: config.smsGatewayUrl,
      account: config.smsGatewayAccount,
      secret: config.smsGatewaySecret,
      callbackUrl: `${base}/api/deliveries/receipts/sms`,
    });
  }
  if (config.pushGatewayUrl) {
    channels.push = new HttpGatewayChannel({
      kind: 'push',
      baseUrl: config.pushGatewayUrl,
      account: config.pushGatewayAccount,
      secret: config.pushGatewaySecret,
      callbackUrl: `${base}/api/deliveries/receipts/push`,
    });
  }
  if (config.smtpUrl) {
    channels.email = new SmtpEmailChannel({
      url: config.smtpUrl,
      from: config.mailFrom,
      allowUnverifiedTls: config.nodeEnv !== 'production',
    });
  }
  return channels;
}

/** Which channels a party can be reached on, in the order they are tried side by side. */
export function channelsForParty(
  party: { phone: string | null; email: string | null; push_address?: string | null },
  enabled: ChannelSet,
): ('sms' | 'push' | 'email')[] {
  const out: ('sms' | 'push' | 'email')[] = [];
  if (party.phone && enabled.sms) out.push('sms');
  if (party.push_address && enabled.push) out.push('push');
  if (party.email && enabled.email) out.push('email');
  return out;
}
