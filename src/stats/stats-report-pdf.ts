import PDFDocument from 'pdfkit';
import type { CjkFont } from '../documents/cjk-font.adapter.js';
import { chartLayout, type ChartSpec, type Shape } from './charts.js';
import { formatCell } from './stats-cells.js';
import type { StatsTable } from './stats-tables.js';

/**
 * The monthly analysis report (月度分析报告) of a district as an A4 PDF in Chinese: its key figures, the same
 * charts as the pages (drawn from the same shapes, `charts.ts`) and the tables, with the agency's seal. The
 * creation date is the day it was generated, so rendering the same figures again gives the same bytes.
 */
export interface StatsReportModel {
  agencyName: string;
  districtName: string;
  /** `2026年3月` */
  monthLabel: string;
  from: string;
  to: string;
  /** the Beijing date it was generated */
  generatedOn: string;
  sealKeyFingerprint: string;
  charts: ChartSpec[];
  tables: StatsTable[];
}

const MARGIN = 48;
const FONT = 'cjk';
const INK = '#111111';
const SEAL_RED = '#cc0000';

type Doc = PDFKit.PDFDocument;

export async function renderStatsReportPdf(model: StatsReportModel, font: CjkFont): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: {
      Title: `${model.districtName}${model.monthLabel}统计分析报告`,
      Author: model.agencyName,
      CreationDate: new Date(`${model.generatedOn}T00:00:00+08:00`),
      ModDate: new Date(`${model.generatedOn}T00:00:00+08:00`),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit takes an already parsed fontkit face as well as bytes; its typings only list the latter.
  doc.registerFont(FONT, font.face as unknown as Buffer);
  doc.font(FONT);
  const width = doc.page.width - MARGIN * 2;
  doc.fillColor(INK).fontSize(15).text(model.agencyName, { align: 'center' });
  doc.moveDown(0.2).fontSize(20).text(`${model.districtName}城市管理执法月度分析报告`, { align: 'center' });
  doc.moveDown(0.2).fontSize(12).text(`${model.monthLabel}（${model.from} 至 ${model.to}，北京时间）`, {
    align: 'center',
  });
  doc.moveDown(1);
  for (const chart of model.charts) drawChart(doc, chart, width);
  for (const table of model.tables) drawTable(doc, table, width);
  drawClosing(doc, model, width);
  doc.end();
  return done;
}

function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

function drawChart(doc: Doc, spec: ChartSpec, width: number): void {
  const layout = chartLayout({ ...spec, width: 640, height: 260 });
  const scale = width / layout.width;
  ensureRoom(doc, layout.height * scale + 12);
  const x0 = MARGIN;
  const y0 = doc.y;
  doc.save();
  doc.translate(x0, y0).scale(scale);
  for (const shape of layout.shapes) drawShape(doc, shape);
  doc.restore();
  doc.x = MARGIN;
  doc.y = y0 + layout.height * scale + 12;
}

function drawShape(doc: Doc, s: Shape): void {
  switch (s.t) {
    case 'rect':
      if (s.h > 0) doc.rect(s.x, s.y, s.w, s.h).fill(s.fill);
      return;
    case 'line':
      doc.moveTo(s.x1, s.y1).lineTo(s.x2, s.y2).lineWidth(s.width).stroke(s.stroke);
      return;
    case 'polyline': {
      const [first, ...rest] = s.points;
      if (!first) return;
      doc.moveTo(first[0], first[1]);
      for (const [x, y] of rest) doc.lineTo(x, y);
      doc.lineWidth(s.width).stroke(s.stroke);
      return;
    }
    case 'text': {
      doc.fontSize(s.size).fillColor(s.fill);
      const w = doc.widthOfString(s.text);
      const left = s.anchor === 'middle' ? -w / 2 : s.anchor === 'end' ? -w : 0;
      doc.save();
      if (s.rotate) doc.rotate(s.rotate, { origin: [s.x, s.y] });
      doc.text(s.text, s.x + left, s.y - s.size * 0.85, { lineBreak: false });
      doc.restore();
      return;
    }
  }
}

function drawTable(doc: Doc, table: StatsTable, width: number): void {
  ensureRoom(doc, 60);
  doc.x = MARGIN;
  doc.fontSize(12).fillColor(INK).text(table.title, MARGIN, doc.y, { width });
  doc.moveDown(0.2);
  const n = table.columns.length;
  const first = Math.min(160, width / 2.5);
  const rest = n > 1 ? (width - first) / (n - 1) : 0;
  const colX = (i: number): number => MARGIN + (i === 0 ? 0 : first + rest * (i - 1));
  const colW = (i: number): number => (i === 0 ? first : rest);
  const row = (cells: string[], size: number, color: string): void => {
    const heights = cells.map((c, i) => doc.fontSize(size).heightOfString(c, { width: colW(i) - 4 }));
    const h = Math.max(...heights) + 4;
    ensureRoom(doc, h);
    const top = doc.y;
    cells.forEach((c, i) =>
      doc
        .fontSize(size)
        .fillColor(color)
        .text(c, colX(i) + 2, top + 2, { width: colW(i) - 4, align: i === 0 ? 'left' : 'right' }),
    );
    doc
      .moveTo(MARGIN, top + h)
      .lineTo(MARGIN + width, top + h)
      .lineWidth(0.3)
      .stroke('#bbbbbb');
    doc.y = top + h;
  };
  row(
    table.columns.map((c) => c.heading),
    8.5,
    '#444444',
  );
  if (table.rows.length === 0) row(['本期间无数据。'], 9, INK);
  for (const r of table.rows)
    row(
      r.map((cell, i) => formatCell(table.columns[i]!.kind, cell)),
      9,
      INK,
    );
  doc.moveDown(0.8);
}

function drawClosing(doc: Doc, model: StatsReportModel, width: number): void {
  ensureRoom(doc, 130);
  doc.moveDown(1);
  const x = doc.page.width - MARGIN - 180;
  const y = doc.y + 20;
  const cx = x + 90;
  const cy = y + 16;
  doc.save().opacity(0.8);
  doc.circle(cx, cy, 48).lineWidth(2.5).stroke(SEAL_RED);
  doc
    .fillColor(SEAL_RED)
    .fontSize(7.5)
    .text(model.agencyName, cx - 38, cy - 26, { width: 76, align: 'center' });
  doc.fontSize(18).text('★', cx - 12, cy - 8, { width: 24, align: 'center' });
  doc.fontSize(7.5).text('电子印章', cx - 48, cy + 16, { width: 96, align: 'center' });
  doc.restore();
  doc.fontSize(11).fillColor(INK).text(model.agencyName, x, y, { width: 180, align: 'center' });
  doc.text(model.generatedOn, x, doc.y + 4, { width: 180, align: 'center' });
  doc.y = y + 80;
  doc
    .fontSize(8.5)
    .fillColor('#444444')
    .text(
      `本报告使用电子印章，统计口径见《统计指标说明》。签章公钥指纹：${model.sealKeyFingerprint}`,
      MARGIN,
      doc.y,
      { width },
    );
}
