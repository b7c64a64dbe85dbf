import type { CameraInput } from './camera.schema.js';

/**
 * The camera form of the staff pages, read from its posted fields into the API's camera input, with the same
 * limits as the API's schema (camera.schema.ts, ingest/source-config.schema.ts). Each fault names its field and a
 * catalogue key, so the page shows it beside the field in the reader's language; the service then applies the
 * checks the schema cannot (the access policy), exactly as for the API.
 */

export const SOURCE_KINDS = ['snapshot', 'stream', 'file', 'folder'] as const;
export type FormSourceKind = (typeof SOURCE_KINDS)[number];

/** The posted fields, all strings (a checkbox is present only when ticked). */
export interface CameraFormFields {
  name?: string;
  address?: string;
  street?: string;
  latitude?: string;
  longitude?: string;
  kind?: string;
  location?: string;
  loop?: string;
  replay?: string;
  transport?: string;
  interval?: string;
  enabled?: string;
  districtId?: string;
}

export type CameraFormFault =
  | 'cameraForm.error.nameRequired'
  | 'cameraForm.error.nameTooLong'
  | 'cameraForm.error.addressTooLong'
  | 'cameraForm.error.streetTooLong'
  | 'cameraForm.error.latitude'
  | 'cameraForm.error.longitude'
  | 'cameraForm.error.interval'
  | 'cameraForm.error.kind'
  | 'cameraForm.error.locationRequired'
  | 'cameraForm.error.urlTooLong'
  | 'cameraForm.error.urlSpaces'
  | 'cameraForm.error.snapshotScheme'
  | 'cameraForm.error.streamScheme'
  | 'cameraForm.error.absolutePath'
  | 'cameraForm.error.sourceRefused'
  | 'cameraForm.error.district';

export type CameraFormField = keyof CameraFormFields;
export type CameraFormFaults = Partial<Record<CameraFormField, CameraFormFault>>;

/** The form's values as shown again, and for a new camera its defaults (a video file loops). */
export interface CameraFormValues {
  name: string;
  address: string;
  street: string;
  latitude: string;
  longitude: string;
  kind: FormSourceKind;
  location: string;
  loop: boolean;
  replay: 'realtime' | 'as-fast';
  transport: 'tcp' | 'udp';
  interval: string;
  enabled: boolean;
  districtId: string;
}

export const NEW_CAMERA_VALUES: CameraFormValues = {
  name: '',
  address: '',
  street: '',
  latitude: '',
  longitude: '',
  kind: 'snapshot',
  location: '',
  loop: true,
  replay: 'realtime',
  transport: 'tcp',
  interval: '5',
  enabled: true,
  districtId: '',
};

function isKind(kind: string | undefined): kind is FormSourceKind {
  return (SOURCE_KINDS as readonly string[]).includes(kind ?? '');
}

/** The values the form shows again after a refusal: what was posted, unticked boxes as unticked. */
export function postedValues(fields: CameraFormFields): CameraFormValues {
  return {
    name: fields.name ?? '',
    address: fields.address ?? '',
    street: fields.street ?? '',
    latitude: fields.latitude ?? '',
    longitude: fields.longitude ?? '',
    kind: isKind(fields.kind) ? fields.kind : 'snapshot',
    location: fields.location ?? '',
    loop: fields.loop !== undefined,
    replay: fields.replay === 'as-fast' ? 'as-fast' : 'realtime',
    transport: fields.transport === 'udp' ? 'udp' : 'tcp',
    interval: fields.interval ?? '',
    enabled: fields.enabled !== undefined,
    districtId: fields.districtId ?? '',
  };
}

/** A stored camera's values in the form; its URL as the views show it (credentials redacted). */
export function storedValues(camera: {
  name: string;
  address: string;
  street?: string | null;
  latitude: number | null;
  longitude: number | null;
  source: Record<string, unknown>;
  sampleIntervalS: number;
  enabled: boolean;
  districtId: string;
}): CameraFormValues {
  const s = camera.source;
  const kind = isKind(String(s.kind)) ? (s.kind as FormSourceKind) : 'snapshot';
  return {
    name: camera.name,
    address: camera.address,
    street: camera.street ?? '',
    latitude: camera.latitude === null ? '' : String(camera.latitude),
    longitude: camera.longitude === null ? '' : String(camera.longitude),
    kind,
    location: String(s.url ?? s.path ?? ''),
    loop: s.loop === true,
    replay: s.replay === 'as-fast' ? 'as-fast' : 'realtime',
    transport: s.transport === 'udp' ? 'udp' : 'tcp',
    interval: String(camera.sampleIntervalS),
    enabled: camera.enabled,
    districtId: camera.districtId,
  };
}

/** The URL pattern of source-config.schema.ts: no spaces or control characters. */
const hasSpaceOrControl = (text: string): boolean =>
  [...text].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f);

function optionalNumber(text: string | undefined, min: number, max: number): number | undefined | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

function sourceFaults(kind: FormSourceKind, location: string): CameraFormFault | undefined {
  if (location === '') return 'cameraForm.error.locationRequired';
  if (kind === 'snapshot' || kind === 'stream') {
    if (location.length > 2048) return 'cameraForm.error.urlTooLong';
    if (hasSpaceOrControl(location)) return 'cameraForm.error.urlSpaces';
    const scheme = location.split(':')[0]!.toLowerCase();
    if (kind === 'snapshot' && scheme !== 'http' && scheme !== 'https')
      return 'cameraForm.error.snapshotScheme';
    if (kind === 'stream' && !['rtsp', 'http', 'https', 'file'].includes(scheme))
      return 'cameraForm.error.streamScheme';
    return undefined;
  }
  return location.startsWith('/') ? undefined : 'cameraForm.error.absolutePath';
}

/**
 * The camera input of a posted form, or the faults by field. `previous` is the stored source when editing: its
 * other settings (timeouts, reconnection, folder order) are kept, and a URL left as shown (redacted) keeps the
 * stored one, so editing the name never loses a camera's password.
 */
export function readCameraForm(
  fields: CameraFormFields,
  previous?: { source: Record<string, unknown>; shownLocation: string },
): { input: Omit<CameraInput, 'districtId'> } | { faults: CameraFormFaults } {
  const faults: CameraFormFaults = {};
  const name = (fields.name ?? '').trim();
  if (name === '') faults.name = 'cameraForm.error.nameRequired';
  else if (name.length > 200) faults.name = 'cameraForm.error.nameTooLong';
  const address = (fields.address ?? '').trim();
  if (address.length > 500) faults.address = 'cameraForm.error.addressTooLong';
  const street = (fields.street ?? '').trim();
  if (street.length > 100) faults.street = 'cameraForm.error.streetTooLong';
  const latitude = optionalNumber(fields.latitude, -90, 90);
  if (latitude === null) faults.latitude = 'cameraForm.error.latitude';
  const longitude = optionalNumber(fields.longitude, -180, 180);
  if (longitude === null) faults.longitude = 'cameraForm.error.longitude';
  const intervalText = (fields.interval ?? '').trim();
  const interval = intervalText === '' ? 5 : Number(intervalText);
  if (!Number.isInteger(interval) || interval < 1 || interval > 3600)
    faults.interval = 'cameraForm.error.interval';
  const kind = fields.kind;
  const location = (fields.location ?? '').trim();
  if (!isKind(kind)) faults.kind = 'cameraForm.error.kind';
  else {
    const fault = sourceFaults(kind, location);
    if (fault) faults.location = fault;
  }
  if (Object.keys(faults).length > 0 || !isKind(kind)) return { faults };

  const kept = previous && previous.source.kind === kind ? previous.source : { kind };
  const where = kind === 'snapshot' || kind === 'stream' ? 'url' : 'path';
  const unchangedUrl =
    where === 'url' && previous?.source.kind === kind && location === previous.shownLocation;
  const source: CameraInput['source'] = {
    ...kept,
    kind,
    [where]: unchangedUrl ? previous.source.url : location,
    ...(kind === 'file' ? { loop: fields.loop !== undefined, replay: postedValues(fields).replay } : {}),
    ...(kind === 'stream' ? { transport: postedValues(fields).transport } : {}),
  };
  return {
    input: {
      name,
      address,
      street: street === '' ? null : street,
      ...(typeof latitude === 'number' ? { latitude } : {}),
      ...(typeof longitude === 'number' ? { longitude } : {}),
      source,
      sampleIntervalS: interval,
      enabled: fields.enabled !== undefined,
    },
  };
}
