import { describe, expect, it } from 'vitest';
import {
  ATTACHMENT_LIMITS,
  AttachmentError,
  checkAttachment,
  safeFileName,
  sniffAttachment,
} from './attachment-check.js';

const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const pdf = new TextEncoder().encode('%PDF-1.7\n');

describe('statement attachments', () => {
  it('are recognised by their first bytes', () => {
    expect(sniffAttachment(jpeg)?.contentType).toBe('image/jpeg');
    expect(sniffAttachment(png)?.contentType).toBe('image/png');
    expect(sniffAttachment(pdf)?.extension).toBe('pdf');
    expect(sniffAttachment(new TextEncoder().encode('<html><script>'))).toBeNull();
    expect(sniffAttachment(Uint8Array.from([0xff, 0xd8]))).toBeNull();
  });

  it('refuse other types whatever their name, empty or oversized files, and one file too many', () => {
    expect(() => checkAttachment('photo.jpg', new TextEncoder().encode('MZ executable'), 0)).toThrow(
      /not a JPEG, PNG or PDF/,
    );
    expect(() => checkAttachment('a.pdf', new Uint8Array(0), 0)).toThrow(/empty/);
    const big = new Uint8Array(ATTACHMENT_LIMITS.maxBytes + 1);
    big.set(jpeg);
    expect(() => checkAttachment('big.jpg', big, 0)).toThrow(AttachmentError);
    expect(() => checkAttachment('d.pdf', pdf, ATTACHMENT_LIMITS.maxFiles)).toThrow(/at most 3/);
    expect(checkAttachment('ok.png', png, 2).contentType).toBe('image/png');
  });

  it('keep only a harmless base name', () => {
    expect(safeFileName('../../etc/passwd', 'x')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\收据.pdf', 'x')).toBe('收据.pdf');
    expect(safeFileName('<script>"a".jpg', 'x')).toBe('scripta.jpg');
    expect(safeFileName('///', 'attachment-1')).toBe('attachment-1');
  });
});
