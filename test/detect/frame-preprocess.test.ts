import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FrameDecodeError } from '../../src/detect/detect-errors.js';
import {
  cropResized,
  decodeFitted,
  decodeFull,
  decodeResized,
  probeFrame,
} from '../../src/detect/frame-preprocess.adapter.js';
import { computeLetterbox } from '../../src/detect/letterbox.js';
import { readFrame } from '../support/frames.js';

/** A 400x200 PNG with transparency: left half opaque red, right half opaque blue. */
async function halvesPng(): Promise<Buffer> {
  const red = await sharp({ create: { width: 200, height: 200, channels: 4, background: '#ff0000ff' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 400, height: 200, channels: 4, background: '#0000ffff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

function pixel(rgb: Buffer, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!];
}

describe('frame preprocessing with sharp', () => {
  it('reads the size from the header and decodes straight to the letterbox size', async () => {
    const image = await readFrame('vtest-f200.jpg');
    const size = await probeFrame(image);
    expect(size).toEqual({ width: 768, height: 576 });
    const lb = computeLetterbox(size.width, size.height, 416, 416, 'top-left');
    const rgb = await decodeResized(image, lb);
    expect(rgb.length).toBe(416 * 312 * 3);
  });

  it('decodes to the size that fits the input in one pass, reporting the original size', async () => {
    const image = await readFrame('car-detection-f101.jpg');
    const fitted = await decodeFitted(image, 416, 416, 'top-left');
    expect(fitted).toMatchObject({ width: 768, height: 432, resizedWidth: 416, resizedHeight: 234 });
    expect(fitted.rgb.length).toBe(416 * 234 * 3);
    const stretched = await decodeFitted(image, 320, 320, 'stretch');
    expect(stretched).toMatchObject({ width: 768, height: 432, resizedWidth: 320, resizedHeight: 320 });
    const enlarged = await decodeFitted(await halvesPng(), 640, 640, 'centre');
    expect(enlarged).toMatchObject({ width: 400, height: 200, resizedWidth: 640, resizedHeight: 320 });
  });

  it('drops alpha and expands greyscale to three channels', async () => {
    const png = await halvesPng();
    const lb = computeLetterbox(400, 200, 40, 40, 'top-left');
    const rgb = await decodeResized(png, lb);
    expect(rgb.length).toBe(40 * 20 * 3);
    expect(pixel(rgb, 40, 5, 10)).toEqual([255, 0, 0]);
    expect(pixel(rgb, 40, 35, 10)).toEqual([0, 0, 255]);

    const grey = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } })
      .greyscale()
      .jpeg()
      .toBuffer();
    const g = await decodeResized(grey, computeLetterbox(64, 64, 32, 32, 'top-left'));
    expect(g.length).toBe(32 * 32 * 3);
    const [r, gg, b] = pixel(g, 32, 16, 16);
    expect(r).toBe(gg);
    expect(gg).toBe(b);
  });

  it('cuts crops out of one full decode', async () => {
    const png = await halvesPng();
    const frame = await decodeFull(png);
    expect([frame.width, frame.height]).toEqual([400, 200]);
    expect(frame.rgb.length).toBe(400 * 200 * 3);
    const lb = computeLetterbox(100, 100, 50, 50, 'top-left');
    const right = await cropResized(frame, { left: 250, top: 50, width: 100, height: 100 }, lb);
    expect(right.length).toBe(50 * 50 * 3);
    expect(pixel(right, 50, 0, 0)).toEqual([0, 0, 255]);
    expect(pixel(right, 50, 49, 49)).toEqual([0, 0, 255]);
    const straddling = await cropResized(frame, { left: 150, top: 0, width: 100, height: 100 }, lb);
    expect(pixel(straddling, 50, 2, 25)).toEqual([255, 0, 0]);
    expect(pixel(straddling, 50, 47, 25)).toEqual([0, 0, 255]);
  });

  it('refuses what is not a whole image', async () => {
    const image = await readFrame('car-detection-f101.jpg');
    const lb = computeLetterbox(768, 432, 416, 416, 'top-left');
    await expect(decodeResized(image.subarray(0, 3000), lb)).rejects.toBeInstanceOf(FrameDecodeError);
    await expect(probeFrame(Buffer.from('GIF89a'))).rejects.toBeInstanceOf(FrameDecodeError);
    await expect(decodeFitted(image.subarray(0, 3000), 416, 416, 'top-left')).rejects.toThrow(
      /cannot decode the frame \(3000 bytes\)/,
    );
    await expect(decodeFull(Buffer.alloc(0))).rejects.toThrow(/empty \(0 bytes\)/);
  });
});
