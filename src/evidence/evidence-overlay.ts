import type { Detection, NormalizedBox } from '../detect/detection.js';
import type { RuleName } from '../rules/rule-events.js';
import type { NormalizedPoint, Zone } from '../zones/zone.schema.js';
import { beijingTime } from '../shared/beijing-time.js';

/*
 * What is drawn on an annotated copy of an evidence frame, as one SVG the size of the (scaled) frame: the zone,
 * the shop front line, every detection, the violation's box, and a header naming the camera, the capture time in
 * Beijing time, the violation and the frame's part in the proof. The original frame is never drawn on; this is
 * laid over a copy.
 */

export const RULE_TITLES: Record<RuleName, string> = {
  street_stall: '无序设摊',
  shop_encroachment: '跨门经营',
  illegal_dumping: '乱倒垃圾',
};

export type ProofRole = 'before' | 'first_seen' | 'left' | 'confirmed' | 'recheck';

export const PROOF_ROLE_TITLES: Record<ProofRole, string> = {
  before: '出现之前',
  first_seen: '首次发现',
  left: '看管人离开',
  confirmed: '确认违法',
  recheck: '宽限期后复查',
};

/** The CJK face fonts-noto-cjk installs; librsvg finds it through fontconfig. */
export const OVERLAY_FONT_FAMILY = "'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif";

const ZONE_COLOURS: Record<Zone['kind'], string> = {
  no_stall: '#f97316',
  shop_front: '#eab308',
  dumping_spot: '#a855f7',
  ignore: '#6b7280',
};

export interface OverlayInput {
  width: number;
  height: number;
  cameraName: string;
  capturedAt: Date;
  rule: RuleName;
  zone: Pick<Zone, 'name' | 'kind' | 'points' | 'frontLine'> | null;
  detections: readonly Detection[];
  violationBox: NormalizedBox;
  role: ProofRole;
  seq: number;
  /** Seconds since the scene was first seen, shown on the confirming and re-check frames. */
  elapsedSeconds?: number;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Box in pixels, clamped to the frame. */
export function pixelBox(box: NormalizedBox, width: number, height: number) {
  const x1 = Math.max(0, Math.min(width, box.x1 * width));
  const y1 = Math.max(0, Math.min(height, box.y1 * height));
  const x2 = Math.max(x1, Math.min(width, box.x2 * width));
  const y2 = Math.max(y1, Math.min(height, box.y2 * height));
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}

function points(list: readonly NormalizedPoint[], width: number, height: number): string {
  return list.map((p) => `${(p.x * width).toFixed(1)},${(p.y * height).toFixed(1)}`).join(' ');
}

export function headerLines(input: OverlayInput): string[] {
  const zone = input.zone ? ` · ${input.zone.name}` : '';
  const elapsed = input.elapsedSeconds !== undefined ? ` · 持续 ${Math.round(input.elapsedSeconds)} 秒` : '';
  return [
    `${input.cameraName} · ${beijingTime(input.capturedAt)} (北京时间)`,
    `${RULE_TITLES[input.rule]}${zone} · ${PROOF_ROLE_TITLES[input.role]}${elapsed} · 帧 #${input.seq}`,
  ];
}

export function overlaySvg(input: OverlayInput): string {
  const { width, height } = input;
  const unit = Math.min(width, height);
  const stroke = Math.max(2, Math.round(unit / 250));
  const font = Math.max(12, Math.round(unit / 30));
  const parts: string[] = [];

  if (input.zone) {
    const colour = ZONE_COLOURS[input.zone.kind];
    parts.push(
      `<polygon points="${points(input.zone.points, width, height)}" fill="${colour}" fill-opacity="0.12" ` +
        `stroke="${colour}" stroke-width="${stroke}" stroke-dasharray="${stroke * 4},${stroke * 2}"/>`,
    );
    if (input.zone.frontLine) {
      parts.push(
        `<polyline points="${points(input.zone.frontLine.points, width, height)}" fill="none" ` +
          `stroke="#facc15" stroke-width="${stroke * 2}"/>`,
      );
    }
  }
  for (const d of input.detections) {
    const b = pixelBox(d.box, width, height);
    parts.push(
      `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w.toFixed(1)}" height="${b.h.toFixed(1)}" ` +
        `fill="none" stroke="#38bdf8" stroke-width="${Math.max(1, stroke / 2)}"/>` +
        `<text x="${(b.x + 2).toFixed(1)}" y="${Math.max(font * 0.8, b.y - 3).toFixed(1)}" font-family="sans-serif" ` +
        `font-size="${Math.round(font * 0.7)}" fill="#38bdf8">${escapeXml(`${d.label} ${d.score.toFixed(2)}`)}</text>`,
    );
  }
  const v = pixelBox(input.violationBox, width, height);
  parts.push(
    `<rect x="${v.x.toFixed(1)}" y="${v.y.toFixed(1)}" width="${v.w.toFixed(1)}" height="${v.h.toFixed(1)}" ` +
      `fill="none" stroke="#ef4444" stroke-width="${stroke * 2}"/>`,
  );

  const lines = headerLines(input);
  const band = lines.length * (font + 6) + 6;
  parts.push(`<rect x="0" y="0" width="${width}" height="${band}" fill="#000000" fill-opacity="0.6"/>`);
  lines.forEach((line, i) => {
    parts.push(
      `<text x="6" y="${(i + 1) * (font + 6)}" font-family="${OVERLAY_FONT_FAMILY}" font-size="${font}" ` +
        `fill="#ffffff">${escapeXml(line)}</text>`,
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`
  );
}

/**
 * The crop around the violation's box: the box with a margin of half its size on each side (at least
 * `minSide` pixels across), kept inside the frame. In frame pixels, integers, for sharp's extract.
 */
export function cropRegion(
  box: NormalizedBox,
  width: number,
  height: number,
  minSide = 64,
): { left: number; top: number; width: number; height: number } {
  const b = pixelBox(box, width, height);
  const w = Math.min(width, Math.max(minSide, b.w * 2));
  const h = Math.min(height, Math.max(minSide, b.h * 2));
  const cx = b.x + b.w / 2;
  const cy = b.y + b.h / 2;
  const left = Math.round(Math.max(0, Math.min(width - w, cx - w / 2)));
  const top = Math.round(Math.max(0, Math.min(height - h, cy - h / 2)));
  return {
    left,
    top,
    width: Math.max(1, Math.min(width - left, Math.round(w))),
    height: Math.max(1, Math.min(height - top, Math.round(h))),
  };
}
