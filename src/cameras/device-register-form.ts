import type { CameraPatch } from './camera.schema.js';
import type { DeviceRecordInput } from './device-record.repo.js';

/**
 * The device register forms of the staff pages (Pudong art. 7): the register entry of a camera and a new
 * maintenance, test, calibration or review record, read with the API's limits; faults are catalogue keys by field.
 */

export const DEVICE_RECORD_KINDS = [
  'maintenance',
  'test',
  'calibration',
  'legal_review',
  'technical_review',
] as const satisfies readonly DeviceRecordInput['kind'][];
export const DEVICE_RECORD_RESULTS = [
  'pass',
  'fail',
  'info',
] as const satisfies readonly DeviceRecordInput['result'][];

export interface RegisterFormFields {
  certificateId?: string;
  legalReviewDate?: string;
  legalReviewer?: string;
  technicalReviewDate?: string;
  technicalReviewer?: string;
  published?: string;
}

export interface RecordFormFields {
  kind?: string;
  performedAt?: string;
  performedBy?: string;
  result?: string;
  notes?: string;
}

export type RegisterFormFault =
  | 'registerForm.error.tooLong'
  | 'registerForm.error.date'
  | 'registerForm.error.kind'
  | 'registerForm.error.performedAt'
  | 'registerForm.error.performedBy'
  | 'registerForm.error.result'
  | 'registerForm.error.notesTooLong';

export type Faults<F> = Partial<Record<keyof F, RegisterFormFault>>;

function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** The register entry as a camera patch; an emptied field clears it. */
export function readRegisterForm(
  fields: RegisterFormFields,
): { patch: CameraPatch } | { faults: Faults<RegisterFormFields> } {
  const faults: Faults<RegisterFormFields> = {};
  const text = (key: 'certificateId' | 'legalReviewer' | 'technicalReviewer'): string | null => {
    const value = (fields[key] ?? '').trim();
    if (value.length > 100) faults[key] = 'registerForm.error.tooLong';
    return value === '' ? null : value;
  };
  const date = (key: 'legalReviewDate' | 'technicalReviewDate'): string | null => {
    const value = (fields[key] ?? '').trim();
    if (value !== '' && !isDate(value)) faults[key] = 'registerForm.error.date';
    return value === '' ? null : value;
  };
  const patch: CameraPatch = {
    certificateId: text('certificateId'),
    legalReviewDate: date('legalReviewDate'),
    legalReviewer: text('legalReviewer'),
    technicalReviewDate: date('technicalReviewDate'),
    technicalReviewer: text('technicalReviewer'),
    published: fields.published !== undefined,
  };
  return Object.keys(faults).length > 0 ? { faults } : { patch };
}

/** `performedAt` comes from a datetime-local field, which is Beijing time (the bureau's clock). */
export function readRecordForm(
  fields: RecordFormFields,
): { record: DeviceRecordInput } | { faults: Faults<RecordFormFields> } {
  const faults: Faults<RecordFormFields> = {};
  const kind = DEVICE_RECORD_KINDS.find((k) => k === fields.kind);
  if (!kind) faults.kind = 'registerForm.error.kind';
  const result = DEVICE_RECORD_RESULTS.find((r) => r === fields.result);
  if (!result) faults.result = 'registerForm.error.result';
  const local = (fields.performedAt ?? '').trim();
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(local);
  const performedAt = m ? `${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00` : '';
  if (!m || !isDate(m[1]!) || Number.isNaN(Date.parse(performedAt)))
    faults.performedAt = 'registerForm.error.performedAt';
  const performedBy = (fields.performedBy ?? '').trim();
  if (performedBy === '' || performedBy.length > 200) faults.performedBy = 'registerForm.error.performedBy';
  const notes = (fields.notes ?? '').trim();
  if (notes.length > 2000) faults.notes = 'registerForm.error.notesTooLong';
  if (Object.keys(faults).length > 0 || !kind || !result) return { faults };
  return { record: { kind, performedAt, performedBy, result, ...(notes ? { notes } : {}) } };
}
