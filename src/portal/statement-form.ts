import type { FastifyRequest } from 'fastify';
import { assertNoNul } from '../http/input-guard.js';
import { DomainError } from '../shared/errors.js';
import { ATTACHMENT_LIMITS } from './attachment-check.js';
import type { UploadedFile } from './portal.service.js';

/**
 * Reads the statement form (multipart: the text and its attachments). What the multipart reader refuses is
 * answered with the party's words for it: too many or too large files (413), a body it could not read (400).
 */
export async function readStatementForm(
  request: FastifyRequest,
): Promise<{ body: string; files: UploadedFile[]; fields: Record<string, string> }> {
  if (!request.isMultipart())
    throw new DomainError(415, 'unsupported_media_type', 'a statement is sent as multipart/form-data');
  let body = '';
  const files: UploadedFile[] = [];
  // The form's other fields (a staff form's token and date), by name.
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // A form with no file chosen still sends an empty, nameless file part.
        if (part.filename) files.push({ name: part.filename, bytes });
      } else if (part.fieldname === 'body') {
        body = String(part.value);
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    assertNoNul({ body, files: files.map((f) => f.name), fields }, 'statement');
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(code))
      throw new DomainError(
        413,
        'attachment_refused',
        `attachments must be at most ${ATTACHMENT_LIMITS.maxFiles} files of ${ATTACHMENT_LIMITS.maxBytes / 1024 / 1024} MB each`,
      );
    // Anything else the multipart reader throws is a body it could not read: cut off, no boundary, bad headers.
    throw new DomainError(400, 'malformed_form', 'the form could not be read; please send it again');
  }
  return { body, files, fields };
}
