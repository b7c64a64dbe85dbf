import type { Citation } from './legal-citation.js';

/**
 * The periods and rates that statute fixes. They are constants rather than configuration because a bureau has
 * no discretion over them; what a bureau may set lives in the catalogue's `procedure` section.
 */

/** APL art. 60: decision within 90 days of filing (natural days). */
export const DECISION_PERIOD_DAYS = 90;
/** APL art. 61 with art. 85: delivery within 7 days of the decision, counted in working days. */
export const DELIVERY_PERIOD_WORKING_DAYS = 7;
/** APL art. 64 (1) with art. 85: a hearing is asked for within 5 working days of the advance notice. */
export const HEARING_REQUEST_WORKING_DAYS = 5;
/** APL art. 67 para. 3: payment within 15 days of receiving the decision (natural days). */
export const PAYMENT_PERIOD_DAYS = 15;
/** APL art. 72 (1): late fee of 3 % of the fine for each day, never more than the fine. */
export const LATE_FEE_PERCENT_PER_DAY = 3;

const APL = '中华人民共和国行政处罚法';
const PUDONG = '上海市浦东新区城市管理领域非现场执法规定';

/** The procedural provisions the documents and reasons quote; excerpts are exact. */
export const PROCEDURE_CITATIONS = {
  noPenaltyMinorCorrected: {
    law: APL,
    article: 33,
    paragraph: 1,
    excerpts: ['违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。'],
  },
  noPenaltyNoFault: {
    law: APL,
    article: 33,
    paragraph: 2,
    excerpts: ['当事人有证据足以证明没有主观过错的，不予行政处罚。'],
  },
  mitigation: {
    law: APL,
    article: 32,
    excerpts: ['当事人有下列情形之一，应当从轻或者减轻行政处罚：'],
  },
  advanceNotice: {
    law: APL,
    article: 44,
    excerpts: [
      '行政机关在作出行政处罚决定之前，应当告知当事人拟作出的行政处罚内容及事实、理由、依据，并告知当事人依法享有的陈述、申辩、要求听证等权利。',
    ],
  },
  statementRight: {
    law: APL,
    article: 45,
    excerpts: [
      '当事人有权进行陈述和申辩。行政机关必须充分听取当事人的意见，对当事人提出的事实、理由和证据，应当进行复核；当事人提出的事实、理由或者证据成立的，行政机关应当采纳。',
      '行政机关不得因当事人陈述、申辩而给予更重的处罚。',
    ],
  },
  hearingRight: {
    law: APL,
    article: 63,
    paragraph: 1,
    excerpts: [
      '行政机关拟作出下列行政处罚决定，应当告知当事人有要求听证的权利，当事人要求听证的，行政机关应当组织听证：',
      '（一）较大数额罚款；',
    ],
  },
  hearingRequestPeriod: {
    law: APL,
    article: 64,
    item: 1,
    excerpts: ['（一）当事人要求听证的，应当在行政机关告知后五日内提出；'],
  },
  decisionPeriod: {
    law: APL,
    article: 60,
    excerpts: ['行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。'],
  },
  deliveryPeriod: {
    law: APL,
    article: 61,
    paragraph: 1,
    excerpts: [
      '行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，行政机关应当在七日内依照《中华人民共和国民事诉讼法》的有关规定，将行政处罚决定书送达当事人。',
    ],
  },
  paymentPeriod: {
    law: APL,
    article: 67,
    paragraph: 3,
    excerpts: ['当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。'],
  },
  lateFee: {
    law: APL,
    article: 72,
    paragraph: 1,
    item: 1,
    excerpts: [
      '（一）到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额；',
    ],
  },
  lateFeePause: {
    law: APL,
    article: 73,
    paragraph: 3,
    excerpts: ['当事人申请行政复议或者提起行政诉讼的，加处罚款的数额在行政复议或者行政诉讼期间不予计算。'],
  },
  noStayOfExecution: {
    law: APL,
    article: 73,
    paragraph: 1,
    excerpts: [
      '当事人对行政处罚决定不服，申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。',
    ],
  },
  enforcementByCourt: {
    law: APL,
    article: 72,
    paragraph: 1,
    item: 4,
    excerpts: ['（四）依照《中华人民共和国行政强制法》的规定申请人民法院强制执行。'],
  },
  workingDays: {
    law: APL,
    article: 85,
    excerpts: ['本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。'],
  },
  pudongNotice: {
    law: PUDONG,
    article: 11,
    excerpts: [
      '浦东新区城管执法部门依据审核确认的证据，拟作出行政处罚的，可以采用电子邮件、短信、互联网应用程序、“一网通办”平台等信息化方式将违法事实、拟处罚内容、陈述申辩途径等告知当事人，要求其在指定时间内接受处理。',
    ],
  },
  pudongStatementReview: {
    law: PUDONG,
    article: 12,
    paragraph: 2,
    excerpts: [
      '浦东新区城管执法部门应当及时对当事人提出的事实、理由和证据进行复核。当事人提出的事实、理由或者证据成立的，应当予以采纳，不得因当事人陈述、申辩而给予更重的行政处罚。',
    ],
  },
  pudongElectronicDelivery: {
    law: PUDONG,
    article: 13,
    paragraph: 2,
    excerpts: [
      '经当事人同意并签订确认书的，浦东新区城管执法部门可以采用电子邮件、短信、互联网应用程序等信息化方式送达行政处罚决定书等相关法律文书。',
    ],
  },
  pudongOnlinePayment: {
    law: PUDONG,
    article: 14,
    excerpts: ['当事人可以通过电子支付系统缴纳罚款。'],
  },
  pudongWarnFirst: {
    law: PUDONG,
    article: 15,
    excerpts: [
      '对当事人的违法行为，浦东新区城管执法部门应当通过短信告知或者语音电话等方式进行劝阻教育，责令及时改正；当事人及时改正且违法行为轻微的，不予处罚。',
    ],
  },
  /** Service by announcement, its place and its sixty days (src/notices/announcement-rules.ts). */
  announcementService: {
    law: '上海市城市管理行政执法条例',
    article: 25,
    excerpts: [
      '采用公告送达的，城管执法部门以及乡、镇人民政府可以通过其政府网站和公告栏进行。自发出公告之日起，经过六十日，即视为送达。',
    ],
  },
} satisfies Record<string, Citation>;
