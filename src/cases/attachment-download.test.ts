import { describe, expect, it } from 'vitest';
import { attachmentDownload } from './attachment-download.js';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
const PDF = new TextEncoder().encode('%PDF-1.4\n');

describe('attachmentDownload', () => {
  it('types a file by its bytes and keeps a Chinese name in the encoded form', () => {
    const d = attachmentDownload('收据.pdf', PDF, 'attachment-1');
    expect(d.contentType).toBe('application/pdf');
    expect(d.contentDisposition).toBe(
      `attachment; filename="__.pdf"; filename*=UTF-8''${encodeURIComponent('收据.pdf')}`,
    );
  });

  it('gives unrecognised bytes as opaque data whose name ends in .bin', () => {
    const d = attachmentDownload('page.html', new TextEncoder().encode('<script>'), 'attachment-1');
    expect(d.contentType).toBe('application/octet-stream');
    expect(d.contentDisposition).toContain('filename="page.html.bin"');
  });

  it('drops paths, quotes and line breaks from the name, and fixes the extension to the type', () => {
    const d = attachmentDownload('..\\..\\a"b;\r\nc%.exe', JPEG, 'attachment-2');
    expect(d.contentType).toBe('image/jpeg');
    expect(d.contentDisposition).not.toMatch(/[\r\n]/);
    expect(d.contentDisposition).toMatch(
      /^attachment; filename="ab_c_\.exe\.jpg"; filename\*=UTF-8''ab%3Bc%25\.exe\.jpg$/,
    );
  });

  it('falls back to a numbered name when nothing of the name is left', () => {
    expect(attachmentDownload('///', JPEG, 'attachment-3').contentDisposition).toContain(
      'filename="attachment-3.jpg"',
    );
  });
});
