import type { StaffRole } from '../auth/principal.js';
import type { WorkingCalendar } from '../law/calendar.js';
import type { LocalDate } from '../law/local-date.js';

/**
 * The rules of a complaint, pure. 《上海市城市管理行政执法条例》第二十六条第二款："城管执法部门以及乡、镇人民政府
 * 收到举报后，应当及时核查，并在五个工作日内将核查情况告知举报人；对不属于本单位职责范围的，应当向举报人说明情况，
 * 并在三个工作日内移送有关部门处理。" 第三款："城管执法部门以及乡、镇人民政府应当为举报人保密。"
 * Both periods run from the day the bureau received the report, that day not counted, in working days of the
 * project's calendar (weekends, holidays and make-up working days: src/law/calendar.ts).
 */
export const REPLY_WORKING_DAYS = 5;
export const TRANSFER_WORKING_DAYS = 3;
/** A deadline with this many working days left or fewer is flagged as due soon. */
export const DUE_SOON_WORKING_DAYS = 1;
/** A complaint joins an earlier one's group when it names the same place within this many days. */
export const GROUP_WINDOW_DAYS = 30;
/** Two complaints whose coordinates lie this close are about the same place. */
export const GROUP_RADIUS_M = 50;
/** The nearest camera within this distance is matched to a complaint's coordinates. */
export const CAMERA_MATCH_RADIUS_M = 200;

export const LEGAL_BASIS = '《上海市城市管理行政执法条例》第二十六条';

export type ComplaintStatus = 'open' | 'substantiated' | 'not_substantiated' | 'transferred';
export type ComplaintOutcome = Exclude<ComplaintStatus, 'open'>;

/**
 * Who sees the reporter in clear: the district staff who check the report and must tell the reporter the result
 * (art. 26 para. 2), and the agency head who answers for it. Admins (accounts and devices) and reviewers see the
 * identity masked: art. 26 para. 3 keeps it from everyone who does not need it. Every clear view is audited.
 */
export const REPORTER_VISIBLE_TO: readonly StaffRole[] = ['district_staff', 'agency_head'];
/** Who works on complaints at all (the list, the detail, the staff form and the outcome). */
export const COMPLAINT_ROLES: readonly StaffRole[] = ['admin', 'district_staff', 'agency_head'];
/** Who records an outcome: the staff who checked the report, or their head. */
export const OUTCOME_ROLES: readonly StaffRole[] = ['district_staff', 'agency_head'];

export function mayViewReporter(role: StaffRole): boolean {
  return REPORTER_VISIBLE_TO.includes(role);
}

export interface ComplaintDeadlines {
  replyDueOn: LocalDate;
  transferDueOn: LocalDate;
}

export function complaintDeadlines(receivedOn: LocalDate, calendar: WorkingCalendar): ComplaintDeadlines {
  return {
    replyDueOn: calendar.addWorkingDays(receivedOn, REPLY_WORKING_DAYS),
    transferDueOn: calendar.addWorkingDays(receivedOn, TRANSFER_WORKING_DAYS),
  };
}

export type ComplaintFlagLevel = 'due_soon' | 'overdue';
export interface ComplaintFlag {
  key: 'reply' | 'transfer';
  level: ComplaintFlagLevel;
  dueOn: LocalDate;
  /** working days left; negative once missed */
  workingDaysLeft: number;
}

/**
 * The flags of an open complaint, computed when it is read (no sweep job): the five-day reply and the three-day
 * transfer, each due soon with one working day left or fewer, overdue after its day. A decided complaint has none.
 */
export function complaintFlags(
  c: { status: ComplaintStatus; replyDueOn: LocalDate; transferDueOn: LocalDate },
  today: LocalDate,
  calendar: WorkingCalendar,
): ComplaintFlag[] {
  if (c.status !== 'open') return [];
  const flags: ComplaintFlag[] = [];
  for (const [key, dueOn] of [
    ['transfer', c.transferDueOn],
    ['reply', c.replyDueOn],
  ] as const) {
    if (today > dueOn) {
      flags.push({
        key,
        level: 'overdue',
        dueOn,
        workingDaysLeft: -calendar.workingDaysBetween(dueOn, today),
      });
    } else {
      const left = calendar.workingDaysBetween(today, dueOn);
      if (left <= DUE_SOON_WORKING_DAYS) flags.push({ key, level: 'due_soon', dueOn, workingDaysLeft: left });
    }
  }
  return flags;
}

/** Whether an outcome was told within its period: a transfer within three working days, the rest within five. */
export function outcomeInTime(
  outcome: ComplaintOutcome,
  outcomeOn: LocalDate,
  deadlines: ComplaintDeadlines,
): boolean {
  return outcomeOn <= (outcome === 'transferred' ? deadlines.transferDueOn : deadlines.replyDueOn);
}

/** 张三 → 张*, 欧阳小明 → 欧***; an empty name stays empty. */
export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 13812345678 → 138****5678; a short number keeps only its last two digits. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length >= 11) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return `${'*'.repeat(Math.max(1, phone.length - 2))}${phone.slice(-2)}`;
}

/**
 * The text form of a place used to compare places: full-width letters and digits made half-width, spaces and
 * punctuation removed, lower case. "浦东新区 世纪大道１００号。" and "浦东新区世纪大道100号" compare equal.
 */
export function normalizePlace(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The grouping key: the matched shop when there is one (its frontage is the place), else the place's text. */
export function placeKey(place: string, matchedPartyId: string | null): string {
  return matchedPartyId ? `party:${matchedPartyId}` : `text:${normalizePlace(place)}`;
}

/** Whether two normalised addresses name the same spot: one contains the other (a short one must be specific). */
export function addressMatches(placeNorm: string, candidateNorm: string): boolean {
  if (candidateNorm.length < 4 || placeNorm.length < 4) return false;
  return placeNorm.includes(candidateNorm) || candidateNorm.includes(placeNorm);
}

/** Great-circle distance in metres. */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
