import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { CATALOGUE_DIR, loadCatalogueFile } from '../law/law-config.adapter.js';
import { findViolationType, type ViolationType } from '../law/catalogue.js';
import { loadCjkFont, DocumentFontError, type CjkFont } from './cjk-font.adapter.js';
import { renderDocumentPdf, DocumentRenderError } from './document-pdf.js';
import { sampleDocumentView } from './document-samples.js';
import type { DocumentKind, EvidenceItem } from './document-view.js';

const run = promisify(execFile);
// jsqr is CommonJS typed as an ES default export: under NodeNext the function is the module's `default`.
type ReadQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR = (jsQRModule as unknown as { default: ReadQr }).default;
let font: CjkFont;
let dumping: ViolationType;
let stall: ViolationType;
let evidence: EvidenceItem[];
let workDir: string;

beforeAll(async () => {
  font = await loadCjkFont();
  const catalogue = await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json'));
  dumping = findViolationType(catalogue, 'illegal_dumping');
  stall = findViolationType(catalogue, 'street_stall');
  const jpeg = await sharp({
    create: { width: 160, height: 120, channels: 3, background: { r: 30, g: 90, b: 160 } },
  })
    .jpeg()
    .toBuffer();
  const png = await sharp({
    create: { width: 160, height: 120, channels: 4, background: { r: 0, g: 160, b: 0, alpha: 1 } },
  })
    .png()
    .toBuffer();
  evidence = [
    {
      label: '现场照片1',
      capturedAt: '2026年3月2日10时15分',
      source: '世纪大道01号摄像机',
      sha256: '3f'.repeat(32),
      thumbnail: { bytes: jpeg, mediaType: 'image/jpeg' },
    },
    {
      label: '现场照片2',
      capturedAt: '2026年3月2日10时55分',
      source: '世纪大道01号摄像机',
      sha256: 'c0'.repeat(32),
      thumbnail: { bytes: png, mediaType: 'image/png' },
    },
    {
      label: '视频截图3',
      capturedAt: '2026年3月2日11时00分',
      source: '世纪大道01号摄像机',
      sha256: '9e'.repeat(32),
    },
  ];
  workDir = await mkdtemp(path.join(tmpdir(), 'case-pdf-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function pdfText(pdf: Buffer, name: string): Promise<string> {
  const file = path.join(workDir, `${name}.pdf`);
  await writeFile(file, pdf);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  return stdout;
}

// Line wrapping puts breaks inside long strings; the reader's eye ignores them, and so does this.
const flat = (text: string): string => text.replace(/\s+/g, '');

describe('document PDF', () => {
  it.each<DocumentKind>(['advance_notice', 'decision', 'correction_order'])(
    '%s: pdftotext finds the case number and the Chinese legal basis',
    async (kind) => {
      const pdf = await renderDocumentPdf(sampleDocumentView(kind, dumping, evidence), font);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = flat(await pdfText(pdf, kind));
      expect(text).toContain('沪浦城管非现〔2026〕第000123号');
      expect(text).toContain('《上海市市容环境卫生管理条例》第二十八条第一款第（四）项');
      expect(text).toContain(flat(dumping.penaltyProvision.excerpts[1]!));
      expect(text).toContain('3f'.repeat(32));
    },
  );

  it('prints the penalty, the deadlines and the rights', async () => {
    const text = flat(
      await pdfText(
        await renderDocumentPdf(sampleDocumentView('decision', stall, evidence), font),
        'decision-stall',
      ),
    );
    expect(text).toContain('罚款人民币壹佰元整（100元）');
    expect(text).toContain('2026年3月30日前');
    expect(text).toContain('每日按罚款数额的百分之三加处罚款');
    expect(text).toContain('申请行政复议');
  });

  it('prints a demand to pay with the decision, the exact amount owed, the period, the rights and the court', async () => {
    const text = flat(
      await pdfText(
        await renderDocumentPdf(sampleDocumentView('payment_demand', stall, evidence), font),
        'payment-demand',
      ),
    );
    expect(text).toContain('催告书');
    expect(text).toContain('沪浦城管非现〔2026〕第000123号');
    expect(text).toContain('加处罚款人民币叁拾元整（30元）');
    expect(text).toContain('合计人民币壹佰叁拾元整（130元）');
    expect(text).toContain('自收到本催告书之日起十日内');
    expect(text).toContain('2026年4月12日前');
    expect(text).toContain('有权进行陈述和申辩');
    expect(text).toContain('申请人民法院强制执行');
    expect(text).toContain('《中华人民共和国行政处罚法》第七十二条第一款第（四）项');
  });

  it('gives the same bytes for the same view, so a sealed PDF can be rendered again', async () => {
    const view = sampleDocumentView('advance_notice', stall, evidence);
    const [first, second] = await Promise.all([renderDocumentPdf(view, font), renderDocumentPdf(view, font)]);
    expect(first.equals(second)).toBe(true);
    const other = await renderDocumentPdf({ ...view, caseNumber: '沪浦城管非现〔2026〕第000124号' }, font);
    expect(other.equals(first)).toBe(false);
  });

  it('carries a QR code that reads back as the portal address', async () => {
    const pdf = await renderDocumentPdf(sampleDocumentView('advance_notice', stall, evidence), font);
    const file = path.join(workDir, 'qr.pdf');
    await writeFile(file, pdf);
    // The QR code sits in the footer, on the last page.
    const { stdout: info } = await run('pdfinfo', [file]);
    const lastPage = /^Pages:\s+(\d+)/m.exec(info)?.[1] ?? '1';
    await run('pdftoppm', [
      '-r',
      '100',
      '-f',
      lastPage,
      '-l',
      lastPage,
      '-png',
      file,
      path.join(workDir, 'qr-page'),
    ]);
    const pages = (await readdir(workDir)).filter((name) => name.startsWith('qr-page')).sort();
    expect(pages.length).toBeGreaterThan(0);
    const found: string[] = [];
    for (const page of pages) {
      const { data, info } = await sharp(await readFile(path.join(workDir, page)))
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      const code = jsQR(
        new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
        info.width,
        info.height,
      );
      if (code) found.push(code.data);
    }
    expect(found).toEqual(['https://portal.example.gov.cn/cases/SH-PD-2026-000123']);
  });

  it('says clearly when a thumbnail is not an image', async () => {
    const broken = [
      {
        ...evidence[0]!,
        thumbnail: { bytes: Buffer.from('not an image'), mediaType: 'image/jpeg' as const },
      },
    ];
    await expect(renderDocumentPdf(sampleDocumentView('decision', stall, broken), font)).rejects.toThrow(
      DocumentRenderError,
    );
  });
});

describe('CJK font', () => {
  it('names the missing path and how to fix it', async () => {
    const missing = path.join(workDir, 'no-such-font.ttc');
    await expect(loadCjkFont({ path: missing })).rejects.toThrow(DocumentFontError);
    await expect(loadCjkFont({ path: missing })).rejects.toThrow(
      /not found at .*no-such-font\.ttc.*fonts-noto-cjk.*DOCUMENT_CJK_FONT/,
    );
  });

  it('reads the path and face from the environment', async () => {
    const config = loadConfig({
      DOCUMENT_CJK_FONT: font.path,
      DOCUMENT_CJK_FONT_NAME: 'NotoSansCJKtc-Regular',
    });
    const loaded = await loadCjkFont({
      path: config.documentCjkFont,
      postscriptName: config.documentCjkFontName,
    });
    expect(loaded.postscriptName).toBe('NotoSansCJKtc-Regular');
    expect(loaded.face.postscriptName).toBe('NotoSansCJKtc-Regular');
  });

  it('rejects a face the collection does not hold', async () => {
    await expect(loadCjkFont({ path: font.path, postscriptName: 'NoSuchFace-Regular' })).rejects.toThrow(
      /has no face named NoSuchFace-Regular/,
    );
  });

  it('rejects a font without Chinese glyphs', async () => {
    await expect(loadCjkFont({ path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' })).rejects.toThrow(
      /has no glyph for "沪"/,
    );
  });
});
