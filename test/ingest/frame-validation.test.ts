import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContentType, DEFAULT_FRAME_LIMITS, validateFrame } from '../../src/ingest/frame-validation.js';
import { FrameRejectedError } from '../../src/ingest/ingest-errors.js';
import {
  extractTestFrames,
  pngBombHeader,
  scrambledJpeg,
  type TestFrames,
} from '../support/ingest-fixtures.js';

let frames: TestFrames;
beforeAll(async () => {
  frames = await extractTestFrames(1);
});
afterAll(async () => {
  await frames.cleanup();
});

async function rejection(bytes: Buffer, limits = DEFAULT_FRAME_LIMITS): Promise<FrameRejectedError> {
  const error = await validateFrame(bytes, 'test-camera', limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FrameRejectedError))
    throw new Error(`expected a FrameRejectedError, got ${String(error)}`);
  return error;
}

describe('validateFrame', () => {
  it('accepts a real JPEG and keeps its bytes exactly as captured', async () => {
    const jpeg = frames.jpegs[0]!;
    const frame = await validateFrame(jpeg, 'test-camera');
    expect(frame.bytes).toBe(jpeg);
    expect(frame).toMatchObject({ width: 320, height: 240 });
    expect(frame.convertedFrom).toBeUndefined();
  });

  it('converts a PNG to a JPEG of the same size', async () => {
    const frame = await validateFrame(frames.png, 'test-camera');
    expect(frame.convertedFrom).toBe('png');
    const meta = await sharp(frame.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
  });

  it('refuses zero bytes', async () => {
    const error = await rejection(Buffer.alloc(0));
    expect(error.code).toBe('empty');
    expect(error.message).toBe('test-camera: the frame is empty (0 bytes)');
  });

  it('refuses a 30000 x 30000 PNG header before decoding anything', async () => {
    const error = await rejection(pngBombHeader());
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/announces 30000 x 30000 pixels, over the limit of 40000000/);
  });

  it('refuses JPEG data that does not decode, and a JPEG cut in half', async () => {
    const jpeg = frames.jpegs[0]!;
    const scrambled = await rejection(scrambledJpeg(jpeg));
    expect(scrambled.code).toBe('corrupt');
    expect(scrambled.message).toMatch(/does not decode/);
    const truncated = await rejection(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(truncated.code).toBe('corrupt');
    const headerless = await rejection(jpeg.subarray(0, 40));
    expect(headerless.message).toMatch(/ends before the JPEG frame header/);
  });

  it('names the format of data that is not JPEG or PNG', async () => {
    const html = await rejection(Buffer.from('<html><body>401 Unauthorized</body></html>'));
    expect(html.code).toBe('unsupported_format');
    expect(html.message).toMatch(/the data is html, not JPEG or PNG/);
    const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } })
      .gif()
      .toBuffer();
    expect((await rejection(gif)).message).toMatch(/is gif/);
  });

  it('refuses frames over the byte limit and pictures too small to be a camera frame', async () => {
    const jpeg = frames.jpegs[0]!;
    const big = await rejection(jpeg, { ...DEFAULT_FRAME_LIMITS, maxBytes: jpeg.length - 1 });
    expect(big.code).toBe('too_large');
    const tiny = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    expect((await rejection(tiny)).message).toMatch(/8 x 8 pixels is below the minimum of 16/);
  });

  it('skips the decode check when asked, for frames ffmpeg just encoded', async () => {
    const scrambled = scrambledJpeg(frames.jpegs[0]!);
    const frame = await validateFrame(scrambled, 'ffmpeg', { ...DEFAULT_FRAME_LIMITS, verifyDecode: false });
    expect(frame.bytes).toBe(scrambled);
  });
});

describe('checkContentType', () => {
  it('accepts JPEG and PNG with parameters and any case', () => {
    expect(checkContentType('Image/JPEG; charset=binary', 'cam')).toBe('image/jpeg');
    expect(checkContentType('image/png', 'cam')).toBe('image/png');
  });
  it.each(['text/html', 'application/octet-stream', undefined, 'image/gif'])('refuses %s', (type) => {
    expect(() => checkContentType(type, 'cam')).toThrow(
      expect.objectContaining({ code: 'bad_content_type' }),
    );
  });
});
