import type { NormalizedBox } from './detection.js';
import type { PixelRect } from './letterbox.js';

/**
 * Which views of a frame the detector runs: always the whole frame, plus a crop around each active zone when the
 * crop shows its objects markedly larger than the whole frame does. A 1920x1080 frame squeezed into 416x416
 * shrinks a bag 100 pixels away to a few input pixels; the crop of its zone gives the model 2-4 times more.
 */
export interface CropPlanOptions {
  /** A crop runs only when it magnifies its objects at least this many times more than the whole frame does. */
  minGain: number;
  /** Context added on every side of a zone, as a share of the zone's width and height. */
  margin: number;
  /** Crops never enlarge frame pixels more than this; a tinier zone gets more context instead. */
  maxUpscale: number;
  /** At most this many crops per frame: each costs one more inference. */
  maxCrops: number;
}

export const DEFAULT_CROP_PLAN: CropPlanOptions = { minGain: 1.5, margin: 0.15, maxUpscale: 2, maxCrops: 4 };

interface Span {
  start: number;
  size: number;
}

/** Grows a span to `size` around its centre, shifted back inside [0, limit] and cut to it when larger. */
function growSpan(start: number, size: number, wanted: number, limit: number): Span {
  if (wanted <= size) return { start, size };
  const grown = Math.min(wanted, limit);
  const centre = start + size / 2;
  const s = Math.min(Math.max(0, centre - grown / 2), limit - grown);
  return { start: s, size: grown };
}

/** Whole pixels, rounding position and size separately so that a 208-pixel span stays 208 wherever it starts. */
function snap(left: number, top: number, right: number, bottom: number, w: number, h: number): PixelRect {
  const width = Math.max(1, Math.min(w, Math.round(right - left)));
  const height = Math.max(1, Math.min(h, Math.round(bottom - top)));
  const l = Math.min(Math.max(0, Math.round(left)), w - width);
  const t = Math.min(Math.max(0, Math.round(top)), h - height);
  return { left: l, top: t, width, height };
}

function scaleInto(rect: PixelRect, inputWidth: number, inputHeight: number): number {
  return Math.min(inputWidth / rect.width, inputHeight / rect.height);
}

function union(a: PixelRect, b: PixelRect, w: number, h: number): PixelRect {
  return snap(
    Math.min(a.left, b.left),
    Math.min(a.top, b.top),
    Math.max(a.left + a.width, b.left + b.width),
    Math.max(a.top + a.height, b.top + b.height),
    w,
    h,
  );
}

function overlaps(a: PixelRect, b: PixelRect): boolean {
  return (
    a.left < b.left + b.width &&
    b.left < a.left + a.width &&
    a.top < b.top + b.height &&
    b.top < a.top + a.height
  );
}

/**
 * Views to run for a frame of `frameWidth` x `frameHeight` with the given zone boxes (normalised). The first view
 * is always the whole frame; crops follow, each widened to the model's aspect ratio so that no input pixel is
 * wasted on padding when the frame has room around the zone.
 */
export function planViews(
  frameWidth: number,
  frameHeight: number,
  zones: readonly NormalizedBox[],
  inputWidth: number,
  inputHeight: number,
  options: Partial<CropPlanOptions> = {},
): PixelRect[] {
  const opts = { ...DEFAULT_CROP_PLAN, ...options };
  const full: PixelRect = { left: 0, top: 0, width: frameWidth, height: frameHeight };
  const frameScale = scaleInto(full, inputWidth, inputHeight);
  const gainOf = (r: PixelRect) => scaleInto(r, inputWidth, inputHeight) / frameScale;
  const aspect = inputWidth / inputHeight;

  const crops: PixelRect[] = [];
  for (const zone of zones) {
    const zx = Math.max(0, Math.min(zone.x1, zone.x2)) * frameWidth;
    const zy = Math.max(0, Math.min(zone.y1, zone.y2)) * frameHeight;
    const zw = Math.min(frameWidth - zx, Math.abs(zone.x2 - zone.x1) * frameWidth);
    const zh = Math.min(frameHeight - zy, Math.abs(zone.y2 - zone.y1) * frameHeight);
    if (!(zw > 0 && zh > 0)) continue;
    let x = growSpan(zx, zw, zw * (1 + 2 * opts.margin), frameWidth);
    let y = growSpan(zy, zh, zh * (1 + 2 * opts.margin), frameHeight);
    const minW = inputWidth / opts.maxUpscale;
    const minH = inputHeight / opts.maxUpscale;
    x = growSpan(x.start, x.size, Math.max(minW, y.size * aspect), frameWidth);
    y = growSpan(y.start, y.size, Math.max(minH, x.size / aspect), frameHeight);
    const crop = snap(x.start, y.start, x.start + x.size, y.start + y.size, frameWidth, frameHeight);
    if (gainOf(crop) >= opts.minGain) crops.push(crop);
  }

  // Overlapping crops become one when their union still gains enough: one inference instead of two.
  let merged = true;
  while (merged) {
    merged = false;
    outer: for (let i = 0; i < crops.length; i++) {
      for (let j = i + 1; j < crops.length; j++) {
        if (!overlaps(crops[i]!, crops[j]!)) continue;
        const u = union(crops[i]!, crops[j]!, frameWidth, frameHeight);
        if (gainOf(u) < opts.minGain) continue;
        crops.splice(j, 1);
        crops[i] = u;
        merged = true;
        break outer;
      }
    }
  }

  // Over budget: merge the two crops whose union is smallest; a union too large to gain is left to the full view.
  while (crops.length > opts.maxCrops) {
    let best: [number, number, PixelRect] | null = null;
    for (let i = 0; i < crops.length; i++) {
      for (let j = i + 1; j < crops.length; j++) {
        const u = union(crops[i]!, crops[j]!, frameWidth, frameHeight);
        if (!best || u.width * u.height < best[2].width * best[2].height) best = [i, j, u];
      }
    }
    const [i, j, u] = best!;
    crops.splice(j, 1);
    if (gainOf(u) >= opts.minGain) crops[i] = u;
    else crops.splice(i, 1);
  }
  return [full, ...crops];
}
