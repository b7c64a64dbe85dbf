import { citationText, formatCitation, type Citation } from '../law/legal-citation.js';
import { formatChineseDate, type LocalDate } from '../law/local-date.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';
import { PROCEDURE_CITATIONS } from '../law/procedure-law.js';
import { DOCUMENT_TITLES, type DocumentKind, type DocumentView, type EvidenceItem } from './document-view.js';
import { receiptPeriodPhrase } from './period-wording.js';

/**
 * The words of each document, decided once and shared by the HTML and the PDF renderer so the two never say
 * different things. A document is a title plus a list of blocks; the renderers only lay them out.
 */

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'fields'; rows: ReadonlyArray<readonly [label: string, value: string]> }
  | { type: 'law'; reference: string; text: string }
  | { type: 'list'; items: readonly string[] }
  | { type: 'evidence'; items: readonly EvidenceItem[] };

export interface DocumentModel {
  /** A case document, or a receipt for a paid fine (receipt-document.ts), laid out by the same renderers. */
  kind: DocumentKind | 'payment_receipt';
  title: string;
  agencyName: string;
  caseNumber: string;
  blocks: Block[];
  portalUrl: string;
  /** What the QR code beside the portal address leads to; the case documents' wording when absent. */
  portalCaption?: string;
  sealVerificationUrl: string;
  sealKeyFingerprint: string;
  issuedOn: string;
  /** Closing line: agency and date, as signed. */
  closing: { agency: string; date: string };
}

/** What the QR code of a case document offers. */
export const PORTAL_CAPTION = '查看案件、提出意见、缴纳罚款';

export class DocumentViewError extends Error {
  override name = 'DocumentViewError';
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function buildDocument(view: DocumentView): DocumentModel {
  checkView(view);
  const you = view.party.kind === 'unit' ? '你单位' : '你';
  const blocks: Block[] = [partyFields(view)];
  if (view.kind === 'payment_demand') {
    blocks.push(...demandBlocks(view, you));
    return model(view, blocks);
  }
  if (view.kind === 'hearing_notice') {
    blocks.push(...hearingBlocks(view, you));
    return model(view, blocks);
  }
  const decision = view.kind === 'decision' || view.kind === 'no_penalty_decision';
  blocks.push({ type: 'heading', text: decision ? '一、违法事实和证据' : '一、违法事实' });
  blocks.push({
    type: 'fields',
    rows: [
      ['违法行为', view.violation.name],
      ['时间', view.violation.occurredAt],
      ['地点', view.violation.location],
    ],
  });
  blocks.push({ type: 'paragraph', text: view.facts });
  blocks.push({ type: 'paragraph', text: '以上事实有下列证据证明（原始记录的SHA-256哈希值可在门户核对）：' });
  blocks.push({ type: 'evidence', items: view.evidence });

  blocks.push({ type: 'heading', text: '二、法律依据' });
  blocks.push({
    type: 'paragraph',
    text: `${you}的上述行为违反了${formatCitation(view.violatedProvision)}的规定：`,
  });
  blocks.push(law(view.violatedProvision));
  if (!sameProvision(view.violatedProvision, view.penaltyProvision)) {
    blocks.push({ type: 'paragraph', text: `${formatCitation(view.penaltyProvision)}规定：` });
    blocks.push(law(view.penaltyProvision));
  }

  if (view.kind === 'correction_order') blocks.push(...correctionBlocks(view, you));
  else blocks.push(...penaltyBlocks(view, you));
  return model(view, blocks);
}

function model(view: DocumentView, blocks: Block[]): DocumentModel {
  return {
    kind: view.kind,
    title: DOCUMENT_TITLES[view.kind],
    agencyName: view.agency.name,
    caseNumber: view.caseNumber,
    blocks,
    portalUrl: view.portalUrl,
    sealVerificationUrl: view.sealVerificationUrl,
    sealKeyFingerprint: view.sealKeyFingerprint,
    issuedOn: view.issuedOn,
    closing: { agency: view.agency.name, date: formatChineseDate(view.issuedOn) },
  };
}

function partyFields(view: DocumentView): Block {
  const rows: Array<readonly [string, string]> = [
    [view.party.kind === 'unit' ? '当事人（单位）' : '当事人', view.party.name],
  ];
  if (view.party.identifier)
    rows.push([view.party.kind === 'unit' ? '统一社会信用代码' : '身份证件号码', view.party.identifier]);
  if (view.party.address) rows.push(['地址', view.party.address]);
  return { type: 'fields', rows };
}

function law(citation: Citation): Block {
  return { type: 'law', reference: formatCitation(citation), text: citationText(citation) };
}

function sameProvision(a: Citation, b: Citation): boolean {
  return a.law === b.law && a.article === b.article && a.paragraph === b.paragraph && a.item === b.item;
}

const cite = (key: keyof typeof PROCEDURE_CITATIONS): string => formatCitation(PROCEDURE_CITATIONS[key]);
const date = (value: string): string => formatChineseDate(value);

function penaltyBlocks(view: DocumentView, you: string): Block[] {
  const fine = view.fineFen ?? 0;
  const notice = view.kind === 'advance_notice';
  const amount = `罚款人民币${chineseCapitalAmount(fine)}（${formatYuan(fine)}）`;
  const blocks: Block[] = [
    { type: 'heading', text: notice ? '三、拟作出的行政处罚' : '三、行政处罚的种类和依据' },
  ];
  if (fine === 0) {
    blocks.push({
      type: 'paragraph',
      text: notice ? `本机关拟对${you}不予行政处罚。` : `本机关决定对${you}不予行政处罚。`,
    });
  } else {
    const basis = formatCitation(view.penaltyProvision);
    blocks.push({
      type: 'paragraph',
      text: notice
        ? `依据${basis}的规定，本机关拟对${you}作出${amount}的行政处罚。`
        : `依据${basis}的规定，本机关决定对${you}处以${amount}。`,
    });
  }
  if (view.reasons.length > 0) {
    blocks.push({ type: 'paragraph', text: `裁量理由（处罚裁量基准版本${view.catalogueVersion}）：` });
    blocks.push({ type: 'list', items: view.reasons });
  }
  if (notice) {
    blocks.push({ type: 'heading', text: `四、${you}享有的权利` });
    blocks.push({ type: 'list', items: noticeRights(view, you) });
    return blocks;
  }
  if (fine > 0) {
    blocks.push({ type: 'heading', text: '四、履行方式和期限' });
    const by = view.deadlines.paymentDueOn ? `（即${date(view.deadlines.paymentDueOn)}前）` : '';
    blocks.push({
      type: 'list',
      items: [
        `请自收到本决定书之日起十五日内${by}，通过本决定书所附二维码进入门户以电子支付方式缴纳罚款，或者到指定的银行缴纳罚款（${cite('paymentPeriod')}、${cite('pudongOnlinePayment')}）。`,
        `到期不缴纳罚款的，依据${cite('lateFee')}的规定，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。`,
      ],
    });
  }
  const appeal = view.appeal!;
  blocks.push({ type: 'heading', text: fine > 0 ? '五、救济途径和期限' : '四、救济途径和期限' });
  blocks.push({
    type: 'list',
    items: [
      `如不服本决定，可以自收到本决定书之日起${appeal.reconsiderationDays}日内向${appeal.reconsiderationBody}申请行政复议，或者自收到本决定书之日起${appeal.litigationMonths}个月内向${appeal.court}提起行政诉讼。`,
      ...(fine > 0
        ? [
            `依据${cite('noStayOfExecution')}、${cite('lateFeePause')}的规定，申请行政复议或者提起行政诉讼期间本决定不停止执行，加处罚款的数额在行政复议或者行政诉讼期间不予计算。`,
          ]
        : []),
    ],
  });
  return blocks;
}

function noticeRights(view: DocumentView, you: string): string[] {
  const window = view.agency.serviceWindow ? `，也可以到${view.agency.serviceWindow}当面提出` : '';
  const d = view.deadlines;
  // With the periods' lengths the notice states them from receipt (period-wording.ts); else the dates alone.
  const within = (dueOn: LocalDate, workingDays: number | undefined): string =>
    workingDays
      ? receiptPeriodPhrase({ workingDays, dueOn, receivedOn: d.advanceNoticeReceivedOn })
      : `于${date(dueOn)}前`;
  const rights = [
    `依据${cite('advanceNotice')}、${cite('statementRight')}的规定，${you}有权进行陈述和申辩。请${within(d.statementDueOn!, d.statementWorkingDays)}通过本告知书所附二维码进入门户提出陈述、申辩意见${window}；逾期未提出的，视为放弃陈述、申辩的权利。`,
  ];
  if (d.hearingRequestDueOn) {
    rights.push(
      `依据${cite('hearingRight')}和${cite('hearingRequestPeriod')}的规定，${you}有权要求听证。要求听证的，应当${within(d.hearingRequestDueOn, d.hearingRequestWorkingDays)}提出；本机关不向当事人收取听证费用。`,
    );
  }
  rights.push(
    `本机关将对${you}提出的事实、理由和证据进行复核，成立的予以采纳，不因${you}陈述、申辩而给予更重的处罚。`,
  );
  return rights;
}

function correctionBlocks(view: DocumentView, you: string): Block[] {
  return [
    { type: 'heading', text: '三、责令改正' },
    {
      type: 'paragraph',
      text: `本机关责令${you}于${date(view.deadlines.correctionDueOn!)}前改正：${view.correctionOrder}。`,
    },
    {
      type: 'list',
      items: [
        `依据${cite('pudongWarnFirst')}的规定，${you}及时改正且违法行为轻微的，不予处罚；逾期不改正的，本机关将依法调查处理。`,
        `对本通知有异议的，可以通过本通知所附二维码进入门户提出意见。`,
      ],
    },
  ];
}

/** The hearing notice: time, place, host and clerk, and the party's rights at the hearing (APL art. 64). */
function hearingBlocks(view: DocumentView, you: string): Block[] {
  const h = view.hearing!;
  return [
    { type: 'heading', text: '一、听证事项' },
    {
      type: 'fields',
      rows: [
        ['案件', view.caseNumber],
        ['违法行为', view.violation.name],
        ['听证时间', h.at],
        ['听证地点', h.place],
        ['听证主持人', h.host],
        ['记录人', h.clerk],
      ],
    },
    {
      type: 'paragraph',
      text: `${you}要求就本机关拟作出的行政处罚举行听证，本机关决定依照《中华人民共和国行政处罚法》第六十四条的规定举行听证，现于听证七日前通知如下。`,
    },
    { type: 'heading', text: `二、${you}享有的权利` },
    {
      type: 'list',
      items: [
        `${you}可以亲自参加听证，也可以委托一至二人代理。`,
        `${you}认为主持人与本案有直接利害关系的，有权申请回避。`,
        '听证时，调查人员提出当事人违法的事实、证据和行政处罚建议，当事人可以进行申辩和质证。',
        '听证应当制作笔录，笔录交当事人或者其代理人核对无误后签字或者盖章；本机关根据听证笔录作出决定。',
        `${you}及其代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。`,
      ],
    },
  ];
}

/** Administrative Compulsion Law: not among the texts in shared/law, so cited without quoting (docs/procedure.md). */
const COMPULSION_LAW = '《中华人民共和国行政强制法》';

/**
 * The demand to pay before the court is asked to enforce (催告书): written, with the period, the way to pay, the
 * exact amount, and the right to state and defend (Administrative Compulsion Law art. 35, 36, 54).
 */
function demandBlocks(view: DocumentView, you: string): Block[] {
  const d = view.demand!;
  const total = d.fineFen + d.lateFeeFen;
  const money = (fen: number) => `人民币${chineseCapitalAmount(fen)}（${formatYuan(fen)}）`;
  const window = view.agency.serviceWindow ? `，也可以到${view.agency.serviceWindow}当面提出` : '';
  return [
    { type: 'heading', text: '一、行政处罚决定及履行情况' },
    {
      type: 'fields',
      rows: [
        ['行政处罚决定书', view.caseNumber],
        ['违法行为', view.violation.name],
        ['作出日期', date(d.decidedOn)],
        ['收到日期', date(d.receivedOn)],
        ['罚款', money(d.fineFen)],
        ['缴款期限', `${date(d.paymentDueOn)}前`],
      ],
    },
    {
      type: 'paragraph',
      text: `本机关对${you}作出的上述行政处罚决定已依法送达，${you}未在规定期限内缴纳罚款。`,
    },
    { type: 'heading', text: '二、催告事项' },
    {
      type: 'list',
      items: [
        `依据${COMPULSION_LAW}第三十五条、第五十四条的规定，现催告${you}自收到本催告书之日起十日内（本催告书作出当日收到的，即${date(d.payByOn)}前）履行缴纳罚款的义务。`,
        `截至${date(view.issuedOn)}，应缴罚款${money(d.fineFen)}，依据${cite('lateFee')}的规定加处罚款${money(d.lateFeeFen)}，合计${money(total)}。加处罚款自缴款期限届满次日起每日按罚款数额的百分之三计算，至缴纳之日止，不超出罚款的数额；实际应缴金额以缴纳当日门户显示的金额为准。`,
        `缴纳方式：通过本催告书所附二维码进入门户以电子支付方式缴纳（${cite('pudongOnlinePayment')}），或者到指定的银行缴纳。`,
      ],
    },
    { type: 'heading', text: `三、${you}享有的权利` },
    {
      type: 'paragraph',
      text: `依据${COMPULSION_LAW}第三十五条、第三十六条的规定，${you}收到本催告书后有权进行陈述和申辩，可以在上述期限内以书面形式向本机关提出${window}。本机关将充分听取意见，对提出的事实、理由和证据进行记录、复核，成立的予以采纳。`,
    },
    { type: 'heading', text: '四、逾期不履行的后果' },
    {
      type: 'paragraph',
      text: `${you}在上述期限内仍未履行的，本机关将依据${cite('enforcementByCourt')}和${COMPULSION_LAW}第五十三条、第五十四条的规定，申请人民法院强制执行。`,
    },
  ];
}

function checkView(view: DocumentView): void {
  const missing = (what: string): never => {
    throw new DocumentViewError(
      `${DOCUMENT_TITLES[view.kind] ?? view.kind} for ${view.caseNumber || '(no case number)'} needs ${what}`,
    );
  };
  if (!DOCUMENT_TITLES[view.kind])
    throw new DocumentViewError(`unknown document kind "${String(view.kind)}"`);
  if (!view.caseNumber.trim()) missing('a case number');
  if (view.kind === 'hearing_notice') {
    if (!view.hearing) missing('the hearing (time, place, host, clerk)');
  } else if (view.kind === 'payment_demand') {
    if (!view.demand) missing('the decision and the amount owed (demand)');
    if (!(view.demand!.fineFen > 0)) missing('a fine to demand');
  } else {
    if (!view.facts.trim()) missing('the facts');
    if (view.evidence.length === 0) missing('at least one evidence item');
  }
  for (const item of view.evidence) {
    if (!SHA256_HEX.test(item.sha256))
      missing(`a lowercase hex SHA-256 for evidence "${item.label}" (got "${item.sha256}")`);
  }
  if (!/^https?:\/\//.test(view.portalUrl)) missing(`an http(s) portal URL (got "${view.portalUrl}")`);
  if (view.kind === 'advance_notice') {
    if (!view.deadlines.statementDueOn) missing('deadlines.statementDueOn');
    if (!view.fineFen) missing('the proposed fine (a case with no penalty gets no advance notice)');
  }
  if ((view.kind === 'decision' || view.kind === 'no_penalty_decision') && !view.appeal)
    missing('the appeal routes');
  if (view.kind === 'no_penalty_decision' && view.fineFen) missing('no fine (it decides that there is none)');
  if (view.kind === 'correction_order') {
    if (!view.deadlines.correctionDueOn) missing('deadlines.correctionDueOn');
    if (!view.correctionOrder?.trim()) missing('what the party must do (correctionOrder)');
  }
}
