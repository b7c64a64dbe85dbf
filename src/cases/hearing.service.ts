import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors.js';
import { workingCalendar } from '../law/catalogue-store.js';
import type { CaseService } from './case.service.js';
import {
  findCaseHearing,
  investigatorsOf,
  recordHearing,
  scheduleHearing,
  staffInDistrict,
} from './hearing.repo.js';
import { compareDates, shanghaiDateOf } from '../law/local-date.js';

/**
 * Organising the hearing a party asked for (APL art. 64-65): staff schedule it with a host who did not
 * investigate the case and a clerk, at least seven (working, art. 85) days after the notice, which the sweep
 * issues and delivers like every case document; after the hearing its record is written in, with the party's
 * one or two representatives, and the decision rests on it.
 */

const ORGANISERS = ['legal_reviewer', 'district_staff', 'admin'] as const;
/** APL art. 64 (2): the party is told seven days before the hearing; art. 85 makes them working days. */
export const HEARING_NOTICE_WORKING_DAYS = 7;

export interface ScheduleInput {
  /** ISO instant of the hearing. */
  at: string;
  place: string;
  hostId: string;
  clerkId: string;
}

export interface HearingRecordInput {
  heldAt: string;
  record: string;
  representatives?: { name: string; relation?: string }[];
}

export class HearingService {
  constructor(private readonly cases: CaseService) {}

  async schedule(
    principal: StaffPrincipal,
    caseId: string,
    input: ScheduleInput,
  ): Promise<{ status: string; earliest: string }> {
    assertRole(principal, ORGANISERS);
    const at = new Date(input.at);
    if (Number.isNaN(at.getTime())) throw new ValidationError('the hearing time is not a date and time');
    const place = input.place.trim();
    if (!place) throw new ValidationError('the hearing needs its place');
    if (input.hostId === input.clerkId)
      throw new ValidationError('the host and the clerk are two different people');
    const calendar = await workingCalendar();
    const earliest = calendar.addWorkingDays(this.cases.today(), HEARING_NOTICE_WORKING_DAYS);
    const day = shanghaiDateOf(at);
    if (compareDates(day, earliest) < 0)
      throw new ValidationError(
        `听证通知须在举行听证七日前送达当事人（《中华人民共和国行政处罚法》第六十四条、第八十五条），听证日期最早为${earliest}（北京时间）/ the hearing is on ${day}, earlier than ${earliest}, seven working days after the notice`,
      );
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      if (row.status !== 'hearing_requested')
        throw new ConflictError(`case ${row.case_number} has no hearing to organise (it is ${row.status})`);
      const hearing = await findCaseHearing(tx, caseId);
      if (!hearing || hearing.status !== 'requested')
        throw new ConflictError(`the hearing is ${hearing?.status ?? 'not asked for'}: it is scheduled once`);
      const host = await staffInDistrict(tx, input.hostId, row.district_id);
      const clerk = await staffInDistrict(tx, input.clerkId, row.district_id);
      if (!host || !clerk)
        throw new ValidationError('the host and the clerk are active staff of the case district');
      if ((await investigatorsOf(tx, row.violation_id)).includes(host.id))
        throw new ValidationError(
          '听证由非本案调查人员主持（《中华人民共和国行政处罚法》第六十四条第（四）项）/ the host investigated this case',
        );
      await scheduleHearing(tx, caseId, { at, place, hostId: host.id, clerkId: clerk.id, by: principal.id });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'hearing.schedule',
        subjectKind: 'case',
        subjectId: caseId,
        districtId: row.district_id,
        data: { at: at.toISOString(), place, hostId: host.id, clerkId: clerk.id },
      });
      return { status: 'scheduled', earliest };
    });
  }

  async record(
    principal: StaffPrincipal,
    caseId: string,
    input: HearingRecordInput,
  ): Promise<{ status: string; recordSha256: string }> {
    assertRole(principal, ORGANISERS);
    const text = input.record.trim();
    if (!text) throw new ValidationError('the hearing record (听证笔录) is written or uploaded');
    const representatives = (input.representatives ?? [])
      .map((r) => ({ name: r.name.trim(), ...(r.relation?.trim() ? { relation: r.relation.trim() } : {}) }))
      .filter((r) => r.name);
    if (representatives.length > 2)
      throw new ValidationError(
        '当事人可以委托一至二人代理（第六十四条第（五）项）/ at most two representatives',
      );
    const heldAt = new Date(input.heldAt);
    if (Number.isNaN(heldAt.getTime())) throw new ValidationError('the hearing time is not a date and time');
    if (heldAt.getTime() > Date.now())
      throw new ValidationError('a hearing cannot be recorded before it is held');
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('case belongs to another district');
      const hearing = await findCaseHearing(tx, caseId);
      if (!hearing || hearing.status !== 'scheduled')
        throw new ConflictError(
          `the hearing is ${hearing?.status ?? 'not asked for'}: only a scheduled hearing is recorded`,
        );
      const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
      await recordHearing(tx, caseId, { heldAt, text, sha256, representatives });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'hearing.record',
        subjectKind: 'case',
        subjectId: caseId,
        districtId: row.district_id,
        data: { heldAt: heldAt.toISOString(), recordSha256: sha256, representatives: representatives.length },
      });
      return { status: 'held', recordSha256: sha256 };
    });
  }
}
