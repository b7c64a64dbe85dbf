import type { WorkingCalendar } from '../law/calendar.js';
import type { LocalDate } from '../law/local-date.js';
import {
  complaintFlags,
  LEGAL_BASIS,
  outcomeInTime,
  type ComplaintFlag,
  type ComplaintStatus,
} from './complaint-rules.js';
import type { ComplaintRow } from './complaint.repo.js';

export interface ComplaintView {
  id: string;
  source: 'hotline' | 'staff';
  hotlineNumber: string | null;
  districtId: string;
  receivedAt: string;
  receivedOn: string;
  place: { text: string; latitude: number | null; longitude: number | null };
  match: {
    method: 'coordinates' | 'address' | 'none';
    camera: { id: string; name: string } | null;
    zone: { id: string; name: string } | null;
    shop: { id: string; name: string } | null;
  };
  group: { id: string; size: number };
  content: string;
  status: ComplaintStatus;
  deadlines: { replyDueOn: string; transferDueOn: string; basis: string };
  flags: ComplaintFlag[];
  outcome: {
    note: string | null;
    department: string | null;
    on: string | null;
    inTime: boolean | null;
  };
}

export interface ComplaintDetail extends ComplaintView {
  reporter: { name: string | null; phone: string | null; shown: boolean; mayShow: boolean };
  reply: { recipient: 'hotline' | 'reporter'; dueOn: string; sent: boolean } | null;
}

/** A complaint as staff pages and the API show it, its deadline flags as of `today`. */
export function toComplaintView(r: ComplaintRow, calendar: WorkingCalendar, today: LocalDate): ComplaintView {
  const deadlines = { replyDueOn: r.replyDueOn, transferDueOn: r.transferDueOn };
  return {
    id: r.id,
    source: r.source,
    hotlineNumber: r.hotlineNumber,
    districtId: r.districtId,
    receivedAt: r.receivedAt.toISOString(),
    receivedOn: r.receivedOn,
    place: { text: r.placeText, latitude: r.latitude, longitude: r.longitude },
    match: {
      method: r.matchMethod,
      camera: r.matchedCameraId ? { id: r.matchedCameraId, name: r.matchedCameraName ?? '' } : null,
      zone: r.matchedZoneId ? { id: r.matchedZoneId, name: r.matchedZoneName ?? '' } : null,
      shop: r.matchedPartyId ? { id: r.matchedPartyId, name: r.matchedPartyName ?? '' } : null,
    },
    group: { id: r.groupId, size: r.groupSize },
    content: r.content,
    status: r.status,
    deadlines: { ...deadlines, basis: LEGAL_BASIS },
    flags: complaintFlags({ status: r.status, ...deadlines }, today, calendar),
    outcome: {
      note: r.outcomeNote,
      department: r.transferDepartment,
      on: r.outcomeOn,
      inTime: r.status === 'open' || !r.outcomeOn ? null : outcomeInTime(r.status, r.outcomeOn, deadlines),
    },
  };
}
