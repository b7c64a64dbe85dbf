import sharp from 'sharp';
import { readImageHeader } from './image-header.js';
import { FrameRejectedError } from './ingest-errors.js';

export interface FrameLimits {
  /** Largest encoded frame accepted, in bytes; downloads stop as soon as they pass it. */
  maxBytes: number;
  /** Largest width x height accepted, read from the header before anything is decoded. */
  maxPixels: number;
  /** Smallest width and height accepted; a 1 x 1 "frame" is a camera error page, not a picture. */
  minDimension: number;
  /**
   * Decode every frame (at 1/8 scale, which JPEG allows cheaply) to refuse corrupt data at the door instead of
   * in the detector. A few milliseconds per frame; see `npm run bench:sources`.
   */
  verifyDecode: boolean;
  /** JPEG quality used when a PNG frame is converted. */
  pngToJpegQuality: number;
}

export const DEFAULT_FRAME_LIMITS: Readonly<FrameLimits> = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxPixels: 40_000_000,
  minDimension: 16,
  verifyDecode: true,
  pngToJpegQuality: 92,
});

export interface ValidatedFrame {
  /** JPEG bytes: the captured bytes untouched when they were JPEG, else the converted frame. */
  bytes: Buffer;
  width: number;
  height: number;
  /** Set when the camera sent something other than JPEG and `bytes` is the conversion. */
  convertedFrom?: 'png';
}

const ACCEPTED_CONTENT_TYPES = new Set(['image/jpeg', 'image/png']);

/** The media type from a Content-Type header, or a refusal naming what the camera sent. */
export function checkContentType(header: string | undefined, origin: string): 'image/jpeg' | 'image/png' {
  const mediaType = (header ?? '').split(';')[0]!.trim().toLowerCase();
  if (ACCEPTED_CONTENT_TYPES.has(mediaType)) return mediaType as 'image/jpeg' | 'image/png';
  throw new FrameRejectedError(
    'bad_content_type',
    `${origin}: content type "${header ?? '(none)'}" is not image/jpeg or image/png`,
  );
}

/**
 * Accepts a frame only when it is a JPEG or PNG of sensible size that decodes cleanly. The size comes from the
 * header before any decoder runs, and sharp is given the same pixel limit as a second guard.
 */
export async function validateFrame(
  bytes: Buffer,
  origin: string,
  limits: FrameLimits = DEFAULT_FRAME_LIMITS,
): Promise<ValidatedFrame> {
  if (bytes.length === 0) throw new FrameRejectedError('empty', `${origin}: the frame is empty (0 bytes)`);
  if (bytes.length > limits.maxBytes) {
    throw new FrameRejectedError(
      'too_large',
      `${origin}: the frame has ${bytes.length} bytes, over ${limits.maxBytes}`,
    );
  }
  const header = readImageHeader(bytes);
  if (header.kind === 'other') {
    throw new FrameRejectedError(
      'unsupported_format',
      `${origin}: the data is ${header.format}, not JPEG or PNG`,
    );
  }
  if (header.kind === 'truncated') {
    throw new FrameRejectedError(
      'corrupt',
      `${origin}: corrupt ${header.format.toUpperCase()}: ${header.detail}`,
    );
  }
  const { format, width, height } = header;
  if (width * height > limits.maxPixels) {
    throw new FrameRejectedError(
      'too_large',
      `${origin}: the ${format.toUpperCase()} header announces ${width} x ${height} pixels, over the limit of ${limits.maxPixels}`,
    );
  }
  if (width < limits.minDimension || height < limits.minDimension) {
    throw new FrameRejectedError(
      'corrupt',
      `${origin}: ${width} x ${height} pixels is below the minimum of ${limits.minDimension} on each side`,
    );
  }

  const decoder = () => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning' });
  try {
    if (format === 'png') {
      const jpeg = await decoder().jpeg({ quality: limits.pngToJpegQuality }).toBuffer();
      return { bytes: jpeg, width, height, convertedFrom: 'png' };
    }
    if (limits.verifyDecode) {
      await decoder().resize({ width: 64, height: 64, fit: 'inside' }).raw().toBuffer();
    }
    return { bytes, width, height };
  } catch (error) {
    const detail = error instanceof Error ? error.message.trim().replace(/\s+/g, ' ') : String(error);
    throw new FrameRejectedError(
      'corrupt',
      `${origin}: the ${format.toUpperCase()} does not decode: ${detail}`,
      {
        cause: error,
      },
    );
  }
}
