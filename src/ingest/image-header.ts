/**
 * Reads an image's format and size from its first bytes, without a decoder. This is what lets ingest refuse a
 * decompression bomb (a tiny file announcing 30000 x 30000 pixels) before any library allocates for it, and
 * name the format of whatever else a camera sent instead of a frame.
 */
export type ImageHeader =
  | { kind: 'image'; format: 'jpeg' | 'png'; width: number; height: number }
  | { kind: 'truncated'; format: 'jpeg' | 'png'; detail: string }
  | { kind: 'other'; format: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readImageHeader(bytes: Uint8Array): ImageHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return readJpeg(buf);
  if (buf.length >= 8 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) return readPng(buf);
  return { kind: 'other', format: guessOtherFormat(buf) };
}

function readPng(buf: Buffer): ImageHeader {
  // The first chunk must be IHDR: length 13, then width and height as 32-bit big-endian numbers.
  if (buf.length < 24)
    return { kind: 'truncated', format: 'png', detail: 'the file ends inside the PNG header' };
  if (buf.toString('latin1', 12, 16) !== 'IHDR') {
    return { kind: 'truncated', format: 'png', detail: 'the first PNG chunk is not IHDR' };
  }
  return { kind: 'image', format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Markers that carry no length field: TEM, RST0-7, SOI, EOI. */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic); C4, C8 and CC are other things. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function readJpeg(buf: Buffer): ImageHeader {
  let offset = 2;
  while (offset < buf.length) {
    if (buf[offset] !== 0xff) {
      return { kind: 'truncated', format: 'jpeg', detail: `expected a JPEG marker at byte ${offset}` };
    }
    // Any number of 0xFF fill bytes may precede a marker.
    while (offset < buf.length && buf[offset] === 0xff) offset++;
    if (offset >= buf.length) break;
    const marker = buf[offset]!;
    offset++;
    if (isStandalone(marker)) continue;
    if (offset + 2 > buf.length) break;
    const length = buf.readUInt16BE(offset);
    if (length < 2)
      return { kind: 'truncated', format: 'jpeg', detail: `JPEG segment length ${length} at ${offset}` };
    if (isStartOfFrame(marker)) {
      if (offset + 7 > buf.length) break;
      return {
        kind: 'image',
        format: 'jpeg',
        height: buf.readUInt16BE(offset + 3),
        width: buf.readUInt16BE(offset + 5),
      };
    }
    if (marker === 0xda)
      return { kind: 'truncated', format: 'jpeg', detail: 'JPEG scan data before any frame header' };
    offset += length;
  }
  return { kind: 'truncated', format: 'jpeg', detail: 'the file ends before the JPEG frame header' };
}

function guessOtherFormat(buf: Buffer): string {
  const ascii = buf.toString('latin1', 0, Math.min(buf.length, 64));
  if (ascii.startsWith('GIF8')) return 'gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'webp';
  if (ascii.startsWith('BM')) return 'bmp';
  if (ascii.startsWith('II*\u0000') || ascii.startsWith('MM\u0000*')) return 'tiff';
  if (ascii.slice(4, 8) === 'ftyp') return 'iso-bmff (heic/avif/mp4)';
  const text = ascii.trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'html';
  if (text.startsWith('<?xml') || text.startsWith('<svg')) return 'xml/svg';
  if (text.startsWith('{') || text.startsWith('[')) return 'json';
  return `unknown (first bytes ${buf.subarray(0, 8).toString('hex') || 'none'})`;
}
