import type { KeyObject } from 'node:crypto';
import { formatChineseDate } from '../law/local-date.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';
import type { CjkFont } from './cjk-font.adapter.js';
import type { DocumentModel } from './document-content.js';
import { renderModelHtml } from './document-html.js';
import { renderModelPdf } from './document-pdf.js';
import { keyFingerprint, sealDocument, SealKeyError, type DocumentSeal } from './seal.js';

/**
 * The receipt for a paid fine (罚没款缴款凭证) as a readable document: laid out and sealed like the case
 * documents, from the values of the sealed JSON receipt plus the fiscal e-bill when one was issued. Amounts are
 * printed in 元 in figures and in capital characters, as on Chinese financial documents; times in Beijing time.
 */

export const RECEIPT_TITLE = '罚没款缴款凭证';

export type ReceiptChannel = 'online' | 'bank' | 'counter';

export const CHANNEL_LABELS: Readonly<Record<ReceiptChannel, string>> = {
  online: '网上缴款（电子支付）',
  bank: '指定银行网点缴款',
  counter: '服务大厅银行柜台缴款',
};

/** The fiscal department's electronic bill for the payment (Pudong art. 14 "财政电子票据"). */
export interface ReceiptEbill {
  billNumber: string;
  verifyUrl: string;
  /** true for the sandbox platform: the number is printed as not a real bill */
  sandbox: boolean;
}

export interface ReceiptView {
  receiptNumber: string;
  /** the case number as printed on the case documents */
  caseNumber: string;
  payer: string;
  /** the enforcement agency the fine is paid to (执收单位) */
  payee: string;
  fineFen: number;
  lateFeeFen: number;
  amountFen: number;
  paidAt: Date;
  channel: ReceiptChannel;
  /** the payment provider's name, for an online payment */
  gateway: string;
  /** the order number with the provider, or BANK-/COUNTER- and the bank's receipt number */
  orderId: string;
  /** the provider's transaction id or the bank's receipt number */
  txnId: string | null;
  issuedAt: Date;
  ebill: ReceiptEbill | null;
  portalUrl: string;
  sealVerificationUrl: string;
  sealKeyFingerprint: string;
}

const beijing = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  hour12: false,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function beijingParts(instant: Date): Record<string, string> {
  return Object.fromEntries(beijing.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** 2026年12月2日 01:30:00（北京时间） */
export function beijingTime(instant: Date): string {
  const p = beijingParts(instant);
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}:${p.second}（北京时间）`;
}

/** The Beijing calendar day, YYYY-MM-DD. */
export function beijingDate(instant: Date): string {
  const p = beijingParts(instant);
  return `${p.year}-${p.month!.padStart(2, '0')}-${p.day!.padStart(2, '0')}`;
}

/** `10300` -> `103元（大写：壹佰零叁元整）` */
export function yuanWithCapitals(fen: number): string {
  return `${formatYuan(fen)}（大写：${chineseCapitalAmount(fen)}）`;
}

export function buildReceiptModel(view: ReceiptView): DocumentModel {
  if (view.amountFen !== view.fineFen + view.lateFeeFen)
    throw new RangeError(
      `receipt ${view.receiptNumber}: amount ${view.amountFen} is not fine ${view.fineFen} + late fee ${view.lateFeeFen}`,
    );
  const channel =
    view.channel === 'online' ? `${CHANNEL_LABELS.online}，${view.gateway}` : CHANNEL_LABELS[view.channel];
  const reference = view.channel === 'online' ? '支付订单号' : '银行回单号';
  const payment: Array<readonly [string, string]> = [
    ['缴款渠道', channel],
    ['缴款时间', beijingTime(view.paidAt)],
    [reference, view.channel === 'online' ? view.orderId : (view.txnId ?? view.orderId)],
  ];
  if (view.channel === 'online' && view.txnId) payment.push(['支付交易号', view.txnId]);
  const ebill: Array<readonly [string, string]> = view.ebill
    ? [
        [
          '票据号码',
          view.ebill.sandbox ? `${view.ebill.billNumber}（沙箱，非真实票据）` : view.ebill.billNumber,
        ],
        ['查验地址', view.ebill.verifyUrl],
      ]
    : [['票据号码', '尚未取得，开具后可在门户查看']];
  const issuedOn = beijingDate(view.issuedAt);
  return {
    kind: 'payment_receipt',
    title: RECEIPT_TITLE,
    agencyName: view.payee,
    caseNumber: view.caseNumber,
    blocks: [
      {
        type: 'fields',
        rows: [
          ['凭证编号', view.receiptNumber],
          ['案件编号', view.caseNumber],
          ['缴款人', view.payer],
          ['执收单位', view.payee],
        ],
      },
      { type: 'heading', text: '缴款金额' },
      {
        type: 'fields',
        rows: [
          ['罚款', yuanWithCapitals(view.fineFen)],
          ['加处罚款', yuanWithCapitals(view.lateFeeFen)],
          ['合计', yuanWithCapitals(view.amountFen)],
        ],
      },
      { type: 'heading', text: '缴款信息' },
      { type: 'fields', rows: payment },
      { type: 'heading', text: '财政电子票据' },
      { type: 'fields', rows: ebill },
      {
        type: 'paragraph',
        text: `上述款项已收讫，案件已结案。本凭证出具时间：${beijingTime(view.issuedAt)}。`,
      },
    ],
    portalUrl: view.portalUrl,
    portalCaption: '查看案件及本凭证',
    sealVerificationUrl: view.sealVerificationUrl,
    sealKeyFingerprint: view.sealKeyFingerprint,
    issuedOn,
    closing: { agency: view.payee, date: formatChineseDate(issuedOn) },
  };
}

export interface IssuedReceiptDocument {
  html: string;
  htmlSeal: DocumentSeal;
  pdf: Buffer;
  pdfSeal: DocumentSeal;
}

/** Renders the receipt both ways and seals both renderings with the agency's key, as case documents are. */
export async function issueReceiptDocument(
  view: ReceiptView,
  tools: { font: CjkFont; sealKey: KeyObject },
): Promise<IssuedReceiptDocument> {
  if (view.sealKeyFingerprint !== keyFingerprint(tools.sealKey))
    throw new SealKeyError(`the receipt names seal key ${view.sealKeyFingerprint}, not the key given`);
  const model = buildReceiptModel(view);
  const html = renderModelHtml(model);
  const pdf = await renderModelPdf(model, tools.font);
  return {
    html,
    htmlSeal: sealDocument(Buffer.from(html, 'utf8'), tools.sealKey),
    pdf,
    pdfSeal: sealDocument(pdf, tools.sealKey),
  };
}
