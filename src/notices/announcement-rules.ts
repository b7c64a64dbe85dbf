import { addDays, type LocalDate } from '../law/local-date.js';

/*
 * Service by public announcement (公告送达), without I/O. The Shanghai urban-management enforcement regulation,
 * art. 25: "城管执法部门以及乡、镇人民政府应当依照法律规定采用直接送达、留置送达、邮寄送达和公告送达等方式送达法律文书。
 * 采用公告送达的，城管执法部门以及乡、镇人民政府可以通过其政府网站和公告栏进行。自发出公告之日起，经过六十日，即视为送达。"
 * Announcement is the last of those means: it is refused while another one has not been tried or is still under
 * way, and it takes effect sixty days after the day it is published.
 */

/** "自发出公告之日起，经过六十日，即视为送达" (art. 25 para. 1). */
export const ANNOUNCEMENT_WAITING_DAYS = 60;

export interface DeliveryFact {
  channel: string;
  status: string;
}

export type AnnouncementRefusal = 'already_received' | 'delivery_under_way' | 'postal_not_tried';

/**
 * Why the notice may not (yet) be served by announcement, or null when the other means failed: nothing
 * reached the party, no online delivery is still under way, and the post came back (or there is no address to
 * post to).
 */
export function announcementRefusal(input: {
  received: boolean;
  deliveries: readonly DeliveryFact[];
  partyHasAddress: boolean;
}): AnnouncementRefusal | null {
  const { deliveries } = input;
  if (input.received || deliveries.some((d) => d.status === 'delivered')) return 'already_received';
  const online = deliveries.filter((d) => d.channel !== 'postal' && d.channel !== 'announcement');
  if (online.some((d) => d.status === 'pending' || d.status === 'sent')) return 'delivery_under_way';
  const postalReturned = deliveries.some((d) => d.channel === 'postal' && d.status === 'failed');
  if (!postalReturned && input.partyHasAddress) return 'postal_not_tried';
  return null;
}

export const REFUSAL_TEXT: Readonly<Record<AnnouncementRefusal, string>> = {
  already_received: 'the document has already reached the party; it is not served by announcement',
  delivery_under_way:
    'an announcement before the other means were tried: an online delivery is still under way',
  postal_not_tried:
    'an announcement before the other means were tried: the post to the party has not come back undelivered (record its return first)',
};

/** The day the announcement counts as service: sixty days after the day it was published. */
export function announcementEffectiveOn(publishedOn: LocalDate): LocalDate {
  return addDays(publishedOn, ANNOUNCEMENT_WAITING_DAYS);
}

/**
 * The party's name as the public page shows it: a person by the surname only (李某某), a shop or company by
 * the first two and the last character of its name, the rest hidden.
 */
export function maskPartyName(name: string, kind: 'person' | 'unit'): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '某某';
  if (kind === 'person') return `${chars[0]}某某`;
  if (chars.length <= 3) return `${chars[0]}${'＊'.repeat(chars.length - 1)}`;
  return `${chars.slice(0, 2).join('')}${'＊'.repeat(Math.min(chars.length - 3, 6))}${chars[chars.length - 1]}`;
}
