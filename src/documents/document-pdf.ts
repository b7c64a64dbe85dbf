import PDFDocument from 'pdfkit';
import type { CjkFont } from './cjk-font.adapter.js';
import { buildDocument, PORTAL_CAPTION, type Block, type DocumentModel } from './document-content.js';
import type { DocumentView, EvidenceItem } from './document-view.js';
import { darkModules, qrMatrix } from './qr-code.js';

/**
 * A case document as an A4 PDF with the Chinese text embedded (a subset of the CJK font) so that it prints,
 * displays and extracts as text anywhere. The creation date is the issue date, not the clock: rendering the
 * same view twice gives the same bytes, so the seal over those bytes can be checked by rendering again.
 */

const MARGIN = 56;
const BODY_SIZE = 11;
const FONT = 'cjk';
const INK = '#111111';
const SEAL_RED = '#cc0000';

export class DocumentRenderError extends Error {
  override name = 'DocumentRenderError';
}

export async function renderDocumentPdf(view: DocumentView, font: CjkFont): Promise<Buffer> {
  return renderModelPdf(buildDocument(view), font);
}

export async function renderModelPdf(model: DocumentModel, font: CjkFont): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: {
      Title: `${model.title} ${model.caseNumber}`,
      Author: model.agencyName,
      Subject: model.caseNumber,
      CreationDate: new Date(`${model.issuedOn}T00:00:00+08:00`),
      ModDate: new Date(`${model.issuedOn}T00:00:00+08:00`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    // pdfkit takes an already parsed fontkit face as well as bytes; its typings only list the latter.
    doc.registerFont(FONT, font.face as unknown as Buffer);
    doc.font(FONT);
  } catch (error) {
    throw new DocumentRenderError(
      `cannot use the CJK font ${font.path}${font.postscriptName ? ` (face ${font.postscriptName})` : ''}: ${(error as Error).message}`,
    );
  }
  drawHeader(doc, model);
  for (const block of model.blocks) drawBlock(doc, block);
  drawFooter(doc, model);
  doc.end();
  return done;
}

type Doc = PDFKit.PDFDocument;

const contentWidth = (doc: Doc): number => doc.page.width - MARGIN * 2;
const bottom = (doc: Doc): number => doc.page.height - MARGIN;

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function drawHeader(doc: Doc, model: DocumentModel): void {
  doc.fillColor(INK).fontSize(16).text(model.agencyName, { align: 'center', characterSpacing: 1 });
  doc.moveDown(0.2).fontSize(22).text(model.title, { align: 'center', characterSpacing: 4 });
  doc.moveDown(0.2).fontSize(12).text(model.caseNumber, { align: 'center' });
  doc.moveDown(1);
}

function drawBlock(doc: Doc, block: Block): void {
  const x = MARGIN;
  const width = contentWidth(doc);
  switch (block.type) {
    case 'heading':
      ensureRoom(doc, 40);
      doc.moveDown(0.5).fontSize(13).fillColor(INK).text(block.text, x, doc.y, { width });
      doc.moveDown(0.3);
      return;
    case 'paragraph':
      doc.fontSize(BODY_SIZE).fillColor(INK).text(block.text, x, doc.y, { width, lineGap: 3 });
      doc.moveDown(0.3);
      return;
    case 'fields':
      for (const [label, value] of block.rows) {
        ensureRoom(doc, 18);
        const top = doc.y;
        doc.fontSize(BODY_SIZE).fillColor('#444444').text(`${label}：`, x, top, { width: 100 });
        doc.fillColor(INK).text(value, x + 100, top, { width: width - 100, lineGap: 2 });
      }
      doc.moveDown(0.3);
      return;
    case 'law': {
      ensureRoom(doc, 40);
      const top = doc.y;
      doc
        .fontSize(BODY_SIZE)
        .fillColor(INK)
        .text(block.reference, x + 12, top, { width: width - 12 });
      doc
        .fontSize(10)
        .fillColor('#333333')
        .text(block.text, x + 12, doc.y + 2, { width: width - 12, lineGap: 2 });
      doc
        .save()
        .rect(x, top, 3, doc.y - top)
        .fill('#999999')
        .restore();
      doc.moveDown(0.5);
      return;
    }
    case 'list':
      block.items.forEach((item, index) => {
        ensureRoom(doc, 18);
        const top = doc.y;
        doc
          .fontSize(BODY_SIZE)
          .fillColor(INK)
          .text(`${index + 1}.`, x, top, { width: 18 });
        doc.text(item, x + 18, top, { width: width - 18, lineGap: 3 });
        doc.moveDown(0.2);
      });
      doc.moveDown(0.2);
      return;
    case 'evidence':
      for (const item of block.items) drawEvidence(doc, item);
      doc.moveDown(0.3);
      return;
  }
}

const THUMB_WIDTH = 120;
const THUMB_HEIGHT = 90;

function drawEvidence(doc: Doc, item: EvidenceItem): void {
  ensureRoom(doc, THUMB_HEIGHT + 10);
  const x = MARGIN;
  const top = doc.y;
  const textX = x + THUMB_WIDTH + 10;
  const textWidth = contentWidth(doc) - THUMB_WIDTH - 10;
  if (item.thumbnail) {
    try {
      doc.image(Buffer.from(item.thumbnail.bytes), x, top, { fit: [THUMB_WIDTH, THUMB_HEIGHT] });
    } catch (error) {
      throw new DocumentRenderError(
        `evidence "${item.label}": thumbnail is not a readable JPEG or PNG (${(error as Error).message})`,
      );
    }
  } else {
    doc.save().rect(x, top, THUMB_WIDTH, THUMB_HEIGHT).lineWidth(0.5).stroke('#999999').restore();
    doc
      .fontSize(9)
      .fillColor('#777777')
      .text('缩略图见门户', x, top + THUMB_HEIGHT / 2 - 6, { width: THUMB_WIDTH, align: 'center' });
  }
  doc.fontSize(BODY_SIZE).fillColor(INK).text(item.label, textX, top, { width: textWidth });
  doc.fontSize(9.5).text(`拍摄时间：${item.capturedAt}`, textX, doc.y + 2, { width: textWidth });
  doc.text(`来源：${item.source}`, textX, doc.y + 1, { width: textWidth });
  doc.text('原始记录SHA-256：', textX, doc.y + 1, { width: textWidth });
  doc.fontSize(8.5).text(item.sha256, textX, doc.y, { width: textWidth });
  doc.x = x;
  doc.y = Math.max(doc.y, top + THUMB_HEIGHT) + 8;
}

const QR_SIDE = 96;

function drawFooter(doc: Doc, model: DocumentModel): void {
  ensureRoom(doc, QR_SIDE + 70);
  doc.moveDown(1);
  const top = doc.y;
  drawQr(doc, model.portalUrl, MARGIN, top);
  const captionX = MARGIN + QR_SIDE + 10;
  doc
    .fontSize(9.5)
    .fillColor(INK)
    .text(`扫描二维码或访问下列地址，${model.portalCaption ?? PORTAL_CAPTION}：`, captionX, top + 10, {
      width: 170,
    });
  doc.fontSize(8.5).text(model.portalUrl, captionX, doc.y + 2, { width: 170 });

  const closingX = doc.page.width - MARGIN - 180;
  const closingY = top + 30;
  drawSeal(doc, model.agencyName, closingX + 90, closingY + 16);
  doc
    .fontSize(BODY_SIZE)
    .fillColor(INK)
    .text(model.closing.agency, closingX, closingY, { width: 180, align: 'center' });
  doc.text(model.closing.date, closingX, doc.y + 4, { width: 180, align: 'center' });

  doc.y = Math.max(doc.y, top + QR_SIDE) + 16;
  doc
    .fontSize(8.5)
    .fillColor('#444444')
    .text(
      `本文书使用电子印章。签章核验：${model.sealVerificationUrl}；签章公钥指纹：${model.sealKeyFingerprint}`,
      MARGIN,
      doc.y,
      { width: contentWidth(doc) },
    );
}

function drawQr(doc: Doc, text: string, x: number, y: number): void {
  const matrix = qrMatrix(text);
  const quiet = 4;
  const unit = QR_SIDE / (matrix.size + quiet * 2);
  doc.save().rect(x, y, QR_SIDE, QR_SIDE).fill('#ffffff');
  for (const [column, row] of darkModules(matrix)) {
    doc.rect(x + (column + quiet) * unit, y + (row + quiet) * unit, unit, unit);
  }
  doc.fill('#000000').restore();
}

function drawSeal(doc: Doc, agencyName: string, centerX: number, centerY: number): void {
  const radius = 48;
  doc.save().opacity(0.8);
  doc.circle(centerX, centerY, radius).lineWidth(2.5).stroke(SEAL_RED);
  doc
    .fillColor(SEAL_RED)
    .fontSize(7.5)
    .text(agencyName, centerX - radius + 10, centerY - 26, { width: radius * 2 - 20, align: 'center' });
  doc.fontSize(18).text('★', centerX - 12, centerY - 8, { width: 24, align: 'center' });
  doc.fontSize(7.5).text('电子印章', centerX - radius, centerY + 16, { width: radius * 2, align: 'center' });
  doc.restore();
}
