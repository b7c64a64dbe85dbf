import sharp, { type CreateRaw, type Metadata, type Sharp } from 'sharp';
import { FrameDecodeError } from './detect-errors.js';
import type { Letterbox, PixelRect } from './letterbox.js';

/**
 * Cameras deliver at most a few megapixels; a frame claiming far more is a decompression bomb or garbage, and is
 * refused before its pixels are decoded. 40 megapixels leaves room for 8K sensors.
 */
export const DEFAULT_MAX_INPUT_PIXELS = 40_000_000;

export type ResizeKernel = 'nearest' | 'linear' | 'cubic' | 'lanczos3';

export interface DecodeOptions {
  maxInputPixels?: number;
  kernel?: ResizeKernel;
}

export interface FrameSize {
  width: number;
  height: number;
}

function decodeError(image: Buffer, err: unknown): FrameDecodeError {
  const reason = err instanceof Error ? err.message.trim() : String(err);
  return new FrameDecodeError(`cannot decode the frame (${image.length} bytes): ${reason}`, { cause: err });
}

function open(image: Buffer | Uint8Array, maxInputPixels: number | false, raw?: CreateRaw): Sharp {
  // failOn 'error' refuses truncated and corrupt JPEG data instead of returning a half-grey frame.
  return sharp(image, { limitInputPixels: maxInputPixels, failOn: 'error', raw });
}

/** Reads the frame's size from its header without decoding the pixels. */
export async function probeFrame(image: Buffer, opts: DecodeOptions = {}): Promise<FrameSize> {
  if (image.length === 0) throw new FrameDecodeError('cannot decode the frame: it is empty (0 bytes)');
  const maxInputPixels = opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  let meta: Metadata;
  try {
    meta = await open(image, maxInputPixels).metadata();
  } catch (err) {
    throw decodeError(image, err);
  }
  const { width, height } = meta;
  if (!width || !height)
    throw new FrameDecodeError(`cannot decode the frame: ${meta.format ?? 'its'} header has no size`);
  if (width * height > maxInputPixels) {
    throw new FrameDecodeError(
      `frame of ${width}x${height} pixels exceeds the limit of ${maxInputPixels} pixels; refused unread`,
    );
  }
  return { width, height };
}

function asRgb(s: Sharp): Sharp {
  return s.removeAlpha().toColourspace('srgb');
}

async function toRgb(s: Sharp, width: number, height: number): Promise<Buffer> {
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== width || info.height !== height) {
    throw new Error(
      `expected ${width}x${height}x3 pixels, got ${info.width}x${info.height}x${info.channels}`,
    );
  }
  return data;
}

/**
 * Decodes the frame straight to the letterbox's resized size: one pass through libvips, which for JPEG can
 * shrink while decoding, so a 4K frame never exists at full size in memory.
 */
export async function decodeResized(image: Buffer, lb: Letterbox, opts: DecodeOptions = {}): Promise<Buffer> {
  try {
    const s = open(image, opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS).resize(
      lb.resizedWidth,
      lb.resizedHeight,
      {
        fit: 'fill',
        kernel: opts.kernel ?? 'linear',
      },
    );
    return await toRgb(asRgb(s), lb.resizedWidth, lb.resizedHeight);
  } catch (err) {
    throw decodeError(image, err);
  }
}

/** A frame decoded once to RGB at full size, from which several views (crops) are cut. */
export interface DecodedFrame extends FrameSize {
  rgb: Buffer;
}

export async function decodeFull(
  image: Buffer,
  size: FrameSize,
  opts: DecodeOptions = {},
): Promise<DecodedFrame> {
  try {
    const rgb = await toRgb(
      asRgb(open(image, opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS)),
      size.width,
      size.height,
    );
    return { ...size, rgb };
  } catch (err) {
    throw decodeError(image, err);
  }
}

/** Cuts `rect` out of a decoded frame and resizes it to the letterbox's resized size. */
export async function cropResized(
  frame: DecodedFrame,
  rect: PixelRect,
  lb: Letterbox,
  opts: DecodeOptions = {},
): Promise<Buffer> {
  const whole =
    rect.left === 0 && rect.top === 0 && rect.width === frame.width && rect.height === frame.height;
  let s = open(frame.rgb, false, { width: frame.width, height: frame.height, channels: 3 });
  if (!whole) s = s.extract(rect);
  s = s.resize(lb.resizedWidth, lb.resizedHeight, { fit: 'fill', kernel: opts.kernel ?? 'linear' });
  return toRgb(s, lb.resizedWidth, lb.resizedHeight);
}
