import type { RuleShortName } from '../../evidence/evidence-manifest.js';
import type { StaffRole } from '../../auth/principal.js';
import type { CameraStatus } from '../../cameras/camera-status.js';
import type {
  CaseEventType,
  CaseOutcome,
  CaseState,
  DeliveryChannel,
  LegalReviewConclusion,
} from '../../cases/case-state.js';
import type { StatementOutcome } from '../../cases/statement-review.service.js';
import type { ProofRole } from '../../evidence/evidence-overlay.js';
import type { PartyKind } from '../../law/catalogue.js';
import type { Deadline, DeadlineKey } from '../../law/deadlines.js';
import type { PauseKind } from '../../law/late-fee.js';
import type { CaseNoticeKind } from '../../notices/case-notice.service.js';
import type { NoticeKind } from '../../notices/notice-message.js';
import type { DeliveryChannelName, DeliveryStatus } from '../../notices/notice.repo.js';
import type { StatementRow } from '../../portal/portal.repo.js';
import type { RejectReason, ReviewDecision, ReviewStage } from '../../review/review-reasons.js';
import type { RecheckFact } from '../../review/warn-first-record.js';
import type { RefusalReason } from '../../parties/shop-register-csv.js';
import type { DetectionRole } from '../../detect/detection.js';
import type { SourceKind } from '../../ingest/source-config.schema.js';
import type { RuleName } from '../../rules/rule-events.js';
import type { ZoneKind } from '../../zones/zone.schema.js';
import type { StaffLang } from './lang.js';
import type { AlertEventName, AlertKind, AlertSeverity, AlertState } from '../../alerts/alert.repo.js';

/**
 * The Chinese and English labels of every code a staff page shows. Each map is typed by the code's union, so a
 * new code without its label fails tsc; codes only the database or the catalogue files know are listed here as
 * unions of their own (the unit test beside this file checks them against the catalogue).
 */

export type Label = readonly [zh: string, en: string];
type Labels<K extends string> = Readonly<Record<K, Label>>;

/** Violation type codes of the catalogue files (config/catalogue/*.json). */
export const VIOLATION_TYPE_CODES = [
  'street_stall',
  'shop_encroachment',
  'public_space_piling',
  'illegal_dumping',
  'construction_waste',
] as const;
export type ViolationTypeCode = (typeof VIOLATION_TYPE_CODES)[number];

/** `violation_status` in the database. */
export type ViolationStatus =
  | 'open'
  | 'warned'
  | 'corrected'
  | 'pending_review'
  | 'approved'
  | 'rejected'
  | 'more_evidence'
  | 'closed'
  | 'awaiting_party';

/** `case_events.kind`: the machine's events, the filing, and each document issued outside the machine. */
export type CaseStepKind = 'filed' | CaseEventType | `${Exclude<CaseNoticeKind, 'advance_notice'>}_issued`;

export type HearingStatus = 'requested' | 'scheduled' | 'held' | 'withdrawn';
export type PaymentStatus = 'pending' | 'paid' | 'failed' | 'expired';
export type EvidenceKind = 'original' | 'annotated' | 'crop' | 'manifest';
export type ReviewTaskStatus = 'open' | 'claimed' | 'done' | 'cancelled';
export type DeviceRecordKind = 'maintenance' | 'test' | 'calibration' | 'legal_review' | 'technical_review';
export type ActorKind = 'staff' | 'party' | 'system';
export type FlagLevel = 'at_risk' | 'missed' | 'reminder';

const caseState: Labels<CaseState> = {
  filed: ['已立案', 'Filed'],
  advance_notice_sent: ['已发送事先告知书', 'Advance notice sent'],
  statement_window: ['陈述申辩期内', 'Statement period open'],
  statement_review: ['陈述申辩复核中', 'Statement under review'],
  hearing_requested: ['已要求听证', 'Hearing requested'],
  awaiting_decision: ['待作出决定', 'Awaiting decision'],
  decided: ['已作出处罚决定', 'Decided'],
  decision_delivered: ['处罚决定书已送达', 'Decision delivered'],
  payment_due: ['待缴纳罚款', 'Payment due'],
  overdue: ['逾期未缴纳', 'Overdue'],
  suspended: ['复议或诉讼期间', 'Under reconsideration or lawsuit'],
  paid: ['已缴纳', 'Paid'],
  enforcement_referred: ['已申请强制执行', 'Referred for enforcement'],
  closed: ['已结案', 'Closed'],
};

const caseStep: Labels<CaseStepKind> = {
  filed: ['立案', 'Case filed'],
  send_advance_notice: ['发出行政处罚事先告知书', 'Advance notice sent'],
  advance_notice_received: ['确认收到事先告知书', 'Advance notice received'],
  statement_submitted: ['提出陈述、申辩', 'Statement made'],
  hearing_requested: ['要求听证', 'Hearing requested'],
  rights_waived: ['放弃陈述、申辩和听证', 'Rights waived'],
  statement_window_elapsed: ['陈述申辩期限届满', 'Statement period over'],
  legal_review: ['法制审核', 'Legal review'],
  decide: ['作出行政处罚决定', 'Decision taken'],
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
  decision_issued: ['制作行政处罚决定书', 'Decision issued'],
  payment_demand_issued: ['制作催告书', 'Demand to pay issued'],
  no_penalty_decision_issued: ['制作不予行政处罚决定书', 'No-penalty decision issued'],
  hearing_notice_issued: ['制作听证通知书', 'Hearing notice issued'],
};

const caseOutcome: Labels<CaseOutcome> = {
  no_penalty: ['不予处罚', 'No penalty'],
  paid: ['已缴纳', 'Paid'],
  revoked: ['已撤销', 'Revoked'],
  withdrawn: ['已撤销立案', 'Withdrawn'],
  enforced: ['已强制执行', 'Enforced'],
};

const violationType: Labels<ViolationTypeCode> = {
  street_stall: ['无序设摊', 'Street stall'],
  shop_encroachment: ['跨门经营', 'Business outside the shop front'],
  public_space_piling: ['占道堆物', 'Piling on public space'],
  illegal_dumping: ['乱倒垃圾', 'Illegal dumping'],
  construction_waste: ['乱倒建筑垃圾', 'Dumping construction waste'],
};

/** The rules by their names, and by the short names a violation and its manifest record (`stall`, …). */
const rule: Labels<RuleName | RuleShortName> = {
  street_stall: ['无序设摊规则', 'Street stall rule'],
  shop_encroachment: ['跨门经营规则', 'Shop-front encroachment rule'],
  illegal_dumping: ['乱倒垃圾规则', 'Illegal dumping rule'],
  stall: ['无序设摊规则', 'Street stall rule'],
  encroachment: ['跨门经营规则', 'Shop-front encroachment rule'],
  dumping: ['乱倒垃圾规则', 'Illegal dumping rule'],
};

const violationStatus: Labels<ViolationStatus> = {
  open: ['观察中', 'Being watched'],
  warned: ['已劝阻，待复查', 'Warned, awaiting re-check'],
  corrected: ['已改正', 'Corrected'],
  pending_review: ['待审核', 'Awaiting review'],
  approved: ['审核通过', 'Approved'],
  rejected: ['不予认定', 'Rejected'],
  more_evidence: ['需补充证据', 'More evidence needed'],
  closed: ['已结束', 'Closed'],
  awaiting_party: ['待现场查明当事人', 'Awaiting the party (field task)'],
};

const zoneKind: Labels<ZoneKind> = {
  no_stall: ['禁止设摊区', 'No-stall zone'],
  shop_front: ['门前责任区', 'Shop front'],
  dumping_spot: ['易倒垃圾点', 'Dumping spot'],
  ignore: ['忽略区域', 'Ignored area'],
};

const reviewStage: Labels<ReviewStage> = {
  evidence: ['证据审核', 'Evidence review'],
  legal: ['法制审核', 'Legal review'],
};

const reviewDecision: Labels<ReviewDecision> = {
  approve: ['通过', 'Approve'],
  reject: ['不予认定', 'Reject'],
  more_evidence: ['补充证据', 'More evidence'],
};

const rejectReason: Labels<RejectReason> = {
  not_violation: ['不构成违法', 'Not a violation'],
  false_detection: ['误识别（对象错误或无对象）', 'False detection (wrong object or no object)'],
  exempt: [
    '依法豁免（许可活动、紧急情况、经批准的活动）',
    'Exempt (permitted activity, emergency, authorised event)',
  ],
  insufficient_evidence: ['证据不足', 'Insufficient evidence'],
  duplicate: ['重复违法记录', 'Duplicate of another violation'],
  other: ['其他（请说明）', 'Other (explain)'],
};

const reviewTaskStatus: Labels<ReviewTaskStatus> = {
  open: ['待领取', 'Open'],
  claimed: ['审核中', 'Being reviewed'],
  done: ['已完成', 'Done'],
  cancelled: ['已取消', 'Cancelled'],
};

const role: Labels<StaffRole> = {
  admin: ['系统管理员', 'Administrator'],
  district_staff: ['区级执法人员', 'District staff'],
  evidence_reviewer: ['证据审核员', 'Evidence reviewer'],
  legal_reviewer: ['法制审核员', 'Legal reviewer'],
  agency_head: ['机关负责人', 'Agency head'],
  patrol: ['巡查队员', 'Patrol officer'],
  leader: ['领导（只读）', 'Leadership (read-only)'],
};

const statementOutcome: Labels<StatementOutcome> = {
  accept: ['采纳', 'Accept'],
  partly_accept: ['部分采纳', 'Partly accept'],
  reject: ['不予采纳', 'Reject'],
};

const statementReviewStatus: Labels<StatementRow['review_status']> = {
  pending: ['待复核', 'Pending'],
  accepted: ['已采纳', 'Accepted'],
  partly_accepted: ['部分采纳', 'Partly accepted'],
  rejected: ['不予采纳', 'Rejected'],
};

const documentKind: Labels<NoticeKind> = {
  warning: ['劝阻告知书', 'Warning'],
  advance_notice: ['行政处罚事先告知书', 'Advance notice'],
  decision: ['行政处罚决定书', 'Penalty decision'],
  correction_order: ['责令改正通知书', 'Correction order'],
  payment_demand: ['催告书', 'Demand to pay'],
  no_penalty_decision: ['不予行政处罚决定书', 'No-penalty decision'],
  hearing_notice: ['听证通知书', 'Hearing notice'],
};

const deliveryChannel: Labels<DeliveryChannelName | DeliveryChannel> = {
  sms: ['短信', 'SMS'],
  push: ['应用推送', 'App push'],
  email: ['电子邮件', 'Email'],
  postal: ['邮寄', 'Post'],
  online: ['网上送达', 'Online'],
  in_person: ['直接送达', 'In person'],
  post: ['邮寄送达', 'By post'],
  announcement: ['公告送达', 'By public announcement'],
};

const fieldTaskReason: Labels<'party_unknown' | 'unreachable' | 'voice_call'> = {
  party_unknown: ['当事人不明', 'Party unknown'],
  unreachable: ['无法联系当事人', 'Party could not be reached'],
  voice_call: ['语音电话劝阻', 'Voice call warning'],
};

const fieldTaskOutcome: Labels<'party' | 'corrected' | 'answered' | 'no_answer'> = {
  party: ['已查明当事人', 'Party identified'],
  corrected: ['现场已改正', 'Corrected on site'],
  answered: ['已接听，已告知改正', 'Answered: warned and told to correct'],
  no_answer: ['未接听', 'No answer'],
};

const deliveryStatus: Labels<DeliveryStatus> = {
  pending: ['待发送', 'Pending'],
  sent: ['已发送', 'Sent'],
  delivered: ['已送达', 'Delivered'],
  failed: ['发送失败', 'Failed'],
  fallback: ['转邮寄送达', 'Postal fallback'],
};

const cameraStatus: Labels<CameraStatus> = {
  online: ['在线', 'Online'],
  stale: ['画面滞后', 'Stale'],
  offline: ['离线', 'Offline'],
  failing: ['故障', 'Failing'],
};

const sourceKind: Labels<SourceKind> = {
  snapshot: ['快照地址', 'Snapshot URL'],
  stream: ['视频流', 'Video stream'],
  file: ['视频文件', 'Video file'],
  folder: ['图片文件夹', 'Image folder'],
};

const deadline: Labels<DeadlineKey | 'enforcement'> = {
  statement: ['陈述申辩期限', 'Statement'],
  hearing_request: ['听证申请期限', 'Hearing request'],
  decision: ['作出决定期限', 'Decision'],
  delivery: ['送达期限', 'Delivery'],
  payment: ['缴款期限', 'Payment'],
  enforcement: ['申请强制执行期限', 'Enforcement'],
};

const deadlineOwner: Labels<Deadline['owner']> = {
  agency: ['本机关', 'the agency'],
  party: ['当事人', 'the party'],
};

const dayCounting: Labels<Deadline['counting']> = {
  natural: ['自然日', 'natural days'],
  working: ['工作日', 'working days'],
};

const flagLevel: Labels<FlagLevel> = {
  at_risk: ['临近届满', 'at risk'],
  missed: ['已超期', 'missed'],
  reminder: ['提醒', 'reminder'],
};

/** Why a row of a shop register file was not imported. */
const importRefusal: Labels<RefusalReason> = {
  missing_name: ['缺少名称', 'No name'],
  missing_address: ['缺少地址', 'No address'],
  too_long: ['内容过长', 'A field is too long'],
  malformed_credit_code: ['统一社会信用代码格式或校验码错误', 'Malformed credit code (check character)'],
  malformed_phone: ['联系电话格式错误', 'Malformed phone number'],
  malformed_email: ['电子邮箱格式错误', 'Malformed e-mail'],
  wrong_column_count: ['列数与表头不符', 'Column count differs from the header'],
  duplicate_code_in_register: ['该代码已在本区登记', 'Credit code already registered'],
  duplicate_code_in_file: ['与文件中前面的行代码重复', 'Credit code repeats an earlier row'],
  duplicate_name_address: [
    '同名同地址的商户已登记或在前面的行中',
    'Same name and address as a registered shop or earlier row',
  ],
};

const partyKind: Labels<PartyKind | 'person'> = {
  individual: ['个人', 'Individual'],
  person: ['个人', 'Person'],
  unit: ['单位', 'Unit'],
};

const legalReviewConclusion: Labels<LegalReviewConclusion> = {
  approved: ['同意', 'Approved'],
  rejected: ['不同意', 'Not approved'],
};

const recheckOutcome: Labels<RecheckFact['outcome']> = {
  escalate: ['宽限期后仍存在', 'Still there after the grace period'],
  unchecked: ['未能复查', 'Could not be made'],
  corrected: ['已改正', 'Corrected'],
  withdrawn: ['已撤回', 'Withdrawn'],
};

const hearingStatus: Labels<HearingStatus> = {
  requested: ['已申请', 'Requested'],
  scheduled: ['已安排', 'Scheduled'],
  held: ['已举行', 'Held'],
  withdrawn: ['已撤回', 'Withdrawn'],
};

const paymentStatus: Labels<PaymentStatus> = {
  pending: ['待支付', 'Pending'],
  paid: ['已支付', 'Paid'],
  failed: ['支付失败', 'Failed'],
  expired: ['已过期', 'Expired'],
};

const evidenceKind: Labels<EvidenceKind> = {
  original: ['原始图像', 'Original'],
  annotated: ['标注图像', 'Annotated'],
  crop: ['局部放大', 'Crop'],
  manifest: ['证据清单', 'Manifest'],
};

const proofRole: Labels<ProofRole> = {
  before: ['出现之前', 'Before'],
  first_seen: ['首次发现', 'First seen'],
  left: ['看管人离开', 'Attendant left'],
  confirmed: ['确认违法', 'Confirmed'],
  recheck: ['宽限期后复查', 'Re-check'],
};

const pauseKind: Labels<PauseKind> = {
  reconsideration: ['行政复议', 'Reconsideration'],
  litigation: ['行政诉讼', 'Litigation'],
};

const deviceRecordKind: Labels<DeviceRecordKind> = {
  maintenance: ['维护', 'Maintenance'],
  test: ['检测', 'Test'],
  calibration: ['校准', 'Calibration'],
  legal_review: ['法制审核', 'Legal review'],
  technical_review: ['技术审核', 'Technical review'],
};

const detectionRole: Labels<DetectionRole> = {
  person: ['行人', 'Person'],
  vehicle: ['车辆', 'Vehicle'],
  goods: ['货物', 'Goods'],
  carried: ['随身携带物品', 'Carried items'],
  dumping: ['倾倒堆放物', 'Dumped waste'],
  other: ['其他', 'Other'],
};

const actorKind: Labels<ActorKind> = {
  staff: ['工作人员', 'Staff'],
  party: ['当事人', 'Party'],
  system: ['系统', 'System'],
};

// alerts
const alertKind: Labels<AlertKind> = {
  camera_offline: ['摄像头离线', 'Camera offline'],
  capture_volume: ['抓拍量异常', 'Abnormal capture volume'],
  false_positive_rate: ['误报率偏高', 'High false-positive rate'],
  review_backlog: ['审核积压', 'Review backlog'],
  queue_stalled: ['处理队列停滞', 'Queue stalled'],
  detector_failing: ['识别模型故障', 'Detector failing'],
};

const alertState: Labels<AlertState> = {
  open: ['未处理', 'Open'],
  acknowledged: ['已确认', 'Acknowledged'],
  resolved: ['已解除', 'Resolved'],
};

const alertSeverity: Labels<AlertSeverity> = {
  info: ['提示', 'Info'],
  warning: ['警告', 'Warning'],
  critical: ['严重', 'Critical'],
};

const alertEvent: Labels<AlertEventName> = {
  opened: ['告警产生', 'Raised'],
  notified: ['已通知', 'Notified'],
  notify_failed: ['通知失败', 'Notice failed'],
  acknowledged: ['已确认', 'Acknowledged'],
  resolved: ['已解除', 'Resolved'],
};

const alertChannel: Labels<'sms' | 'email' | 'webhook'> = {
  sms: ['短信', 'SMS'],
  email: ['电子邮件', 'E-mail'],
  webhook: ['接口推送', 'Webhook'],
};

/** Every label map, by the name a view asks for. */
export const LABELS = {
  caseState,
  caseStep,
  caseOutcome,
  violationType,
  rule,
  violationStatus,
  zoneKind,
  reviewStage,
  reviewDecision,
  rejectReason,
  reviewTaskStatus,
  role,
  statementOutcome,
  statementReviewStatus,
  documentKind,
  deliveryChannel,
  deliveryStatus,
  cameraStatus,
  sourceKind,
  deadline,
  deadlineOwner,
  dayCounting,
  flagLevel,
  partyKind,
  importRefusal,
  legalReviewConclusion,
  recheckOutcome,
  hearingStatus,
  paymentStatus,
  evidenceKind,
  proofRole,
  pauseKind,
  deviceRecordKind,
  detectionRole,
  actorKind,
  alertKind,
  alertState,
  alertSeverity,
  alertEvent,
  alertChannel,
  fieldTaskReason,
  fieldTaskOutcome,
} as const;

export type LabelGroup = keyof typeof LABELS;
/** The codes a group knows. */
export type CodeOf<G extends LabelGroup> = keyof (typeof LABELS)[G] & string;

/**
 * The label of a code in one language. A code read from the database is a plain string; one the map does not know
 * (a row written by a newer version) shows as itself rather than failing the page.
 */
export function label<G extends LabelGroup>(
  lang: StaffLang,
  group: G,
  code: CodeOf<G> | string | null | undefined,
): string {
  if (code === null || code === undefined || code === '') return '—';
  const map: Readonly<Record<string, Label>> = LABELS[group];
  const pair = Object.prototype.hasOwnProperty.call(map, code) ? map[code] : undefined;
  return pair ? pair[lang === 'zh' ? 0 : 1] : code;
}
