/**
 * The portal's words in Chinese (the default) and English. Legal documents stay in Chinese in both: they are
 * the sealed text of record; the English page only explains around them.
 */

export type PortalLang = 'zh' | 'en';

const zh = {
  title: '城市管理非现场执法 · 当事人门户',
  verifyHeading: '打开执法文书',
  verifyIntro:
    '为保护您的信息，请输入接收通知的手机号码后4位，或身份证件号码（单位为统一社会信用代码）后6位。',
  factorLabel: '验证信息',
  verifyButton: '验证并打开',
  verifyFailed: '链接或验证信息不正确，请核对后重试。',
  rateLimited: '尝试次数过多，请稍后再试。',
  internalError: '系统出错，请稍后再试。请求编号：{id}',
  sessionExpired: '页面已过期，请重新验证。',
  caseNumber: '案件编号',
  status: '办理状态',
  documents: '执法文书',
  viewDocument: '查看文书',
  downloadPdf: '下载PDF',
  sealVerified: '电子印章校验通过',
  sealFailed: '电子印章校验未通过',
  sealKey: '验章公钥',
  acknowledged: '已于{at}确认收到',
  acknowledge: '确认收到',
  acknowledgeNote: '点击“确认收到”的时间即为本文书的送达时间。',
  evidence: '证据材料',
  originalHash: '原始文件SHA-256',
  downloadOriginal: '下载原始文件',
  deadlines: '期限',
  deadlinesFrom: '以下期限自文书送达（收到）之日起计算：事先告知书{advance}，决定书{decision}。',
  notReceivedYet: '尚未送达',
  steps: '办理过程',
  statement: '陈述和申辩',
  statementIntro: '您可以就违法事实、理由和证据提出陈述和申辩，可附图片（JPG、PNG）或PDF文件。',
  statementBody: '陈述、申辩内容',
  attachments: '附件（最多{count}个，每个不超过{size}MB）',
  submitStatement: '提交陈述申辩',
  statementsSubmitted: '已提交的陈述申辩',
  hearing: '听证',
  hearingIntro: '您有权要求举行听证。',
  requestHearing: '要求听证',
  hearingRequested: '已于{at}要求听证',
  waive: '放弃陈述、申辩和听证',
  waiveNote: '放弃后本机关将依法作出决定。',
  payment: '缴纳罚款',
  fine: '罚款',
  lateFee: '加处罚款',
  totalDue: '应缴金额',
  asOf: '（按{date}计算）',
  pay: '在线缴纳',
  paid: '已缴纳',
  receipt: '电子缴款凭证',
  downloadReceipt: '下载凭证',
  viewReceipt: '查看缴款凭证',
  receiptJson: '机读数据（JSON）',
  paymentDone: '缴款成功，本案已结案。缴款凭证如下：',
  ebill: '财政电子票据',
  ebillPending: '财政电子票据开具后在此显示。',
  paymentUnavailable: '暂未开通在线缴纳，请到指定银行缴纳。',
  done: '操作已完成。',
  back: '返回',
  language: 'English',
  noticeWarning: '劝阻告知',
  lookupHeading: '查询并办理案件',
  lookupIntro:
    '请输入执法文书上的案件编号，以及接收通知的手机号码后4位，或身份证件号码（单位为统一社会信用代码）后6位。验证通过后，可查看文书和证据，办理确认收到、陈述申辩、要求听证和缴款等事项。',
  caseNumberLabel: '案件编号',
  caseNumberHint: '例如：沪浦城管非现〔2026〕第000123号',
  lookupButton: '查询并打开',
  lookupFailed: '案件编号或验证信息不正确，请核对后重试。',
  lookupWindow: '也可携带文书到执法部门指定处理窗口办理。',
  checkSeal: '验证文书的电子印章',
} as const;

export type PortalText = Record<keyof typeof zh, string>;

const en: PortalText = {
  title: 'City enforcement · party portal',
  verifyHeading: 'Open your notice',
  verifyIntro:
    'To protect your information, enter the last 4 digits of the phone number that received the notice, or the last 6 characters of your ID number (unified social credit code for a unit).',
  factorLabel: 'Check',
  verifyButton: 'Check and open',
  verifyFailed: 'The link or the check is not right. Please check and try again.',
  rateLimited: 'Too many attempts. Please try again later.',
  internalError: 'Something went wrong. Please try again later. Request id: {id}',
  sessionExpired: 'This page has expired. Please check again.',
  caseNumber: 'Case number',
  status: 'Status',
  documents: 'Documents',
  viewDocument: 'View',
  downloadPdf: 'Download PDF',
  sealVerified: 'Electronic seal verified',
  sealFailed: 'Electronic seal does NOT verify',
  sealKey: 'Seal public key',
  acknowledged: 'Receipt acknowledged on {at}',
  acknowledge: 'Acknowledge receipt',
  acknowledgeNote: 'The moment you acknowledge is the legal time of delivery of this document.',
  evidence: 'Evidence',
  originalHash: 'SHA-256 of the original',
  downloadOriginal: 'Download original',
  deadlines: 'Deadlines',
  deadlinesFrom:
    'These deadlines run from the day each document was received: advance notice {advance}, decision {decision}.',
  notReceivedYet: 'not yet received',
  steps: 'Steps',
  statement: 'Statement and defence',
  statementIntro:
    'You may state your view of the facts, reasons and evidence, with images (JPG, PNG) or PDF files.',
  statementBody: 'Your statement',
  attachments: 'Attachments (up to {count}, {size} MB each)',
  submitStatement: 'Submit statement',
  statementsSubmitted: 'Statements submitted',
  hearing: 'Hearing',
  hearingIntro: 'You have the right to ask for a hearing.',
  requestHearing: 'Ask for a hearing',
  hearingRequested: 'Hearing asked for on {at}',
  waive: 'Give up statement and hearing',
  waiveNote: 'The bureau will then decide.',
  payment: 'Pay the fine',
  fine: 'Fine',
  lateFee: 'Late fee',
  totalDue: 'Amount due',
  asOf: ' (as of {date})',
  pay: 'Pay online',
  paid: 'Paid',
  receipt: 'Electronic receipt',
  downloadReceipt: 'Download receipt',
  viewReceipt: 'View receipt',
  receiptJson: 'Machine-readable (JSON)',
  paymentDone: 'Payment received; the case is closed. Your receipt:',
  ebill: 'Fiscal e-bill',
  ebillPending: 'The fiscal e-bill will be shown here once issued.',
  paymentUnavailable: 'Online payment is not available; please pay at the designated bank.',
  done: 'Done.',
  back: 'Back',
  language: '中文',
  noticeWarning: 'Warning',
  lookupHeading: 'Find and act on your case',
  lookupIntro:
    'Enter the case number printed on the document, and the last 4 digits of the phone number that received the notice or the last 6 characters of your ID number (unified social credit code for a unit). You can then see the documents and evidence, acknowledge receipt, make a statement, ask for a hearing or pay.',
  caseNumberLabel: 'Case number',
  caseNumberHint: 'For example: 沪浦城管非现〔2026〕第000123号',
  lookupButton: 'Find and open',
  lookupFailed: 'The case number or the check is not right. Please check and try again.',
  lookupWindow: 'You may also bring the document to the service window of the bureau.',
  checkSeal: 'Check the seal of a document',
};

export const PORTAL_TEXT: Readonly<Record<PortalLang, PortalText>> = { zh, en };

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) => String(values[key] ?? `{${key}}`));
}

/** The cookie that remembers the party's choice of language. */
export const PORTAL_LANG_COOKIE = 'plang';

/** The ?lang= of a request's query, if any. */
export function askedLang(query: unknown): unknown {
  return typeof query === 'object' && query !== null && 'lang' in query ? query.lang : undefined;
}

/** ?lang= wins and is remembered in a cookie; otherwise the cookie; otherwise Chinese. */
export function pickLang(query: unknown, cookie: string | undefined): PortalLang {
  const asked = askedLang(query);
  if (asked === 'en' || asked === 'zh') return asked;
  return cookie === 'en' ? 'en' : 'zh';
}

const STATES: Record<string, [string, string]> = {
  filed: ['已立案', 'Case filed'],
  advance_notice_sent: ['已发送事先告知书，待确认收到', 'Advance notice sent; awaiting your acknowledgement'],
  statement_window: ['陈述申辩期内', 'Statement period open'],
  statement_review: ['陈述申辩复核中', 'Your statement is being reviewed'],
  hearing_requested: ['已要求听证', 'Hearing requested'],
  awaiting_decision: ['待作出决定', 'Awaiting the decision'],
  decided: ['已作出处罚决定', 'Decision made'],
  decision_delivered: ['处罚决定书已送达，待确认收到', 'Decision sent; awaiting your acknowledgement'],
  payment_due: ['待缴纳罚款', 'Fine to be paid'],
  overdue: ['逾期未缴纳', 'Payment overdue'],
  suspended: ['行政复议或诉讼期间', 'Under reconsideration or lawsuit'],
  paid: ['已缴纳', 'Paid'],
  enforcement_referred: ['已申请强制执行', 'Referred for enforcement'],
  closed: ['已结案', 'Closed'],
};

export function stateLabel(state: string, lang: PortalLang): string {
  const pair = STATES[state];
  return pair ? pair[lang === 'zh' ? 0 : 1] : state;
}

const DEADLINES: Record<string, [string, string]> = {
  statement: ['陈述申辩截止日', 'Statement due by'],
  hearing_request: ['听证申请截止日', 'Hearing request due by'],
  decision: ['作出决定期限', 'Decision due by'],
  delivery: ['送达期限', 'Delivery due by'],
  payment: ['缴款截止日', 'Payment due by'],
};

export function deadlineLabel(key: string, lang: PortalLang): string {
  const pair = DEADLINES[key];
  return pair ? pair[lang === 'zh' ? 0 : 1] : key;
}

const STEPS: Record<string, [string, string]> = {
  filed: ['立案', 'Case filed'],
  send_advance_notice: ['发出行政处罚事先告知书', 'Advance notice sent'],
  advance_notice_received: ['确认收到事先告知书', 'Advance notice received'],
  statement_submitted: ['提出陈述、申辩', 'Statement made'],
  hearing_requested: ['要求听证', 'Hearing requested'],
  rights_waived: ['放弃陈述、申辩和听证', 'Rights waived'],
  statement_window_elapsed: ['陈述申辩期限届满', 'Statement period over'],
  legal_review: ['法制审核', 'Legal review'],
  decide: ['作出行政处罚决定', 'Decision made'],
  no_penalty_decision_issued: ['制作不予行政处罚决定书', 'No-penalty decision issued'],
  decision_issued: ['制作行政处罚决定书', 'Decision issued'],
  payment_demand_issued: ['制作催告书', 'Demand to pay issued'],
  deliver_decision: ['送达行政处罚决定书', 'Decision delivered'],
  decision_received: ['确认收到行政处罚决定书', 'Decision received'],
  payment_deadline_passed: ['逾期未缴纳罚款', 'Payment deadline passed'],
  review_started: ['申请行政复议或提起诉讼', 'Review or lawsuit started'],
  review_concluded: ['行政复议或诉讼终结', 'Review or lawsuit concluded'],
  payment_received: ['缴纳罚款', 'Fine paid'],
  refer_for_enforcement: ['申请强制执行', 'Referred for enforcement'],
  close_without_penalty: ['不予处罚，结案', 'Closed without penalty'],
  withdraw: ['撤销立案', 'Case withdrawn'],
  close: ['结案', 'Case closed'],
};

export function stepLabel(kind: string, lang: PortalLang): string {
  const pair = STEPS[kind];
  return pair ? pair[lang === 'zh' ? 0 : 1] : kind;
}
