import type { NoticeKind } from './notice-message.js';

/*
 * Which notices may go online without the party's consent to electronic service.
 *
 * - The warning: Pudong art. 15 — "对当事人的违法行为，浦东新区城管执法部门应当通过短信告知或者语音电话等方式进行
 *   劝阻教育，责令及时改正". It is sent by SMS (or a voice call) as a matter of course; no consent is asked.
 * - The advance notice: Pudong art. 11 — "拟作出行政处罚的，可以采用电子邮件、短信、互联网应用程序、“一网通办”平台等
 *   信息化方式将违法事实、拟处罚内容、陈述申辩途径等告知当事人". Telling is not serving a decision.
 * - Every other document (the decision and the documents that go with it) is served online only with the
 *   party's consent and signed confirmation: Pudong art. 13 para. 2 — "经当事人同意并签订确认书的，浦东新区城管执法
 *   部门可以采用电子邮件、短信、互联网应用程序等信息化方式送达行政处罚决定书等相关法律文书"; APL art. 61 para. 2 —
 *   "当事人同意并签订确认书的，行政机关可以采用传真、电子邮件等方式，将行政处罚决定书等送达当事人". Without it they
 *   go by post (or the other means of service).
 */

const TOLD_WITHOUT_CONSENT: ReadonlySet<NoticeKind> = new Set<NoticeKind>(['warning', 'advance_notice']);

/** Whether sending this kind of notice online needs the party's recorded consent to electronic service. */
export function onlineDeliveryNeedsConsent(kind: NoticeKind): boolean {
  return !TOLD_WITHOUT_CONSENT.has(kind);
}

/** Why an online delivery of this kind may not go to a party without consent, for the delivery's record. */
export const NO_CONSENT_REASON =
  'no recorded consent to online service of decision documents (APL art. 61 para. 2; Pudong art. 13 para. 2)';
