import { appendAudit } from '../audit/audit.repo.js';
import { assertDistrictExists } from '../auth/district.repo.js';
import { assertRole, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { WorkingCalendar } from '../law/calendar.js';
import { workingCalendar } from '../law/catalogue-store.js';
import { shanghaiDateOf } from '../law/local-date.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import {
  COMPLAINT_ROLES,
  complaintDeadlines,
  GROUP_RADIUS_M,
  GROUP_WINDOW_DAYS,
  LEGAL_BASIS,
  maskName,
  maskPhone,
  mayViewReporter,
  OUTCOME_ROLES,
  outcomeInTime,
  placeKey,
  type ComplaintOutcome,
  type ComplaintStatus,
} from './complaint-rules.js';
import {
  earlierGroup,
  findByHotlineNumber,
  findComplaint,
  insertComplaint,
  insertReply,
  listComplaints,
  markHotlineRepliesSent,
  pendingHotlineReplies,
  lockDistrictIntake,
  recordOutcome,
  replyOf,
  type ComplaintRow,
  type PendingHotlineReply,
} from './complaint.repo.js';
import { matchPlace } from './complaint-place.service.js';
import { replyStates } from './complaint-reply.repo.js';
import { replyFlag, type ReplyFlag } from './complaint-reply.js';
import { toComplaintView, type ComplaintDetail, type ComplaintView } from './complaint-record.js';

export type { ComplaintDetail, ComplaintView } from './complaint-record.js';

/**
 * Complaints and reports (《上海市城市管理行政执法条例》第二十六条): intake from the hotline (idempotent on its
 * complaint number) and from staff, the place matched to a camera, a zone and a shop, repeats grouped, the outcome
 * recorded with its reply queued for the hotline or the reporter, and the reporter's identity kept confidential
 * ("应当为举报人保密"): shown in clear only to REPORTER_VISIBLE_TO, every view of a complaint audited.
 * Deadline flags are computed when a complaint is read, from the calendar; no sweep job is needed for them.
 */

export interface ComplaintIntake {
  districtId: string;
  place: { text: string; latitude?: number; longitude?: number };
  content: string;
  reporter?: { name?: string; phone?: string };
}

export interface HotlineIntake extends ComplaintIntake {
  complaintNumber: string;
  /** when the hotline took the call; the bureau's periods run from its own receipt */
  receivedAt?: string;
}

export interface ComplaintServiceOptions {
  calendar?: () => Promise<WorkingCalendar>;
  now?: () => Date;
}

const MAX_TEXT = { place: 500, content: 4000, note: 2000, department: 200 };

export class ComplaintService {
  private readonly calendar: () => Promise<WorkingCalendar>;
  private readonly now: () => Date;

  constructor(
    private readonly pool: Pool,
    options: ComplaintServiceOptions = {},
  ) {
    this.calendar = options.calendar ?? workingCalendar;
    this.now = options.now ?? (() => new Date());
  }

  /** A complaint passed on by the hotline. A number already recorded answers that complaint, unchanged. */
  async receiveFromHotline(input: HotlineIntake): Promise<{ complaint: ComplaintView; created: boolean }> {
    const known = await findByHotlineNumber(this.pool, input.complaintNumber);
    if (known) return { complaint: await this.view(known), created: false };
    const hotlineReceivedAt = input.receivedAt ? new Date(input.receivedAt) : null;
    if (hotlineReceivedAt && Number.isNaN(hotlineReceivedAt.getTime()))
      throw new ValidationError('receivedAt: not a date-time');
    const id = await this.intake(input, {
      source: 'hotline',
      hotlineNumber: input.complaintNumber,
      hotlineReceivedAt,
      actor: null,
    });
    // null: the same number arrived at the same moment and was recorded by the other request
    const row = await findByHotlineNumber(this.pool, input.complaintNumber);
    if (!row) throw new Error('complaint vanished after intake');
    return { complaint: await this.view(row), created: id !== null };
  }

  /** A complaint taken by staff (at the counter, on the phone, in the field), in their own district. */
  async fileByStaff(
    staff: StaffPrincipal,
    input: Omit<ComplaintIntake, 'districtId'> & { districtId?: string },
  ) {
    assertRole(staff, OUTCOME_ROLES.concat('admin'));
    const scope = districtScope(staff);
    const districtId = scope ?? input.districtId;
    if (!districtId) throw new ValidationError('districtId: an admin names the district of the complaint');
    const id = await this.intake(
      { ...input, districtId },
      { source: 'staff', hotlineNumber: null, hotlineReceivedAt: null, actor: staff },
    );
    if (!id) throw new Error('a staff complaint has no number to collide on');
    return id;
  }

  private async intake(
    input: ComplaintIntake,
    how: {
      source: 'hotline' | 'staff';
      hotlineNumber: string | null;
      hotlineReceivedAt: Date | null;
      actor: StaffPrincipal | null;
    },
  ): Promise<string | null> {
    const place = input.place.text.trim();
    const content = input.content.trim();
    if (!place || place.length > MAX_TEXT.place) throw new ValidationError('place.text: 1 to 500 characters');
    if (!content || content.length > MAX_TEXT.content)
      throw new ValidationError('content: 1 to 4000 characters');
    const { latitude, longitude } = input.place;
    if ((latitude === undefined) !== (longitude === undefined))
      throw new ValidationError('place: latitude and longitude come together');
    const point =
      latitude !== undefined && longitude !== undefined ? { lat: latitude, lon: longitude } : null;
    const name = input.reporter?.name?.trim() || null;
    const phone = input.reporter?.phone?.trim() || null;
    if (phone && !/^\+?[0-9]{3,20}$/.test(phone)) throw new ValidationError('reporter.phone: digits only');
    await assertDistrictExists(this.pool, input.districtId);

    const calendar = await this.calendar();
    const receivedAt = this.now();
    const receivedOn = shanghaiDateOf(receivedAt);
    const deadlines = complaintDeadlines(receivedOn, calendar);
    const match = await matchPlace(this.pool, input.districtId, place, point);
    const key = placeKey(place, match.shop?.id ?? null);

    return withTransaction(this.pool, async (tx) => {
      // one complaint at a time per district and place joins or starts a group, so two at once share one
      await lockDistrictIntake(tx, input.districtId);
      const since = new Date(receivedAt.getTime() - GROUP_WINDOW_DAYS * 86_400_000);
      const groupId = await earlierGroup(tx, input.districtId, key, point, GROUP_RADIUS_M, since);
      const id = await insertComplaint(tx, {
        districtId: input.districtId,
        source: how.source,
        hotlineNumber: how.hotlineNumber,
        hotlineReceivedAt: how.hotlineReceivedAt,
        receivedAt,
        receivedOn,
        placeText: place,
        latitude: point?.lat ?? null,
        longitude: point?.lon ?? null,
        matchedCameraId: match.camera?.id ?? null,
        matchedZoneId: match.zone?.id ?? null,
        matchedPartyId: match.shop?.id ?? null,
        matchMethod: match.method,
        placeKey: key,
        groupId,
        content,
        reporterName: name,
        reporterPhone: phone,
        replyDueOn: deadlines.replyDueOn,
        transferDueOn: deadlines.transferDueOn,
        createdBy: how.actor?.id ?? null,
      });
      if (!id) return null;
      await appendAudit(tx, {
        actorKind: how.actor ? 'staff' : 'system',
        actorId: how.actor?.id ?? null,
        action: 'complaint.received',
        subjectKind: 'complaint',
        subjectId: id,
        districtId: input.districtId,
        // never the reporter: the audit log is read more widely than the complaint
        data: {
          source: how.source,
          hotlineNumber: how.hotlineNumber,
          grouped: groupId !== null,
          ...deadlines,
        },
      });
      return id;
    });
  }

  async list(
    staff: StaffPrincipal,
    filter: { status?: ComplaintStatus; groupId?: string; limit?: number } = {},
  ): Promise<ComplaintView[]> {
    assertRole(staff, COMPLAINT_ROLES);
    const rows = await listComplaints(this.pool, districtScope(staff), {
      ...filter,
      limit: filter.limit ?? 200,
    });
    const calendar = await this.calendar();
    const today = shanghaiDateOf(this.now());
    return rows.map((r) => toComplaintView(r, calendar, today));
  }

  /**
   * One complaint. The reporter is shown in clear only when asked for and the viewer's role may see it; every
   * view is written to the audit log, saying whether the reporter was shown.
   */
  async detail(staff: StaffPrincipal, id: string, showReporter = false): Promise<ComplaintDetail> {
    assertRole(staff, COMPLAINT_ROLES);
    const row = await findComplaint(this.pool, id, districtScope(staff));
    if (!row) throw new NotFoundError('complaint not found');
    const mayShow = mayViewReporter(staff.role);
    const shown = showReporter && mayShow && (row.reporterName !== null || row.reporterPhone !== null);
    await withTransaction(this.pool, (tx) =>
      appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: shown ? 'complaint.reporter_shown' : 'complaint.viewed',
        subjectKind: 'complaint',
        subjectId: row.id,
        districtId: row.districtId,
        data: { reporterShown: shown },
      }),
    );
    const reply = await replyOf(this.pool, row.id);
    return {
      ...(await this.view(row)),
      reporter: {
        name: shown ? row.reporterName : maskName(row.reporterName),
        phone: shown ? row.reporterPhone : maskPhone(row.reporterPhone),
        shown,
        mayShow,
      },
      reply: reply ? { recipient: reply.recipient, dueOn: reply.dueOn, sent: reply.sentAt !== null } : null,
    };
  }

  /**
   * The outcome of the check: substantiated, not substantiated, or passed to the department named. It is
   * recorded once; the reply to the hotline (or to a reporter who gave a phone number to staff) is queued in the
   * same transaction, due on the legal deadline of that outcome.
   */
  async decide(
    staff: StaffPrincipal,
    id: string,
    input: { outcome: ComplaintOutcome; note: string; department?: string },
  ): Promise<void> {
    assertRole(staff, OUTCOME_ROLES);
    const note = input.note.trim();
    const department = input.department?.trim() || null;
    if (!note || note.length > MAX_TEXT.note) throw new ValidationError('note: 1 to 2000 characters');
    if (input.outcome === 'transferred' && !department)
      throw new ValidationError('department: name the department the complaint is passed to');
    if (input.outcome !== 'transferred' && department)
      throw new ValidationError('department: only a transfer names a department');
    if (department && department.length > MAX_TEXT.department)
      throw new ValidationError('department: at most 200 characters');
    const row = await findComplaint(this.pool, id, districtScope(staff));
    if (!row) throw new NotFoundError('complaint not found');
    const at = this.now();
    const on = shanghaiDateOf(at);
    const deadlines = { replyDueOn: row.replyDueOn, transferDueOn: row.transferDueOn };
    await withTransaction(this.pool, async (tx) => {
      const done = await recordOutcome(tx, id, {
        outcome: input.outcome,
        note,
        department,
        at,
        on,
        by: staff.id,
      });
      if (!done) throw new ConflictError('the outcome of this complaint is recorded already');
      const recipient = row.source === 'hotline' ? 'hotline' : row.reporterPhone ? 'reporter' : null;
      if (recipient) {
        await insertReply(tx, {
          complaintId: id,
          recipient,
          dueOn: input.outcome === 'transferred' ? row.transferDueOn : row.replyDueOn,
          payload: {
            complaintNumber: row.hotlineNumber,
            outcome: input.outcome,
            note,
            department,
            decidedOn: on,
            basis: LEGAL_BASIS,
          },
        });
      }
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'complaint.outcome',
        subjectKind: 'complaint',
        subjectId: id,
        districtId: row.districtId,
        data: { outcome: input.outcome, department, inTime: outcomeInTime(input.outcome, on, deadlines) },
      });
    });
  }

  /** The state of the replies of complaints already read through `list` or `detail` (so within the scope). */
  async replyFlags(
    complaintIds: string[],
  ): Promise<Map<string, { flag: ReplyFlag; dueOn: string; attempts: number; lastError: string | null }>> {
    const [states, calendar] = await Promise.all([replyStates(this.pool, complaintIds), this.calendar()]);
    const today = shanghaiDateOf(this.now());
    return new Map(
      states.map((s) => [
        s.complaintId,
        { flag: replyFlag(s, today, calendar), dueOn: s.dueOn, attempts: s.attempts, lastError: s.lastError },
      ]),
    );
  }

  /** The outcomes waiting for the hotline, which fetches them and then acknowledges what it took. */
  async hotlineReplies(limit: number): Promise<PendingHotlineReply[]> {
    return pendingHotlineReplies(this.pool, limit);
  }

  /** The hotline took these replies: marked sent once, audited; ids already marked or unknown change nothing. */
  async acknowledgeHotlineReplies(ids: string[]): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      const complaints = await markHotlineRepliesSent(tx, ids, this.now());
      for (const complaintId of complaints) {
        await appendAudit(tx, {
          actorKind: 'system',
          action: 'complaint.reply_taken',
          subjectKind: 'complaint',
          subjectId: complaintId,
          data: { recipient: 'hotline' },
        });
      }
      return complaints.length;
    });
  }

  private async view(row: ComplaintRow): Promise<ComplaintView> {
    return toComplaintView(row, await this.calendar(), shanghaiDateOf(this.now()));
  }
}
