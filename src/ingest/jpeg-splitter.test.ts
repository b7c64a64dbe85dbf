import { describe, expect, it } from 'vitest';
import { JpegSplitter } from './jpeg-splitter.js';

/** A structurally valid JPEG: SOI, an APPn segment, a SOF0, a scan with stuffed bytes and a restart marker, EOI. */
function jpeg(id: number, options: { appPayload?: number[]; scan?: number[] } = {}): Buffer {
  const app = options.appPayload ?? [0x4a, 0x46, 0x49, 0x46, 0x00];
  const scan = options.scan ?? [id, 0xff, 0x00, 0x12, 0xff, 0xd3, 0x34, id];
  // prettier-ignore
  return Buffer.from([
    0xff, 0xd8,
    0xff, 0xe0, 0x00, app.length + 2, ...app,
    0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00,
    0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
    ...scan,
    0xff, 0xd9,
  ]);
}

function splitAll(splitter: JpegSplitter, chunks: Buffer[]) {
  const frames: Buffer[] = [];
  const problems: string[] = [];
  for (const chunk of chunks) {
    const result = splitter.push(chunk);
    frames.push(...result.frames);
    problems.push(...result.problems);
  }
  return { frames, problems };
}

describe('JpegSplitter', () => {
  it('cuts back-to-back frames delivered in one chunk', () => {
    const input = [jpeg(1), jpeg(2), jpeg(3)];
    const { frames, problems } = splitAll(new JpegSplitter(1 << 20), [Buffer.concat(input)]);
    expect(frames).toEqual(input);
    expect(problems).toEqual([]);
  });

  it('gives the same frames whatever the chunk boundaries, down to single bytes', () => {
    const input = [jpeg(1), jpeg(2), jpeg(3)];
    const stream = Buffer.concat(input);
    for (const size of [1, 2, 3, 5, 7, 13]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size));
      expect(splitAll(new JpegSplitter(1 << 20), chunks).frames).toEqual(input);
    }
  });

  it('is not fooled by an end marker inside a metadata segment', () => {
    const tricky = jpeg(7, { appPayload: [0x45, 0x78, 0xff, 0xd9, 0xff, 0xd8, 0x00] });
    const { frames } = splitAll(new JpegSplitter(1 << 20), [Buffer.concat([tricky, jpeg(8)])]);
    expect(frames).toEqual([tricky, jpeg(8)]);
  });

  it('handles a second scan after the first, as progressive JPEGs have', () => {
    const progressive = Buffer.concat([
      jpeg(1).subarray(0, -2),
      Buffer.from([0xff, 0xc4, 0x00, 0x03, 0x00]),
      Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x55, 0xff, 0x00]),
      Buffer.from([0xff, 0xd9]),
    ]);
    expect(splitAll(new JpegSplitter(1 << 20), [progressive]).frames).toEqual([progressive]);
  });

  it('skips garbage between frames and reports it', () => {
    const { frames, problems } = splitAll(new JpegSplitter(1 << 20), [
      Buffer.from('noise'),
      jpeg(1),
      Buffer.from([0x00, 0xff, 0x11]),
      jpeg(2),
    ]);
    expect(frames).toEqual([jpeg(1), jpeg(2)]);
    expect(problems.join('\n')).toMatch(/bytes .* skipped/);
  });

  it('drops a frame cut short by the start of the next one', () => {
    const cut = jpeg(1).subarray(0, 20);
    const { frames, problems } = splitAll(new JpegSplitter(1 << 20), [Buffer.concat([cut, jpeg(2)])]);
    expect(frames).toEqual([jpeg(2)]);
    expect(problems.length).toBeGreaterThan(0);
  });

  it('drops a frame that grows past the size limit and recovers on the next one', () => {
    const endless = Buffer.concat([jpeg(1).subarray(0, -2), Buffer.alloc(500, 0x42)]);
    const splitter = new JpegSplitter(200);
    const { frames, problems } = splitAll(splitter, [endless, Buffer.from([0xff, 0xd9]), jpeg(2)]);
    expect(frames).toEqual([jpeg(2)]);
    expect(problems.join('\n')).toMatch(/grew past 200 bytes/);
    expect(splitter.bufferedBytes).toBe(0);
  });
});
