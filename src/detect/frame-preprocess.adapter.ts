import sharp, { type CreateRaw, type Sharp } from 'sharp';
import { FrameDecodeError } from './detect-errors.js';
import type { LetterboxMode } from './model-manifest.js';
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
  if (err instanceof FrameDecodeError) return err;
  const reason = err instanceof Error ? err.message.trim() : String(err);
  return new FrameDecodeError(`cannot decode the frame (${image.length} bytes): ${reason}`, { cause: err });
}

function open(image: Buffer, opts: DecodeOptions): Sharp {
  if (image.length === 0) throw new FrameDecodeError('cannot decode the frame: it is empty (0 bytes)');
  // failOn 'error' refuses truncated and corrupt JPEG data instead of returning a half-grey frame.
  return sharp(image, { limitInputPixels: opts.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS, failOn: 'error' });
}

function openRaw(rgb: Buffer, raw: CreateRaw): Sharp {
  return sharp(rgb, { raw });
}

/** Reads the frame's size from its header without decoding the pixels. */
export async function probeFrame(image: Buffer, opts: DecodeOptions = {}): Promise<FrameSize> {
  try {
    const { width, height, format } = await open(image, opts).metadata();
    if (!width || !height)
      throw new FrameDecodeError(`cannot decode the frame: its ${format} header has no size`);
    return { width, height };
  } catch (err) {
    throw decodeError(image, err);
  }
}

async function toRgb(s: Sharp): Promise<{ rgb: Buffer; width: number; height: number }> {
  const { data, info } = await s
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3)
    throw new Error(`expected 3 colour channels after conversion, got ${info.channels}`);
  return { rgb: data, width: info.width, height: info.height };
}

/** A frame decoded and resized to fit the model input, with the size it had before. */
export interface FittedFrame extends FrameSize {
  rgb: Buffer;
  resizedWidth: number;
  resizedHeight: number;
}

/**
 * Decodes the frame straight to the size that fits the model input (keeping its aspect ratio unless the mode is
 * "stretch"): one pass through libvips, which for JPEG can shrink while decoding, so a 4K frame never exists at
 * full size in memory. The header is read alongside, in the same turn of the event loop, because a worker's
 * event loop is busy with inference and every extra round trip would leave the model idle.
 */
export async function decodeFitted(
  image: Buffer,
  inputWidth: number,
  inputHeight: number,
  mode: LetterboxMode,
  opts: DecodeOptions = {},
): Promise<FittedFrame> {
  try {
    const resize = open(image, opts).resize(inputWidth, inputHeight, {
      fit: mode === 'stretch' ? 'fill' : 'inside',
      kernel: opts.kernel ?? 'linear',
    });
    const [size, resized] = await Promise.all([probeFrame(image, opts), toRgb(resize)]);
    return { ...size, rgb: resized.rgb, resizedWidth: resized.width, resizedHeight: resized.height };
  } catch (err) {
    throw decodeError(image, err);
  }
}

/** A frame decoded once to RGB at full size, from which several views (crops) are cut. */
export interface DecodedFrame extends FrameSize {
  rgb: Buffer;
}

export async function decodeFull(image: Buffer, opts: DecodeOptions = {}): Promise<DecodedFrame> {
  try {
    return await toRgb(open(image, opts));
  } catch (err) {
    throw decodeError(image, err);
  }
}

/**
 * Decodes the frame to exactly the letterbox's resized size (the size computeLetterbox chose); used where the
 * tensor must match a letterbox computed beforehand.
 */
export async function decodeResized(image: Buffer, lb: Letterbox, opts: DecodeOptions = {}): Promise<Buffer> {
  try {
    const s = open(image, opts).resize(lb.resizedWidth, lb.resizedHeight, {
      fit: 'fill',
      kernel: opts.kernel ?? 'linear',
    });
    return (await toRgb(s)).rgb;
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
  let s = openRaw(frame.rgb, { width: frame.width, height: frame.height, channels: 3 });
  if (!whole) s = s.extract(rect);
  s = s.resize(lb.resizedWidth, lb.resizedHeight, { fit: 'fill', kernel: opts.kernel ?? 'linear' });
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  if (info.width !== lb.resizedWidth || info.height !== lb.resizedHeight) {
    throw new Error(
      `crop resized to ${info.width}x${info.height}, not ${lb.resizedWidth}x${lb.resizedHeight}`,
    );
  }
  return data;
}
