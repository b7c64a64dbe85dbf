import type { FastifyRequest } from 'fastify';
import { assertNoNul } from '../http/input-guard.js';
import { DomainError } from '../shared/errors.js';
import { FIELD_PHOTO_LIMITS } from './field-task-rules.js';
import type { UploadedPhoto } from './field-task.service.js';

/** The multipart limits of the report form: the photos and a handful of short fields. */
export const FIELD_FORM_LIMITS = {
  fileSize: FIELD_PHOTO_LIMITS.maxBytes,
  files: FIELD_PHOTO_LIMITS.maxFiles,
  fields: 12,
  fieldSize: FIELD_PHOTO_LIMITS.maxNoteChars * 4,
  parts: 16,
} as const;

/**
 * Reads the patrol's report form (multipart: the fields and the photos). What the multipart reader refuses is a
 * clear 4xx: too many or too large photos (413), a body it could not read (400).
 */
export async function readFieldReportForm(
  request: FastifyRequest,
): Promise<{ fields: Record<string, string>; photos: UploadedPhoto[] }> {
  if (!request.isMultipart())
    throw new DomainError(415, 'unsupported_media_type', 'a field report is sent as multipart/form-data');
  const fields: Record<string, string> = {};
  const photos: UploadedPhoto[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // A form with no file chosen still sends an empty, nameless file part.
        if (part.filename) photos.push({ name: part.filename, bytes });
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    assertNoNul({ fields, photos: photos.map((p) => p.name) }, 'field report');
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(code))
      throw new DomainError(
        413,
        'photo_refused',
        `photos must be at most ${FIELD_PHOTO_LIMITS.maxFiles} files of ${FIELD_PHOTO_LIMITS.maxBytes / 1024 / 1024} MB each`,
      );
    throw new DomainError(400, 'malformed_form', 'the form could not be read; please send it again');
  }
  return { fields, photos };
}
