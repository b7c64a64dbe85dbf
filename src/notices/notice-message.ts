import { DOCUMENT_KINDS, DOCUMENT_TITLES } from '../documents/document-view.js';

/**
 * The words of a notice message (SMS, push, e-mail). Kept short for SMS; the document itself is on the portal
 * behind the link and, for e-mail, attached as the sealed PDF. The message says what the second factor is
 * without saying the answer.
 */

/** A notice is a case document, or the warning that comes before any case. */
export const NOTICE_KINDS = ['warning', ...DOCUMENT_KINDS] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const NOTICE_TITLES: Readonly<Record<NoticeKind, string>> = {
  warning: '违法行为劝阻告知',
  ...DOCUMENT_TITLES,
};

export interface NoticeMessageInput {
  kind: NoticeKind;
  agencyName: string;
  /** Document form of the case number, when the notice belongs to a case. */
  caseNumber?: string | null;
  /** The act, e.g. 无序设摊. */
  violationName: string;
  /** Where the party opens the notice; absent when the channel cannot carry one. */
  link?: string;
  /** Whether the party has a phone on record: then the phone's last digits are offered as the second factor. */
  hasPhone: boolean;
  partyKind: 'person' | 'unit';
}

export interface NoticeMessage {
  subject: string;
  text: string;
}

export function composeNoticeMessage(input: NoticeMessageInput): NoticeMessage {
  const title = NOTICE_TITLES[input.kind];
  const numbered = input.caseNumber ? `（${input.caseNumber}）` : '';
  const factor = input.hasPhone
    ? '手机号码后4位'
    : input.partyKind === 'unit'
      ? '统一社会信用代码后6位'
      : '身份证件号码后6位';
  const lead = `【${input.agencyName}】`;
  const what =
    input.kind === 'warning'
      ? `您在监控范围内的${input.violationName}行为已被记录，请立即改正。`
      : `您有一份${title}${numbered}，事由：${input.violationName}。`;
  const open = input.link
    ? `请打开 ${input.link} 查看（需输入${factor}验证）。`
    : '请前往城管执法部门指定处理窗口查看。';
  const legal =
    input.kind === 'advance_notice'
      ? '您可在门户中确认收到、提出陈述申辩。'
      : input.kind === 'decision'
        ? '请在门户中确认收到并按期缴纳罚款。'
        : input.kind === 'payment_demand'
          ? '请在十日内缴纳罚款及加处罚款，逾期将申请人民法院强制执行。'
          : '';
  return { subject: `${title}${numbered}`, text: `${lead}${what}${open}${legal}` };
}
