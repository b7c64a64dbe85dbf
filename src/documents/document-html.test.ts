import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { CATALOGUE_DIR, loadCatalogueFile } from '../law/law-config.adapter.js';
import { findViolationType, type ViolationType } from '../law/catalogue.js';
import { DocumentViewError } from './document-content.js';
import { escapeHtml, renderDocumentHtml } from './document-html.js';
import { sampleDocumentView } from './document-samples.js';
import type { EvidenceItem } from './document-view.js';

let stall: ViolationType;
let evidence: EvidenceItem[];
beforeAll(async () => {
  stall = findViolationType(await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json')), 'street_stall');
  const jpeg = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 120, b: 40 } },
  })
    .jpeg()
    .toBuffer();
  evidence = [
    {
      label: '现场照片1',
      capturedAt: '2026年3月2日10时15分',
      source: '世纪大道01号摄像机',
      sha256: 'a'.repeat(64),
      thumbnail: { bytes: jpeg, mediaType: 'image/jpeg' },
    },
    {
      label: '现场照片2',
      capturedAt: '2026年3月2日10时55分',
      source: '世纪大道01号摄像机',
      sha256: 'b'.repeat(64),
      thumbnailUrl: '/evidence/2/thumb.jpg',
    },
  ];
});

describe('document HTML', () => {
  it('shows the case number, the title, the Chinese legal text and the penalty', () => {
    const html = renderDocumentHtml(sampleDocumentView('advance_notice', stall, evidence));
    expect(html).toContain('<h1>行政处罚事先告知书</h1>');
    expect(html).toContain('沪浦城管非现〔2026〕第000123号');
    expect(html).toContain('《上海市市容环境卫生管理条例》第二十五条第二款');
    expect(html).toContain(escapeHtml(stall.penaltyProvision.excerpts[0]!));
    expect(html).toContain('罚款人民币壹佰元整（100元）');
    expect(html).toContain('2026年3月10日前');
    expect(html).toContain('<svg');
  });

  it('refuses a demand to pay without the decision and the amount owed', () => {
    const view = sampleDocumentView('payment_demand', stall, evidence);
    expect(renderDocumentHtml(view)).toContain('<h1>催告书</h1>');
    expect(() => renderDocumentHtml({ ...view, demand: undefined })).toThrow(DocumentViewError);
    expect(() => renderDocumentHtml({ ...view, demand: { ...view.demand!, fineFen: 0 } })).toThrow(
      /a fine to demand/,
    );
  });

  it('inlines thumbnail bytes, keeps portal paths and drops script URLs', () => {
    const withScript = [
      ...evidence,
      { ...evidence[1]!, label: '现场照片3', thumbnailUrl: 'javascript:alert(1)' },
    ];
    const html = renderDocumentHtml(sampleDocumentView('advance_notice', stall, withScript));
    expect(html).toMatch(/<img src="data:image\/jpeg;base64,\/9j\//);
    expect(html).toContain('src="/evidence/2/thumb.jpg"');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('a'.repeat(64));
  });

  it('escapes whatever the view holds', () => {
    const html = renderDocumentHtml(
      sampleDocumentView('decision', stall, evidence, {
        party: { kind: 'unit', name: '<script>alert("x")</script>某公司' },
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;某公司');
    expect(html).toContain('本机关决定对你单位处以罚款人民币壹佰元整（100元）');
  });

  it('tells of the hearing right only when the party has it', () => {
    const without = renderDocumentHtml(sampleDocumentView('advance_notice', stall, evidence));
    const withHearing = renderDocumentHtml(
      sampleDocumentView('advance_notice', stall, evidence, {
        deadlines: { statementDueOn: '2026-03-10', hearingRequestDueOn: '2026-03-10' },
      }),
    );
    expect(without).not.toContain('要求听证的，应当于');
    expect(withHearing).toContain('要求听证的，应当于2026年3月10日前提出');
  });

  it('states the periods from receipt: the rule with the earliest day, or the binding day once received', () => {
    const periods = { statementWorkingDays: 5, hearingRequestWorkingDays: 5 };
    const unknown = renderDocumentHtml(
      sampleDocumentView('advance_notice', stall, evidence, {
        deadlines: { statementDueOn: '2026-03-09', hearingRequestDueOn: '2026-03-09', ...periods },
      }),
    );
    expect(unknown).toContain(
      '请自收到本告知书之日起五个工作日内（本告知书作出当日收到的，即2026年3月9日前）通过本告知书所附二维码',
    );
    expect(unknown).toContain('要求听证的，应当自收到本告知书之日起五个工作日内');
    const received = renderDocumentHtml(
      sampleDocumentView('advance_notice', stall, evidence, {
        deadlines: {
          statementDueOn: '2026-03-13',
          ...periods,
          advanceNoticeReceivedOn: '2026-03-06',
        },
      }),
    );
    expect(received).toContain('请于2026年3月13日前（自2026年3月6日收到本告知书之日起五个工作日内）通过');
  });

  it('states payment, late fee and appeal routes in a decision, and only appeal routes when there is no fine', () => {
    const fined = renderDocumentHtml(sampleDocumentView('decision', stall, evidence));
    expect(fined).toContain('（即2026年3月30日前）');
    expect(fined).toContain('每日按罚款数额的百分之三加处罚款');
    expect(fined).toContain('60日内向上海市浦东新区人民政府申请行政复议');
    const none = renderDocumentHtml(sampleDocumentView('decision', stall, evidence, { fineFen: 0 }));
    expect(none).toContain('本机关决定对你不予行政处罚');
    expect(none).not.toContain('加处罚款');
  });

  it('orders the correction with its due date', () => {
    const html = renderDocumentHtml(sampleDocumentView('correction_order', stall, evidence));
    expect(html).toContain('<h1>责令改正通知书</h1>');
    expect(html).toContain(`本机关责令你于2026年3月2日前改正：${stall.correctionOrder}`);
  });

  it('refuses a view that misses what the document must say', () => {
    expect(() => renderDocumentHtml(sampleDocumentView('advance_notice', stall, []))).toThrow(
      /needs at least one evidence item/,
    );
    expect(() =>
      renderDocumentHtml(sampleDocumentView('advance_notice', stall, evidence, { deadlines: {} })),
    ).toThrow(DocumentViewError);
    expect(() =>
      renderDocumentHtml(sampleDocumentView('decision', stall, [{ ...evidence[0]!, sha256: 'XYZ' }])),
    ).toThrow(/lowercase hex SHA-256 for evidence "现场照片1"/);
  });
});
