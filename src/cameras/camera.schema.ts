import { Type, type Static } from '@sinclair/typebox';
import { ScheduleWindowSchema } from '../zones/zone.schema.js';

/**
 * How frames are taken from the camera, as received: only the kind is checked here. The full per-kind schema
 * (snapshot, stream, file, folder) is in ingest/source-config.schema.ts; the service parses the source with it so
 * that errors name the field, and checks the URL or path against the camera access policy before anything is saved.
 */
export const CameraSource = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('snapshot'),
      Type.Literal('stream'),
      Type.Literal('file'),
      Type.Literal('folder'),
    ]),
  },
  {
    additionalProperties: true,
    description:
      'Frame source: {kind: snapshot, url} | {kind: stream, url} | {kind: file, path, replay, loop} | {kind: folder, path}',
  },
);
export type CameraSource = Static<typeof CameraSource>;

export const CameraSchedule = Type.Object(
  {
    always: Type.Optional(
      Type.Boolean({ description: 'Sample at all times (the default when no windows are given)' }),
    ),
    windows: Type.Optional(
      Type.Array(ScheduleWindowSchema, {
        maxItems: 50,
        description: 'Weekly windows (Asia/Shanghai) when the camera is sampled',
      }),
    ),
  },
  { additionalProperties: false, description: 'When the camera is sampled' },
);
export type CameraSchedule = Static<typeof CameraSchedule>;

export const DetectionFilterInput = Type.Object(
  {
    minScore: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Detections scoring below this are dropped (default 0.25)',
      }),
    ),
    minArea: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Boxes smaller than this share of the frame are dropped',
      }),
    ),
    maxArea: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Boxes larger than this share of the frame are dropped',
      }),
    ),
    minScoreByLabel: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Number({ minimum: 0, maximum: 1 }), {
        description: 'Per-label minimum scores',
      }),
    ),
  },
  { additionalProperties: false, description: "The camera's detector filter" },
);

const DateString = (description: string) => Type.String({ format: 'date', description });

/** Fields district staff may set; the device-register fields are the ones the law requires (Pudong art. 7). */
export const CameraInput = Type.Object(
  {
    districtId: Type.Optional(
      Type.String({ maxLength: 32, description: 'District; staff may only use their own' }),
    ),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Display name' }),
    address: Type.Optional(Type.String({ maxLength: 500, description: 'Street address of the device' })),
    street: Type.Optional(
      Type.Union([Type.String({ maxLength: 100 }), Type.Null()], {
        description: 'The street or town (街镇) the device stands in, for the statistics',
      }),
    ),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84 latitude' })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84 longitude' })),
    source: CameraSource,
    sampleIntervalS: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3600, description: 'Seconds between sampled frames (default 5)' }),
    ),
    schedule: Type.Optional(CameraSchedule),
    enabled: Type.Optional(Type.Boolean({ description: 'Ingest runs only for enabled cameras' })),
    certificateId: Type.Optional(
      Type.Union([Type.String({ maxLength: 100 }), Type.Null()], {
        description: 'Metrology / type-approval certificate id',
      }),
    ),
    legalReviewDate: Type.Optional(
      Type.Union([DateString('Date of the legal review of the device'), Type.Null()]),
    ),
    legalReviewer: Type.Optional(
      Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Who did the legal review' }),
    ),
    technicalReviewDate: Type.Optional(
      Type.Union([DateString('Date of the technical review of the device'), Type.Null()]),
    ),
    technicalReviewer: Type.Optional(
      Type.Union([Type.String({ maxLength: 100 }), Type.Null()], {
        description: 'Who did the technical review',
      }),
    ),
    published: Type.Optional(
      Type.Boolean({ description: 'Location published on the public list (required before evidence)' }),
    ),
    rules: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'Overrides of the rules config (dwell times, tracker, background model), merged over the defaults and validated as a whole',
      }),
    ),
    detectionFilter: Type.Optional(DetectionFilterInput),
  },
  { additionalProperties: false },
);
export type CameraInput = Static<typeof CameraInput>;

export const CameraPatch = Type.Partial(CameraInput, { additionalProperties: false });
export type CameraPatch = Static<typeof CameraPatch>;

export const CameraView = Type.Object({
  id: Type.String(),
  districtId: Type.String(),
  name: Type.String(),
  address: Type.String(),
  street: Type.Union([Type.String(), Type.Null()]),
  latitude: Type.Union([Type.Number(), Type.Null()]),
  longitude: Type.Union([Type.Number(), Type.Null()]),
  source: Type.Unknown(),
  sampleIntervalS: Type.Integer(),
  schedule: Type.Unknown(),
  enabled: Type.Boolean(),
  version: Type.Integer(),
  certificateId: Type.Union([Type.String(), Type.Null()]),
  legalReviewDate: Type.Union([Type.String(), Type.Null()]),
  legalReviewer: Type.Union([Type.String(), Type.Null()]),
  technicalReviewDate: Type.Union([Type.String(), Type.Null()]),
  technicalReviewer: Type.Union([Type.String(), Type.Null()]),
  published: Type.Boolean(),
  rules: Type.Unknown(),
  detectionFilter: Type.Unknown(),
  evidence: Type.Object({ eligible: Type.Boolean(), reasons: Type.Array(Type.String()) }),
  health: Type.Optional(Type.Unknown()),
  updatedAt: Type.String(),
});
export type CameraView = Static<typeof CameraView>;
