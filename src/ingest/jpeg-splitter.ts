/**
 * Cuts a byte stream of concatenated JPEGs (ffmpeg's image2pipe/mjpeg output) into single frames.
 *
 * Searching for the end marker FF D9 alone is not enough: marker segments (EXIF, thumbnails, tables) may
 * contain those bytes. So the splitter walks the marker segments by their lengths and scans for FF D9 only in
 * entropy-coded data, where the encoder stuffs every data FF with a 00 and FF D9 can only be the real end.
 */
export interface SplitResult {
  frames: Buffer[];
  /** Why bytes were thrown away (garbage between frames, broken structure, a frame over the size limit). */
  problems: string[];
}

type State = 'seek-start' | 'segments' | 'entropy';

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

export class JpegSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private state: State = 'seek-start';
  /** Where parsing resumes in `pending`; bytes before it are part of the current frame. */
  private position = 0;

  constructor(private readonly maxFrameBytes: number) {}

  push(chunk: Buffer): SplitResult {
    const result: SplitResult = { frames: [], problems: [] };
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.step(result)) {
      if (this.state !== 'seek-start' && this.position > this.maxFrameBytes) {
        result.problems.push(`a JPEG frame grew past ${this.maxFrameBytes} bytes without ending; dropped`);
        this.restartAfter(this.position);
      }
    }
    if (this.state !== 'seek-start' && this.pending.length > this.maxFrameBytes) {
      result.problems.push(`a JPEG frame grew past ${this.maxFrameBytes} bytes without ending; dropped`);
      this.restartAfter(this.pending.length);
    }
    return result;
  }

  /** Bytes held for an unfinished frame; what is lost if the stream ends now. */
  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** Advances as far as the buffered bytes allow; false when more input is needed. */
  private step(result: SplitResult): boolean {
    const buf = this.pending;
    switch (this.state) {
      case 'seek-start': {
        const start = findStart(buf, 0);
        if (start < 0) {
          // Keep a trailing FF: it may be the first half of the next start marker.
          const keep = buf.length > 0 && buf[buf.length - 1] === 0xff ? 1 : 0;
          const dropped = buf.length - keep;
          if (dropped > 0) result.problems.push(`${dropped} bytes outside any JPEG frame skipped`);
          this.pending = buf.subarray(buf.length - keep);
          return false;
        }
        if (start > 0) result.problems.push(`${start} bytes before a JPEG start marker skipped`);
        this.pending = buf.subarray(start);
        this.position = 2;
        this.state = 'segments';
        return true;
      }
      case 'segments': {
        let at = this.position;
        if (at >= buf.length) return false;
        if (buf[at] !== 0xff) {
          result.problems.push(`broken JPEG structure at byte ${at} of a frame; frame dropped`);
          this.restartAfter(1);
          return true;
        }
        while (at < buf.length && buf[at] === 0xff) at++;
        if (at >= buf.length) return false;
        const marker = buf[at]!;
        if (marker === EOI) {
          this.emit(at + 1, result);
          return true;
        }
        if (marker === SOI) {
          result.problems.push('a JPEG frame restarted before it ended; partial frame dropped');
          this.restartAfter(at - 1);
          return true;
        }
        if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
          this.position = at + 1;
          return true;
        }
        if (at + 3 > buf.length) return false;
        const length = buf.readUInt16BE(at + 1);
        this.position = at + 1 + length;
        if (marker === SOS) this.state = 'entropy';
        return this.position <= buf.length;
      }
      case 'entropy': {
        let at = buf.indexOf(0xff, this.position);
        while (at >= 0 && at + 1 < buf.length) {
          const next = buf[at + 1]!;
          if (next === 0x00 || next === 0xff || (next >= 0xd0 && next <= 0xd7)) {
            // Stuffed data byte, fill byte, or restart marker: still inside the scan.
            at = buf.indexOf(0xff, at + (next === 0xff ? 1 : 2));
            continue;
          }
          if (next === EOI) {
            this.emit(at + 2, result);
            return true;
          }
          // Another marker after a scan (progressive JPEGs have several scans): back to segment parsing.
          this.position = at;
          this.state = 'segments';
          return true;
        }
        this.position = at < 0 ? buf.length : at;
        return false;
      }
    }
  }

  private emit(end: number, result: SplitResult): void {
    result.frames.push(Buffer.from(this.pending.subarray(0, end)));
    this.pending = this.pending.subarray(end);
    this.position = 0;
    this.state = 'seek-start';
  }

  /** Drops the current frame up to `offset` and looks for the next start marker from there. */
  private restartAfter(offset: number): void {
    this.pending = this.pending.subarray(offset);
    this.position = 0;
    this.state = 'seek-start';
  }
}

function findStart(buf: Buffer, from: number): number {
  let at = buf.indexOf(0xff, from);
  while (at >= 0 && at + 1 < buf.length) {
    if (buf[at + 1] === SOI) return at;
    at = buf.indexOf(0xff, at + 1);
  }
  return -1;
}
