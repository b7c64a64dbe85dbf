import { appendAudit } from '../audit/audit.repo.js';
import { buildCaseDocumentView, issueAndStore, type DocumentTools } from '../cases/case-document.service.js';
import { findCase, insertCaseEvent, lockCase } from '../cases/case.repo.js';
import type { CaseService } from '../cases/case.service.js';
import type { Config } from '../config/config.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { findParty } from '../parties/party.repo.js';
import type { Queues } from '../queue/queues.js';
import type { Logger } from '../shared/logger.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { ChannelSet } from './delivery-channel.js';
import { addressOf } from './delivery.service.js';
import { NO_CONSENT_REASON, onlineDeliveryNeedsConsent } from './delivery-policy.js';
import { channelsForParty, enqueueDeliveries, type DeliveryRetry } from './delivery-jobs.js';
import { insertCaseNotice, insertDelivery } from './notice.repo.js';

/**
 * Issuing a case's advance notice, decision or demand to pay: render and seal it, store both renderings, then in one
 * transaction (case row locked) write the notice, its deliveries and the case's step; enqueue the deliveries
 * after commit. A second call for the same case and kind finds the notice and does nothing.
 */

export type CaseNoticeKind =
  'advance_notice' | 'decision' | 'payment_demand' | 'no_penalty_decision' | 'hearing_notice';

/** The state a case must be in for each document to be issued. */
export const ISSUED_IN: Readonly<Record<CaseNoticeKind, string>> = {
  advance_notice: 'filed',
  decision: 'decided',
  payment_demand: 'overdue',
  // A case filed with no penalty proposed (APL art. 33) gets this decision, then closes.
  no_penalty_decision: 'filed',
  // Once the hearing is scheduled (the sweep checks the hearing row).
  hearing_notice: 'hearing_requested',
};

export interface CaseNoticeDeps {
  pool: Pool;
  blobs: BlobStore;
  queues: Queues;
  cases: CaseService;
  config: Pick<Config, 'publicBaseUrl'>;
  /** The font and seal key, loaded once per process on first use. */
  tools: () => Promise<DocumentTools>;
  channels: ChannelSet;
  retry: DeliveryRetry;
  logger: Logger;
}

export interface IssuedNotice {
  noticeId: string;
  deliveryIds: string[];
  pdfSha256: string;
}

export class CaseNoticeService {
  constructor(private readonly deps: CaseNoticeDeps) {}

  async issue(caseId: string, kind: CaseNoticeKind): Promise<IssuedNotice | null> {
    const { pool, blobs, cases } = this.deps;
    const row = await findCase(pool, caseId);
    if (!row || row.status !== ISSUED_IN[kind]) return null;
    if (kind === 'no_penalty_decision' && row.snapshot.proposedFineFen !== 0) return null;
    const tools = await this.deps.tools();
    const issuedOn = cases.today();
    const view = await buildCaseDocumentView(
      pool,
      blobs,
      this.deps.config,
      row,
      kind,
      issuedOn,
      tools.sealFingerprint,
    );
    const stored = await issueAndStore(blobs, caseId, view, tools);

    const issued = await withTransaction(pool, async (tx) => {
      const locked = await lockCase(tx, caseId);
      if (!locked || locked.status !== ISSUED_IN[kind]) return null;
      const party = (await findParty(tx, locked.party_id!))!;
      const noticeId = await insertCaseNotice(tx, {
        caseId,
        violationId: locked.violation_id,
        partyId: party.id,
        kind,
        pdfKey: stored.pdfKey,
        htmlKey: stored.htmlKey,
        pdfSeal: stored.issued.pdfSeal,
        htmlSeal: stored.issued.htmlSeal,
        issuedOn,
      });
      if (!noticeId) return null;
      const deliveryIds: string[] = [];
      // The advance notice may go online to anyone (Pudong art. 11); a decision and the documents with it only
      // with consent to electronic service (Pudong art. 13 para. 2): see delivery-policy.ts.
      const mayGoOnline = party.online_delivery_consent || !onlineDeliveryNeedsConsent(kind);
      const online = mayGoOnline ? channelsForParty(party, this.deps.channels) : [];
      for (const channel of online) {
        deliveryIds.push(await insertDelivery(tx, { noticeId, channel, address: addressOf(party, channel) }));
      }
      if (online.length === 0) {
        const reason = mayGoOnline ? 'no configured channel reaches the party' : NO_CONSENT_REASON;
        await insertDelivery(tx, {
          noticeId,
          channel: 'postal',
          address: party.address || null,
          status: 'fallback',
          lastError: `postal delivery needed: ${reason}`,
        });
      }
      const actor = { kind: 'system' as const, id: 'case-sweep' };
      const data = { noticeId, pdfSha256: stored.issued.pdfSeal.documentSha256, channels: online };
      if (kind === 'advance_notice') {
        await cases.applyEvent(tx, locked, { type: 'send_advance_notice', on: issuedOn }, actor, data);
      } else {
        await insertCaseEvent(tx, {
          caseId,
          kind: `${kind}_issued`,
          from: locked.status,
          to: locked.status,
          data,
          actor: 'system:case-sweep',
        });
      }
      await appendAudit(tx, {
        actorKind: 'system',
        actorId: 'case-sweep',
        action: 'notice.issue',
        subjectKind: 'notice',
        subjectId: noticeId,
        districtId: locked.district_id,
        data: { caseId, kind, ...data },
      });
      return { noticeId, deliveryIds, pdfSha256: stored.issued.pdfSeal.documentSha256 };
    });
    if (issued && issued.deliveryIds.length > 0)
      await enqueueDeliveries(this.deps.queues, issued.deliveryIds, this.deps.retry);
    if (issued)
      this.deps.logger.info(
        { caseId, kind, noticeId: issued.noticeId, deliveries: issued.deliveryIds.length },
        'notice issued',
      );
    return issued;
  }
}
