import { safeFileName, sniffAttachment } from '../portal/attachment-check.js';

/**
 * How a file a party sent is handed to staff: its type read again from its first bytes (the name and the stored
 * type are the sender's word), anything unrecognised as opaque bytes, and always as a download whose name can
 * neither carry a path nor a header, nor end in an extension other than the type's.
 */

export interface AttachmentDownload {
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf' | 'application/octet-stream';
  contentDisposition: string;
}

/** RFC 5987 percent-encoding: encodeURIComponent leaves ' ( ) * which an ext-value may not hold. */
const extValue = (text: string) =>
  encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function attachmentDownload(name: string, bytes: Uint8Array, fallback: string): AttachmentDownload {
  const type = sniffAttachment(bytes.subarray(0, 16));
  const extension = type?.extension ?? 'bin';
  let file = safeFileName(name, `${fallback}.${extension}`);
  if (!file.toLowerCase().endsWith(`.${extension}`)) file = `${file}.${extension}`;
  // The plain filename is for old clients: ASCII only, no quote, backslash, semicolon or percent sign.
  const ascii = file.replace(/[^\x20-\x7e]|["\\;%]/g, '_');
  return {
    contentType: type?.contentType ?? 'application/octet-stream',
    contentDisposition: `attachment; filename="${ascii}"; filename*=UTF-8''${extValue(file)}`,
  };
}
