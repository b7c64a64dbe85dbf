import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from './image-header.js';

function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const body = Buffer.concat([Buffer.from('IHDR'), ihdr]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    body,
    crc,
  ]);
}

function jpegHeader(width: number, height: number, sof = 0xc0): Buffer {
  // prettier-ignore
  return Buffer.from([
    0xff, 0xd8, 0xff, 0xff, 0xe1, 0x00, 0x06, 0xff, 0xd9, 0xff, 0xc0,
    0xff, 0xdb, 0x00, 0x03, 0x00,
    0xff, sof, 0x00, 0x0b, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 0x01, 0x11, 0x00,
  ]);
}

describe('readImageHeader', () => {
  it('reads PNG dimensions from IHDR, however large they claim to be', () => {
    expect(readImageHeader(pngHeader(30000, 30000))).toEqual({
      kind: 'image',
      format: 'png',
      width: 30000,
      height: 30000,
    });
  });
  it('reads JPEG dimensions from the frame header, skipping other segments and fill bytes', () => {
    expect(readImageHeader(jpegHeader(1920, 1080))).toEqual({
      kind: 'image',
      format: 'jpeg',
      width: 1920,
      height: 1080,
    });
    expect(readImageHeader(jpegHeader(640, 480, 0xc2))).toMatchObject({ width: 640, height: 480 });
  });
  it('reports headers that end too early', () => {
    expect(readImageHeader(jpegHeader(1920, 1080).subarray(0, 20))).toMatchObject({
      kind: 'truncated',
      format: 'jpeg',
    });
    expect(readImageHeader(pngHeader(10, 10).subarray(0, 18))).toMatchObject({
      kind: 'truncated',
      format: 'png',
    });
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]))).toMatchObject({
      kind: 'truncated',
      detail: /scan data before any frame header/,
    });
  });
  it.each([
    ['GIF89a....', 'gif'],
    ['RIFF\0\0\0\0WEBPVP8 ', 'webp'],
    ['<!DOCTYPE html><html>', 'html'],
    ['  <html><body>401', 'html'],
    ['{"error":"unauthorized"}', 'json'],
    ['\0\0\0\x18ftypheic', 'iso-bmff (heic/avif/mp4)'],
  ])('names other formats: %j', (text, format) => {
    expect(readImageHeader(Buffer.from(text, 'latin1'))).toEqual({ kind: 'other', format });
  });
  it('shows the first bytes of unknown data', () => {
    expect(readImageHeader(Buffer.from([1, 2, 3]))).toEqual({
      kind: 'other',
      format: 'unknown (first bytes 010203)',
    });
  });
});
