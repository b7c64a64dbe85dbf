import { Type, type Static } from '@sinclair/typebox';

/** How frames are taken from the camera; checked again by the ingest URL guard before any connection. */
export const CameraSource = Type.Object(
  {
    kind: Type.Union([Type.Literal('snapshot'), Type.Literal('stream'), Type.Literal('file'), Type.Literal('folder')], {
      description: 'snapshot: HTTP(S) JPEG/PNG URL; stream: RTSP or HTTP(S) video; file: local video; folder: watched image folder',
    }),
    url: Type.Optional(Type.String({ maxLength: 2048, description: 'Snapshot or stream URL (http, https or rtsp)' })),
    path: Type.Optional(Type.String({ maxLength: 1024, description: 'Local video file or folder path (file and folder kinds)' })),
    realtime: Type.Optional(Type.Boolean({ description: 'file kind: replay at the video\'s own speed instead of as fast as the pipeline takes it' })),
    loop: Type.Optional(Type.Boolean({ description: 'file kind: start again at the end' })),
  },
  { additionalProperties: false, description: 'Frame source' },
);

export const CameraSchedule = Type.Object(
  {
    always: Type.Optional(Type.Boolean({ description: 'Sample at all times' })),
    weekdays: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, description: 'ISO weekdays (1 = Monday) when active' }),
    ),
    from: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'Local start time HH:MM (Asia/Shanghai)' })),
    to: Type.Optional(Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'Local end time HH:MM; before `from` means overnight' })),
  },
  { additionalProperties: false, description: 'When the camera is sampled' },
);

const DateString = (description: string) => Type.String({ format: 'date', description });

/** Fields district staff may set; the device-register fields are the ones the law requires (Pudong art. 7). */
export const CameraInput = Type.Object(
  {
    districtId: Type.Optional(Type.String({ maxLength: 32, description: 'District; staff may only use their own' })),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Display name' }),
    address: Type.Optional(Type.String({ maxLength: 500, description: 'Street address of the device' })),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'WGS-84 latitude' })),
    longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180, description: 'WGS-84 longitude' })),
    source: CameraSource,
    sampleIntervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'Seconds between sampled frames (default 5)' })),
    schedule: Type.Optional(CameraSchedule),
    enabled: Type.Optional(Type.Boolean({ description: 'Ingest runs only for enabled cameras' })),
    certificateId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Metrology / type-approval certificate id' })),
    legalReviewDate: Type.Optional(Type.Union([DateString('Date of the legal review of the device'), Type.Null()])),
    legalReviewer: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Who did the legal review' })),
    technicalReviewDate: Type.Optional(Type.Union([DateString('Date of the technical review of the device'), Type.Null()])),
    technicalReviewer: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Who did the technical review' })),
    published: Type.Optional(Type.Boolean({ description: 'Location published on the public list (required before evidence)' })),
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
  evidence: Type.Object({ eligible: Type.Boolean(), reasons: Type.Array(Type.String()) }),
  health: Type.Optional(Type.Unknown()),
  updatedAt: Type.String(),
});
export type CameraView = Static<typeof CameraView>;
