import type { WorkingCalendar } from '../law/calendar.js';
import type { LocalDate } from '../law/local-date.js';
import { sniffAttachment, type AttachmentType } from '../portal/attachment-check.js';

/*
 * The rules of a field task (派单), without I/O: when it is due, which photos a patrol may send, and how the
 * place is linked for a phone's map application (a geo: URI, RFC 5870; no external map tiles).
 */

/** A patrol has this many working days, after the day the task is made, to visit the place. */
export const FIELD_TASK_WORKING_DAYS = 2;

export const FIELD_PHOTO_LIMITS = { maxFiles: 4, maxBytes: 8 * 1024 * 1024, maxNoteChars: 2_000 } as const;

export function fieldTaskDueOn(calendar: WorkingCalendar, createdOn: LocalDate): LocalDate {
  return calendar.addWorkingDays(createdOn, FIELD_TASK_WORKING_DAYS);
}

export class FieldPhotoError extends Error {
  override name = 'FieldPhotoError';
}

/** A photo is a JPEG or PNG, recognised by its first bytes, within the size and count limits. */
export function checkFieldPhoto(name: string, bytes: Uint8Array, index: number): AttachmentType {
  if (index >= FIELD_PHOTO_LIMITS.maxFiles)
    throw new FieldPhotoError(`at most ${FIELD_PHOTO_LIMITS.maxFiles} photos may be sent`);
  if (bytes.length === 0) throw new FieldPhotoError(`photo "${name}" is empty`);
  if (bytes.length > FIELD_PHOTO_LIMITS.maxBytes)
    throw new FieldPhotoError(
      `photo "${name}" is larger than ${FIELD_PHOTO_LIMITS.maxBytes / 1024 / 1024} MB`,
    );
  const type = sniffAttachment(bytes.subarray(0, 16));
  if (!type || type.contentType === 'application/pdf')
    throw new FieldPhotoError(`photo "${name}" is not a JPEG or PNG image`);
  return type;
}

/** A geo: URI for the place, or null when the camera has no coordinates. */
export function geoUri(latitude: number | null, longitude: number | null, label: string): string | null {
  if (latitude === null || longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude))
    return null;
  const lat = latitude.toFixed(6);
  const lng = longitude.toFixed(6);
  return `geo:${lat},${lng}?q=${lat},${lng}(${encodeURIComponent(label)})`;
}

/** Whether a task's deadline has passed on `today`. */
export function isOverdue(dueOn: LocalDate, today: LocalDate): boolean {
  return today > dueOn;
}
