import { appendAudit } from '../audit/audit.repo.js';
import { agenciesConfig, agencyFor } from '../cases/agency-config.adapter.js';
import { findViolationType } from '../law/catalogue.js';
import { catalogues, currentCatalogue } from '../law/catalogue-store.js';
import { formatCaseNumberAscii, parseCaseNumber } from '../cases/case-number.js';
import { lockCase } from '../cases/case.repo.js';
import type { CaseService } from '../cases/case.service.js';
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import { findParty, type PartyRow } from '../parties/party.repo.js';
import { NO_METRICS, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import {
  DeliveryError,
  type ChannelSet,
  type DeliveryMessage,
  type DeliveryReceipt,
  type OnlineChannel,
} from './delivery-channel.js';
import { NO_CONSENT_REASON, onlineDeliveryNeedsConsent } from './delivery-policy.js';
import { composeNoticeMessage } from './notice-message.js';
import {
  applyReceipt,
  deletePortalToken,
  deliveryCounts,
  findDelivery,
  findNotice,
  findNoticeSubject,
  insertDelivery,
  keepOneDeliveryToken,
  markFallback,
  markSent,
  recordFailedAttempt,
  type DeliveryRow,
  type NoticeRow,
} from './notice.repo.js';
import { deliveryToken } from './portal-token.js';

/**
 * The `deliver` job: sends one notice over one online channel, for every kind of notice (warnings included).
 *
 * - The warning (Pudong art. 15) and the advance notice (Pudong art. 11) go online to whoever has an address;
 *   every other document is served online only with the party's recorded consent (Pudong art. 13 para. 2; APL
 *   art. 61 para. 2), see delivery-policy.ts. Without that consent, or without an address or a configured
 *   channel, the delivery goes at once to the postal fallback.
 * - Each delivery has one portal link, derived from its id and a configured key, so that every attempt (a retry
 *   after a crash mid-send included) sends the same link; only the link's hash is stored. Gateways get the
 *   delivery id as an idempotency key and can drop a repeated message.
 * - A failed send throws so BullMQ retries it with exponential backoff; the last attempt, or a failure the
 *   provider calls permanent, marks the delivery `fallback` and, when no other channel of the notice is still
 *   going, adds a postal delivery for staff.
 * - The job is idempotent: anything but a pending delivery is left as it is.
 */

export interface DeliveryDeps {
  pool: Pool;
  blobs: BlobStore;
  channels: ChannelSet;
  cases: CaseService;
  publicBaseUrl: string;
  tokenTtlDays: number;
  /** See portalLinkKey. */
  linkKey: Buffer;
  logger: Logger;
  /** attempts by channel and outcome (none by default) */
  metrics?: PipelineMetrics;
}

export interface Attempt {
  /** 1 for the first try. */
  number: number;
  max: number;
}

export type DeliveryOutcome = 'sent' | 'delivered' | 'fallback' | 'skipped';

export class DeliveryService {
  private readonly metrics: PipelineMetrics;

  constructor(private readonly deps: DeliveryDeps) {
    this.metrics = deps.metrics ?? NO_METRICS;
  }

  async deliver(deliveryId: string, attempt: Attempt): Promise<DeliveryOutcome> {
    const log = this.deps.logger.child({ deliveryId });
    const delivery = await findDelivery(this.deps.pool, deliveryId);
    if (!delivery || delivery.status !== 'pending') {
      this.metrics.delivery(delivery?.channel ?? 'unknown', 'skipped');
      return 'skipped';
    }
    const notice = (await findNotice(this.deps.pool, delivery.notice_id))!;
    const party = notice.party_id ? await findParty(this.deps.pool, notice.party_id) : null;
    if (delivery.channel === 'postal' || delivery.channel === 'announcement')
      return this.fallBack(delivery, notice, `${delivery.channel} delivery is done by staff`);
    if (!party) return this.fallBack(delivery, notice, 'the notice names no party');
    const consented = party.online_delivery_consent && party.consent_recorded_at !== null;
    if (onlineDeliveryNeedsConsent(notice.kind) && !consented) {
      return this.fallBack(delivery, notice, NO_CONSENT_REASON);
    }
    const channel = this.deps.channels[delivery.channel];
    if (!channel) return this.fallBack(delivery, notice, `the ${delivery.channel} channel is not configured`);
    const address = delivery.address ?? addressOf(party, delivery.channel);
    if (!address) return this.fallBack(delivery, notice, `the party has no ${delivery.channel} address`);

    const { message, tokenHash } = await this.message(delivery, notice, party, address);
    try {
      const result = await channel.send(message);
      await markSent(this.deps.pool, delivery.id, {
        providerMessageId: result.providerMessageId,
        delivered: result.delivered ?? false,
        receipt: result.response ?? {},
      });
      await this.afterSent(delivery, notice);
      log.info({ channel: delivery.channel, attempt: attempt.number }, 'notice sent');
      const outcome = result.delivered ? 'delivered' : 'sent';
      this.metrics.delivery(delivery.channel, outcome);
      return outcome;
    } catch (error) {
      const reason = (error as Error).message;
      const permanent = error instanceof DeliveryError && error.permanent;
      // A refused message never reached the party, so its link goes. After a timeout or a 5xx the message may
      // still have gone out: the link stays, and a retry sends the same one.
      if (permanent) await deletePortalToken(this.deps.pool, tokenHash);
      if (permanent || attempt.number >= attempt.max) {
        await recordFailedAttempt(this.deps.pool, delivery.id, reason, null);
        log.warn(
          { channel: delivery.channel, attempt: attempt.number, reason },
          'delivery failed for good; postal fallback',
        );
        return this.fallBack(
          delivery,
          notice,
          `${delivery.channel} failed after ${attempt.number} attempt(s): ${reason}`,
        );
      }
      await recordFailedAttempt(this.deps.pool, delivery.id, reason, null);
      this.metrics.delivery(delivery.channel, 'retry');
      throw error;
    }
  }

  /**
   * A delivery whose job failed without the handler deciding (BullMQ fails a job that stalled more than it allows,
   * e.g. a worker killed twice mid-send, without running it): it goes to the postal fallback like a send that
   * failed for good, so that it never waits with no job.
   */
  async giveUp(deliveryId: string, reason: string): Promise<boolean> {
    const delivery = await findDelivery(this.deps.pool, deliveryId);
    if (!delivery || delivery.status !== 'pending') return false;
    const notice = (await findNotice(this.deps.pool, delivery.notice_id))!;
    await recordFailedAttempt(this.deps.pool, delivery.id, reason, null);
    this.deps.logger.warn({ deliveryId, reason }, 'delivery job lost for good; postal fallback');
    await this.fallBack(delivery, notice, reason);
    return true;
  }

  private async message(
    delivery: DeliveryRow,
    notice: NoticeRow,
    party: PartyRow,
    address: string,
  ): Promise<{ message: DeliveryMessage; tokenHash: Buffer }> {
    const { pool, blobs } = this.deps;
    const minted = deliveryToken(this.deps.linkKey, delivery.id);
    await keepOneDeliveryToken(pool, {
      hash: minted.hash,
      noticeId: notice.id,
      deliveryId: delivery.id,
      expiresAt: new Date(Date.now() + this.deps.tokenTtlDays * 86_400_000),
    });
    const link = `${this.deps.publicBaseUrl.replace(/\/$/, '')}/n/${minted.token}`;
    const facts = await noticeFacts(pool, notice);
    const words = composeNoticeMessage({
      kind: notice.kind,
      agencyName: facts.agencyName,
      caseNumber: facts.caseNumber,
      violationName: facts.violationName,
      link,
      hasPhone: Boolean(party.phone),
      partyKind: party.kind,
    });
    const attachments =
      delivery.channel === 'email' && notice.document_key
        ? [
            {
              filename: `${facts.caseNumberAscii ?? notice.kind}.pdf`,
              contentType: 'application/pdf',
              content: await blobs.get(notice.document_key),
            },
          ]
        : undefined;
    return {
      message: {
        deliveryId: delivery.id,
        to: address,
        subject: words.subject,
        text: words.text,
        link,
        attachments,
      },
      tokenHash: minted.hash,
    };
  }

  /** A sent decision is delivered online: the case moves on (once, whichever channel comes first). */
  private async afterSent(delivery: DeliveryRow, notice: NoticeRow): Promise<void> {
    await withTransaction(this.deps.pool, async (tx) => {
      if (notice.kind === 'decision' && notice.case_id) {
        const row = await lockCase(tx, notice.case_id);
        if (row && row.status === 'decided') {
          await this.deps.cases.applyEvent(
            tx,
            row,
            { type: 'deliver_decision', on: this.deps.cases.today(), channel: 'online' },
            { kind: 'system', id: 'deliver' },
            { deliveryId: delivery.id, via: delivery.channel },
          );
        }
      }
      await appendAudit(tx, {
        actorKind: 'system',
        actorId: 'deliver',
        action: 'delivery.sent',
        subjectKind: 'notice',
        subjectId: notice.id,
        data: { deliveryId: delivery.id, channel: delivery.channel, caseId: notice.case_id },
      });
    });
  }

  private async fallBack(delivery: DeliveryRow, notice: NoticeRow, reason: string): Promise<'fallback'> {
    await withTransaction(this.deps.pool, async (tx) => {
      await markFallback(tx, delivery.id, reason);
      await ensurePostalWhenStranded(tx, notice.id, reason);
      await appendAudit(tx, {
        actorKind: 'system',
        actorId: 'deliver',
        action: 'delivery.fallback',
        subjectKind: 'notice',
        subjectId: notice.id,
        data: { deliveryId: delivery.id, channel: delivery.channel, reason, caseId: notice.case_id },
      });
    });
    this.metrics.delivery(delivery.channel, 'fallback');
    return 'fallback';
  }
}

/** Postal delivery is needed once no online channel of the notice is still pending or has gone out. */
export async function ensurePostalWhenStranded(
  tx: Queryable,
  noticeId: string,
  reason: string,
): Promise<boolean> {
  const { going, postal } = await deliveryCounts(tx, noticeId);
  if (going > 0 || postal > 0) return false;
  await insertDelivery(tx, {
    noticeId,
    channel: 'postal',
    address: null,
    status: 'fallback',
    lastError: `postal delivery needed: ${reason}`,
  });
  return true;
}

/** A provider's signed receipt: a failed one may leave the notice with no online route, which calls for post. */
export async function recordReceipt(pool: Pool, receipt: DeliveryReceipt): Promise<DeliveryRow | null> {
  return withTransaction(pool, async (tx) => {
    const updated = await applyReceipt(
      tx,
      receipt.channel,
      receipt.providerMessageId,
      receipt.status,
      receipt.at,
      receipt.detail ?? {},
    );
    if (!updated) return null;
    if (receipt.status === 'failed')
      await ensurePostalWhenStranded(
        tx,
        updated.notice_id,
        `${receipt.channel} receipt reports the message failed`,
      );
    await appendAudit(tx, {
      actorKind: 'system',
      actorId: `${receipt.channel}-gateway`,
      action: `delivery.receipt.${receipt.status}`,
      subjectKind: 'delivery',
      subjectId: updated.id,
      data: { noticeId: updated.notice_id, providerMessageId: receipt.providerMessageId },
    });
    return updated;
  });
}

export function addressOf(
  party: PartyRow & { push_address?: string | null },
  channel: OnlineChannel,
): string | null {
  if (channel === 'sms') return party.phone;
  if (channel === 'email') return party.email;
  return party.push_address ?? null;
}

interface NoticeFacts {
  agencyName: string;
  caseNumber: string | null;
  caseNumberAscii: string | null;
  violationName: string;
}

async function noticeFacts(pool: Pool, notice: NoticeRow): Promise<NoticeFacts> {
  const row = (await findNoticeSubject(pool, notice.id))!;
  const catalogue =
    (row.catalogue_version && (await catalogues()).get(row.catalogue_version)) || (await currentCatalogue());
  let violationName = row.violation_type;
  try {
    violationName = findViolationType(catalogue, row.violation_type).shortName;
  } catch {
    // An unknown type still gets its code in the message rather than no message at all.
  }
  const { agency } = agencyFor(await agenciesConfig(), row.district_id, row.district_name);
  let ascii: string | null = null;
  try {
    ascii = row.case_number ? formatCaseNumberAscii(parseCaseNumber(row.case_number)) : null;
  } catch {
    ascii = null;
  }
  return { agencyName: agency.name, caseNumber: row.case_number, caseNumberAscii: ascii, violationName };
}
