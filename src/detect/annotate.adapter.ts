import sharp from 'sharp';
import type { Detection, DetectionRole } from './detection.js';

const ROLE_COLOURS: Record<DetectionRole, string> = {
  person: '#22c55e',
  vehicle: '#3b82f6',
  goods: '#f59e0b',
  carried: '#a855f7',
  dumping: '#ef4444',
  other: '#9ca3af',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An SVG, the frame's size, with one labelled box per detection, coloured by role. */
export function detectionsOverlaySvg(
  detections: readonly Detection[],
  width: number,
  height: number,
): string {
  const stroke = Math.max(2, Math.round(Math.min(width, height) / 300));
  const font = Math.max(11, Math.round(Math.min(width, height) / 45));
  const shapes = detections.map((d) => {
    const x = d.box.x1 * width;
    const y = d.box.y1 * height;
    const w = (d.box.x2 - d.box.x1) * width;
    const h = (d.box.y2 - d.box.y1) * height;
    const colour = ROLE_COLOURS[d.role];
    const text = escapeXml(`${d.label} ${d.score.toFixed(2)}`);
    const labelWidth = Math.round(text.length * font * 0.6 + 6);
    // The label sits above the box, or inside it when the box touches the top of the frame.
    const labelY = y >= font + 4 ? y - font - 4 : y;
    const labelX = Math.max(0, Math.min(x, width - labelWidth));
    return (
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" ` +
      `fill="none" stroke="${colour}" stroke-width="${stroke}"/>` +
      `<rect x="${labelX.toFixed(1)}" y="${labelY.toFixed(1)}" width="${labelWidth}" height="${font + 4}" ` +
      `fill="${colour}"/><text x="${(labelX + 3).toFixed(1)}" y="${(labelY + font).toFixed(1)}" font-family="sans-serif" ` +
      `font-size="${font}" fill="#000">${text}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `${shapes.join('')}</svg>`
  );
}

/** A JPEG copy of the image with the detections drawn on it; the original bytes are left untouched. */
export async function annotateImage(image: Buffer, detections: readonly Detection[]): Promise<Buffer> {
  const { width, height } = await sharp(image).metadata();
  if (!width || !height) throw new Error('cannot annotate an image whose size is unknown');
  const svg = Buffer.from(detectionsOverlaySvg(detections, width, height));
  return sharp(image)
    .composite([{ input: svg, top: 0, left: 0 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}
