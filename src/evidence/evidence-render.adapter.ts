import sharp from 'sharp';
import type { NormalizedBox } from '../detect/detection.js';
import { cropRegion, overlaySvg, type OverlayInput } from './evidence-overlay.js';

/*
 * The image work of the evidence stage, with sharp: annotated copies and close-up crops. Both are new files made
 * from the original's bytes; the original itself is stored as captured and never re-encoded.
 */

export interface EvidenceRenderer {
  /** A JPEG copy with the overlay burned in, scaled up to at least `minWidth` so the header text is legible. */
  annotated(original: Buffer, overlay: Omit<OverlayInput, 'width' | 'height'>): Promise<Buffer>;
  /** A JPEG close-up of the box (with a margin), scaled up to at least `minCropWidth` wide. */
  crop(original: Buffer, box: NormalizedBox): Promise<Buffer>;
}

export interface RendererOptions {
  minWidth?: number;
  minCropWidth?: number;
  quality?: number;
}

async function sizeOf(image: Buffer): Promise<{ width: number; height: number }> {
  const { width, height } = await sharp(image).metadata();
  if (!width || !height) throw new Error('cannot make evidence copies of an image whose size is unknown');
  return { width, height };
}

export function createEvidenceRenderer(options: RendererOptions = {}): EvidenceRenderer {
  const minWidth = options.minWidth ?? 960;
  const minCropWidth = options.minCropWidth ?? 320;
  const quality = options.quality ?? 90;
  return {
    async annotated(original, overlay) {
      const size = await sizeOf(original);
      const scale = Math.max(1, minWidth / size.width);
      const width = Math.round(size.width * scale);
      const height = Math.round(size.height * scale);
      const svg = Buffer.from(overlaySvg({ ...overlay, width, height }));
      return sharp(original)
        .resize(width, height, { kernel: 'lanczos3' })
        .composite([{ input: svg, top: 0, left: 0 }])
        .jpeg({ quality })
        .toBuffer();
    },
    async crop(original, box) {
      const size = await sizeOf(original);
      const region = cropRegion(box, size.width, size.height);
      const width = Math.max(region.width, minCropWidth);
      return sharp(original)
        .extract(region)
        .resize({ width, kernel: 'lanczos3' })
        .jpeg({ quality })
        .toBuffer();
    },
  };
}
