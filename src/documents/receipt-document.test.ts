import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCjkFont, type CjkFont } from './cjk-font.adapter.js';
import { renderModelHtml } from './document-html.js';
import {
  beijingDate,
  beijingTime,
  buildReceiptModel,
  issueReceiptDocument,
  yuanWithCapitals,
  type ReceiptView,
} from './receipt-document.js';
import {
  generateSealKeyPair,
  keyFingerprint,
  loadSealPrivateKey,
  loadSealPublicKey,
  verifySeal,
} from './seal.js';

const pair = generateSealKeyPair();
const sealKey = loadSealPrivateKey(pair.privateKeyPem);

const view: ReceiptView = {
  receiptNumber: 'R2026000001-PAYX1',
  caseNumber: '沪浦城管非现〔2026〕第000001号',
  payer: '张某某',
  payee: '上海市浦东新区城市管理行政执法局',
  fineFen: 10_000,
  lateFeeFen: 300,
  amountFen: 10_300,
  // 17:30 UTC on 1 December is 01:30 on 2 December in Beijing.
  paidAt: new Date('2026-12-01T17:30:05.000Z'),
  channel: 'online',
  gateway: 'sandbox',
  orderId: 'PAYX1',
  txnId: 'T-1',
  issuedAt: new Date('2026-12-01T17:30:06.000Z'),
  ebill: {
    billNumber: 'SANDBOX-31000000000042',
    verifyUrl: 'https://fiscal-ebill-sandbox.invalid/v',
    sandbox: true,
  },
  portalUrl: 'https://portal.example.gov.cn/portal/cases/SH-PD-2026-000001',
  sealVerificationUrl: 'https://portal.example.gov.cn/portal/seal',
  sealKeyFingerprint: keyFingerprint(sealKey),
};

const fieldsOf = (v: ReceiptView) =>
  new Map(
    buildReceiptModel(v).blocks.flatMap((b) => (b.type === 'fields' ? b.rows.map(([k, x]) => [k, x]) : [])),
  );

describe('the receipt document', () => {
  it('prints the amounts in 元 in figures and in capital characters: fine, late fee and total', () => {
    expect(yuanWithCapitals(10_300)).toBe('103元（大写：壹佰零叁元整）');
    const fields = fieldsOf(view);
    expect(fields.get('罚款')).toBe('100元（大写：壹佰元整）');
    expect(fields.get('加处罚款')).toBe('3元（大写：叁元整）');
    expect(fields.get('合计')).toBe('103元（大写：壹佰零叁元整）');
    expect(fieldsOf({ ...view, fineFen: 5_050, lateFeeFen: 0, amountFen: 5_050 }).get('合计')).toBe(
      '50.50元（大写：伍拾元伍角整）',
    );
  });

  it('names the case, the payer, the payee, the channel, the order and the e-bill', () => {
    const fields = fieldsOf(view);
    expect(fields.get('案件编号')).toBe(view.caseNumber);
    expect(fields.get('缴款人')).toBe('张某某');
    expect(fields.get('执收单位')).toBe(view.payee);
    expect(fields.get('缴款渠道')).toBe('网上缴款（电子支付），sandbox');
    expect(fields.get('支付订单号')).toBe('PAYX1');
    expect(fields.get('凭证编号')).toBe(view.receiptNumber);
    expect(fields.get('票据号码')).toBe('SANDBOX-31000000000042（沙箱，非真实票据）');
    const bank = fieldsOf({ ...view, channel: 'bank', orderId: 'BANK-HR-1', txnId: 'HR-1', ebill: null });
    expect(bank.get('缴款渠道')).toBe('指定银行网点缴款');
    expect(bank.get('银行回单号')).toBe('HR-1');
    expect(bank.get('票据号码')).toMatch(/尚未取得/);
  });

  it('writes the payment time in Beijing time, across midnight UTC', () => {
    expect(beijingTime(view.paidAt)).toBe('2026年12月2日 01:30:05（北京时间）');
    expect(beijingDate(view.paidAt)).toBe('2026-12-02');
    expect(beijingTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027年1月1日 00:00:00（北京时间）');
    expect(beijingTime(new Date('2026-12-01T15:59:59Z'))).toBe('2026年12月1日 23:59:59（北京时间）');
    const model = buildReceiptModel(view);
    expect(fieldsOf(view).get('缴款时间')).toBe('2026年12月2日 01:30:05（北京时间）');
    expect(model.issuedOn).toBe('2026-12-02');
    expect(model.closing.date).toBe('2026年12月2日');
  });

  it('refuses an amount that is not fine plus late fee', () => {
    expect(() => buildReceiptModel({ ...view, amountFen: 10_000 })).toThrow(/not fine 10000 \+ late fee 300/);
  });

  it('escapes what it prints in the HTML', () => {
    const out = renderModelHtml(buildReceiptModel({ ...view, payer: '<script>x</script>' }));
    expect(out).not.toContain('<script>x');
    expect(out).toContain('&#60;script&#62;');
    expect(out).toContain('data-kind="payment_receipt"');
  });
});

describe('the receipt PDF', () => {
  let font: CjkFont;
  beforeAll(async () => {
    font = await loadCjkFont();
  });

  it('is sealed, renders the same bytes twice, and its text holds the case number and the capital amount', async () => {
    const issued = await issueReceiptDocument(view, { font, sealKey });
    const again = await issueReceiptDocument(view, { font, sealKey });
    expect(again.pdfSeal.documentSha256).toBe(issued.pdfSeal.documentSha256);
    const publicKey = loadSealPublicKey(pair.publicKeyPem);
    expect(verifySeal(issued.pdf, issued.pdfSeal, publicKey)).toEqual({ valid: true });
    expect(verifySeal(Buffer.from(issued.html, 'utf8'), issued.htmlSeal, publicKey)).toEqual({ valid: true });
    const text = await pdfText(issued.pdf);
    expect(text).toContain('罚没款缴款凭证');
    expect(text).toContain('沪浦城管非现〔2026〕第000001号');
    expect(text).toContain('壹佰零叁元整');
    expect(text).toContain('01:30:05');
  });
});

async function pdfText(pdf: Buffer): Promise<string> {
  const child = execFile('pdftotext', ['-enc', 'UTF-8', '-', '-']);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const done = new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(null) : reject(new Error(`pdftotext exited ${code}`)))),
  );
  child.stdin!.end(pdf);
  await done;
  return out.replace(/\s+/g, '');
}
