import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import type { CaseRow } from '../cases/case.repo.js';
import type { CaseService } from '../cases/case.service.js';
import type { Pool, PoolClient } from '../db/pool.js';
import { shanghaiDateOf } from '../law/local-date.js';
import type { Logger } from '../shared/logger.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import {
  announcementEffectiveOn,
  announcementRefusal,
  maskPartyName,
  REFUSAL_TEXT,
} from './announcement-rules.js';
import {
  announcementFacts,
  announcementsOfCase,
  caseNoticeDeliveries,
  dueAnnouncements,
  insertAnnouncement,
  listAnnouncements,
  markPostalReturned,
  recordAnnouncementServed,
  type AnnouncementRow,
} from './announcement.repo.js';
import { listCaseNotices, type DeliveryRow, type NoticeRow } from './notice.repo.js';

/*
 * Service by public announcement (公告送达), the last of the means the Shanghai urban-management enforcement
 * regulation lists (art. 25: "直接送达、留置送达、邮寄送达和公告送达"). Staff record that the post came back, then
 * publish the announcement of a document no other means delivered: the public page (/public/announcements)
 * shows it with the party's name masked. Sixty days after publication ("自发出公告之日起，经过六十日，即视为送达")
 * the case sweep records the service, and the party's periods run from that day as from any other receipt.
 */

export const ANNOUNCEMENT_STAFF: readonly StaffRole[] = ['district_staff', 'legal_reviewer', 'admin'];
const PUBLIC_LIMIT = 200;
const SWEEP_BATCH = 100;

export interface CaseDeliveryNotice {
  notice: NoticeRow;
  deliveries: DeliveryRow[];
  announcement: AnnouncementRow | null;
  /** why it may not be announced now; null when it may */
  refusal: string | null;
}

export class AnnouncementService {
  constructor(
    private readonly pool: Pool,
    private readonly cases: CaseService,
  ) {}

  /** The case's documents with their deliveries and announcements, for the staff page. */
  async caseDeliveries(
    principal: StaffPrincipal,
    caseId: string,
  ): Promise<{ caseRow: CaseRow; notices: CaseDeliveryNotice[] }> {
    assertRole(principal, ANNOUNCEMENT_STAFF);
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const announcements = await announcementsOfCase(tx, caseId);
      const facts = await announcementFacts(tx, caseId);
      const notices = await listCaseNotices(tx, caseId);
      const out: CaseDeliveryNotice[] = [];
      for (const notice of notices) {
        const d = (await caseNoticeDeliveries(tx, caseId, notice.id))!;
        const announcement = announcements.find((a) => a.notice_id === notice.id) ?? null;
        const refusal = announcement
          ? 'already announced'
          : this.refusalOf(d.acknowledged_at !== null, d.deliveries, facts?.party_address ?? '');
        out.push({ notice, deliveries: d.deliveries, announcement, refusal });
      }
      return { caseRow: row, notices: out };
    });
  }

  /** The post came back undelivered (退回): the postal delivery fails with the reason. */
  async recordPostalReturn(
    principal: StaffPrincipal,
    caseId: string,
    input: { noticeId: string; reason: string },
  ): Promise<{ noticeId: string }> {
    assertRole(principal, ANNOUNCEMENT_STAFF);
    const reason = input.reason.trim();
    if (!reason) throw new ValidationError('reason: why the post came back (e.g. 查无此人, 地址不详)');
    if (reason.length > 500) throw new ValidationError('reason: at most 500 characters');
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const notice = await caseNoticeDeliveries(tx, caseId, input.noticeId);
      if (!notice) throw new NotFoundError('notice');
      if (notice.acknowledged_at || notice.deliveries.some((d) => d.status === 'delivered'))
        throw new ConflictError('the document has already reached the party');
      await markPostalReturned(tx, input.noticeId, `returned: ${reason}`);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'delivery.postal_returned',
        subjectKind: 'notice',
        subjectId: input.noticeId,
        districtId: row.district_id,
        data: { caseId, reason },
      });
      return { noticeId: input.noticeId };
    });
  }

  /** Publishes the announcement of one document of the case; 409 unless the other means failed. */
  async publish(
    principal: StaffPrincipal,
    caseId: string,
    noticeId: string,
  ): Promise<{ announcementId: string; publishedOn: string; effectiveOn: string }> {
    assertRole(principal, ANNOUNCEMENT_STAFF);
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const notice = await caseNoticeDeliveries(tx, caseId, noticeId);
      if (!notice) throw new NotFoundError('notice');
      const facts = (await announcementFacts(tx, caseId))!;
      const refusal = this.refusalOf(notice.acknowledged_at !== null, notice.deliveries, facts.party_address);
      if (refusal) throw new ConflictError(refusal);
      const publishedOn = this.cases.today();
      const effectiveOn = announcementEffectiveOn(publishedOn);
      const fineFen =
        notice.kind === 'decision' || notice.kind === 'payment_demand'
          ? row.snapshot.fineFen
          : notice.kind === 'advance_notice'
            ? row.proposed_fine_fen
            : null;
      const id = await insertAnnouncement(tx, {
        caseId,
        districtId: row.district_id,
        noticeId,
        noticeKind: notice.kind,
        publishedOn,
        effectiveOn,
        partyMasked: maskPartyName(facts.party_name, facts.party_kind),
        essentials: {
          caseNumber: row.case_number,
          documentKind: notice.kind,
          issuedOn: notice.issued_on,
          violationType: row.violation_type,
          seenOn: shanghaiDateOf(facts.first_seen_at),
          place: facts.place,
          fineFen,
        },
        publishedBy: principal.id,
      });
      if (!id) throw new ConflictError('this document is already announced');
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'announcement.publish',
        subjectKind: 'case',
        subjectId: caseId,
        districtId: row.district_id,
        data: { announcementId: id, noticeId, kind: notice.kind, publishedOn, effectiveOn },
      });
      return { announcementId: id, publishedOn, effectiveOn };
    });
  }

  /** The public page's announcements. */
  publicList(): Promise<AnnouncementRow[]> {
    return listAnnouncements(this.pool, PUBLIC_LIMIT);
  }

  /**
   * The sweep's step: each announcement whose sixty days have run is recorded as service on the day it took
   * effect, and the case moves as on a receipt that day (the statement period, or the payment period, runs
   * from it). Each in its own transaction; one that fails is tried again on the next sweep.
   */
  async takeEffect(today: string, logger?: Logger): Promise<number> {
    let served = 0;
    for (const a of await dueAnnouncements(this.pool, today, SWEEP_BATCH)) {
      try {
        const done = await this.cases.withCase(a.case_id, async (tx, row) => {
          if (!(await recordAnnouncementServed(tx, a))) return false;
          await this.moveCase(tx, row, a);
          await appendAudit(tx, {
            actorKind: 'system',
            actorId: 'case-sweep',
            action: 'announcement.served',
            subjectKind: 'case',
            subjectId: a.case_id,
            districtId: a.district_id,
            data: { announcementId: a.id, noticeId: a.notice_id, servedOn: a.effective_on },
          });
          return true;
        });
        if (done) served++;
      } catch (error) {
        logger?.error(
          { announcementId: a.id, err: (error as Error).message },
          'announcement not recorded as served',
        );
      }
    }
    return served;
  }

  private async moveCase(tx: PoolClient, row: CaseRow, a: AnnouncementRow): Promise<void> {
    const actor = { kind: 'system' as const, id: 'case-sweep' };
    const data = { noticeId: a.notice_id, via: 'announcement', announcementId: a.id };
    const on = a.effective_on;
    if (a.notice_kind === 'advance_notice' && row.status === 'advance_notice_sent') {
      await this.cases.applyEvent(tx, row, { type: 'advance_notice_received', on }, actor, data);
    } else if (a.notice_kind === 'decision') {
      if (row.status === 'decided')
        await this.cases.applyEvent(
          tx,
          row,
          { type: 'deliver_decision', on, channel: 'announcement' },
          actor,
          data,
        );
      if (row.status === 'decision_delivered')
        await this.cases.applyEvent(tx, row, { type: 'decision_received', on }, actor, data);
    }
  }

  private refusalOf(received: boolean, deliveries: DeliveryRow[], partyAddress: string): string | null {
    const refusal = announcementRefusal({
      received,
      deliveries: deliveries.map((d) => ({ channel: d.channel, status: d.status })),
      partyHasAddress: partyAddress.trim().length > 0,
    });
    return refusal ? REFUSAL_TEXT[refusal] : null;
  }
}
