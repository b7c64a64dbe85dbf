/**
 * What a party may attach to a statement: JPEG, PNG or PDF, recognised by the file's first bytes (never by its
 * name or the browser's content type, both of which the sender chooses), within size and count limits.
 */

export const ATTACHMENT_LIMITS = {
  maxFiles: 3,
  maxBytes: 5 * 1024 * 1024,
  maxStatementChars: 5_000,
} as const;

export type AttachmentType = {
  contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
  extension: 'jpg' | 'png' | 'pdf';
};

const SIGNATURES: ReadonlyArray<readonly [number[], AttachmentType]> = [
  [[0xff, 0xd8, 0xff], { contentType: 'image/jpeg', extension: 'jpg' }],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], { contentType: 'image/png', extension: 'png' }],
  [[0x25, 0x50, 0x44, 0x46, 0x2d], { contentType: 'application/pdf', extension: 'pdf' }], // %PDF-
];

export function sniffAttachment(head: Uint8Array): AttachmentType | null {
  for (const [magic, type] of SIGNATURES) {
    if (head.length >= magic.length && magic.every((byte, i) => head[i] === byte)) return type;
  }
  return null;
}

export class AttachmentError extends Error {
  override name = 'AttachmentError';
}

/** Throws naming the file and the rule it breaks; returns the recognised type. */
export function checkAttachment(name: string, bytes: Uint8Array, index: number): AttachmentType {
  if (index >= ATTACHMENT_LIMITS.maxFiles) {
    throw new AttachmentError(`at most ${ATTACHMENT_LIMITS.maxFiles} attachments may be sent`);
  }
  if (bytes.length === 0) throw new AttachmentError(`attachment "${name}" is empty`);
  if (bytes.length > ATTACHMENT_LIMITS.maxBytes) {
    throw new AttachmentError(
      `attachment "${name}" is larger than ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB`,
    );
  }
  const type = sniffAttachment(bytes.subarray(0, 16));
  if (!type) throw new AttachmentError(`attachment "${name}" is not a JPEG, PNG or PDF file`);
  return type;
}

/** A display name that cannot carry a path or control characters. */
export function safeFileName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f && !'<>:"|?*'.includes(char))
    .join('')
    .trim()
    .slice(0, 120);
  return cleaned || fallback;
}
