import { districtNames } from '../auth/district.repo.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { redactUrl } from '../ingest/ingest-errors.js';
import { ValidationError } from '../shared/errors.js';
import {
  NEW_CAMERA_VALUES,
  postedValues,
  readCameraForm,
  storedValues,
  type CameraFormFaults,
  type CameraFormFields,
  type CameraFormValues,
} from './camera-form.js';
import type { CameraView } from './camera.schema.js';
import { toCameraView, type CameraService } from './camera.service.js';
import type { DeviceRegisterService } from './device-register.service.js';
import type { DeviceRecordRow } from './device-record.repo.js';
import {
  readRecordForm,
  readRegisterForm,
  type Faults,
  type RecordFormFields,
  type RegisterFormFields,
} from './device-register-form.js';

/**
 * The camera administration pages' data and form handling: adding and editing a camera, switching it on and off,
 * and its device register. Every change goes through the same services as the JSON API (its checks, its audit
 * rows); a refused form comes back as page data with its faults by field.
 */

export interface CameraAdminDeps {
  pool: Pool;
  cameras: CameraService;
  deviceRegister: DeviceRegisterService;
}

export interface CameraFormPage {
  /** absent for a new camera */
  camera?: { id: string; name: string; version: number; enabled: boolean };
  values: CameraFormValues;
  faults: CameraFormFaults;
  /** the access policy's or the source check's own words, when it refused the source */
  sourceDetail?: string;
  /** the districts a city-wide admin chooses from; empty for district staff */
  districts: { id: string; name: string }[];
}

async function districtChoices(pool: Pool, staff: StaffPrincipal): Promise<{ id: string; name: string }[]> {
  if (staff.districtId !== null) return [];
  return Object.entries(await districtNames(pool))
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export async function newCameraPage(deps: CameraAdminDeps, staff: StaffPrincipal): Promise<CameraFormPage> {
  return { values: NEW_CAMERA_VALUES, faults: {}, districts: await districtChoices(deps.pool, staff) };
}

export async function editCameraPage(
  deps: CameraAdminDeps,
  staff: StaffPrincipal,
  id: string,
): Promise<CameraFormPage> {
  const view = toCameraView(await deps.cameras.get(staff, id));
  return {
    camera: { id: view.id, name: view.name, version: view.version, enabled: view.enabled },
    values: storedValues({ ...view, source: view.source as Record<string, unknown> }),
    faults: {},
    districts: [],
  };
}

/** The source check's refusal (access policy, bad URL) is shown beside the location field. */
function sourceRefusal(err: unknown): string | undefined {
  return err instanceof ValidationError && err.message.startsWith('source: ')
    ? err.message.slice('source: '.length)
    : undefined;
}

/** Adds the camera, or gives the form back with its faults. */
export async function addCamera(
  deps: CameraAdminDeps,
  staff: StaffPrincipal,
  fields: CameraFormFields,
): Promise<{ id: string } | CameraFormPage> {
  const districts = await districtChoices(deps.pool, staff);
  const again = (faults: CameraFormFaults, sourceDetail?: string): CameraFormPage => ({
    values: postedValues(fields),
    faults,
    districts,
    ...(sourceDetail ? { sourceDetail } : {}),
  });
  const read = readCameraForm(fields);
  const districtId = staff.districtId ?? fields.districtId ?? '';
  const districtFault = districts.length > 0 && !districts.some((d) => d.id === districtId);
  if ('faults' in read || districtFault)
    return again({
      ...('faults' in read ? read.faults : {}),
      ...(districtFault ? { districtId: 'cameraForm.error.district' } : {}),
    });
  try {
    const camera = await deps.cameras.create(staff, { ...read.input, districtId });
    return { id: camera.id };
  } catch (err) {
    const detail = sourceRefusal(err);
    if (detail === undefined) throw err;
    return again({ location: 'cameraForm.error.sourceRefused' }, detail);
  }
}

/** Saves the edited camera (a new config version), or gives the form back with its faults. */
export async function saveCamera(
  deps: CameraAdminDeps,
  staff: StaffPrincipal,
  id: string,
  fields: CameraFormFields,
): Promise<{ id: string } | CameraFormPage> {
  const row = await deps.cameras.get(staff, id);
  const camera = { id: row.id, name: row.name, version: row.version, enabled: row.enabled };
  const again = (faults: CameraFormFaults, sourceDetail?: string): CameraFormPage => ({
    camera,
    values: postedValues(fields),
    faults,
    districts: [],
    ...(sourceDetail ? { sourceDetail } : {}),
  });
  const shownLocation =
    typeof row.source.url === 'string' ? redactUrl(row.source.url) : String(row.source.path ?? '');
  const read = readCameraForm(fields, { source: row.source, shownLocation });
  if ('faults' in read) return again(read.faults);
  try {
    await deps.cameras.update(staff, id, read.input);
    return { id };
  } catch (err) {
    const detail = sourceRefusal(err);
    if (detail === undefined) throw err;
    return again({ location: 'cameraForm.error.sourceRefused' }, detail);
  }
}

export async function setCameraEnabled(
  deps: CameraAdminDeps,
  staff: StaffPrincipal,
  id: string,
  enabled: boolean,
): Promise<void> {
  await deps.cameras.update(staff, id, { enabled });
}

export interface DeviceRegisterPage {
  camera: CameraView;
  records: DeviceRecordRow[];
  /** the register form's posted values and faults when it was refused */
  register?: { fields: RegisterFormFields; faults: Faults<RegisterFormFields> };
  /** the record form's posted values and faults when it was refused */
  record?: { fields: RecordFormFields; faults: Faults<RecordFormFields> };
}

export async function deviceRegisterPage(
  deps: CameraAdminDeps,
  staff: StaffPrincipal,
  id: string,
): Promise<DeviceRegisterPage> {
  const camera = toCameraView(await deps.cameras.get(staff, id));
  const records = await deps.deviceRegister.list(staff, id);
  return { camera, records };
}

/** Saves the register entry (certificate, reviews, publication), or gives the page back with its faults. */
export async function saveRegister(
  deps: CameraAdminDeps,
  staff: StaffPrincipal,
  id: string,
  fields: RegisterFormFields,
): Promise<'saved' | DeviceRegisterPage> {
  const read = readRegisterForm(fields);
  if ('faults' in read)
    return { ...(await deviceRegisterPage(deps, staff, id)), register: { fields, faults: read.faults } };
  await deps.cameras.update(staff, id, read.patch);
  return 'saved';
}

/** Adds a maintenance, test, calibration or review record, or gives the page back with its faults. */
export async function addDeviceRecord(
  deps: CameraAdminDeps,
  staff: StaffPrincipal,
  id: string,
  fields: RecordFormFields,
): Promise<'saved' | DeviceRegisterPage> {
  const read = readRecordForm(fields);
  if ('faults' in read)
    return { ...(await deviceRegisterPage(deps, staff, id)), record: { fields, faults: read.faults } };
  await deps.deviceRegister.add(staff, id, read.record);
  return 'saved';
}
