import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * How a camera delivers frames. Stored with the camera's versioned configuration; every field has a
 * description because the registry's API documentation and forms are generated from this schema.
 */
const interval = (description: string) =>
  Type.Integer({ minimum: 100, maximum: 3_600_000, default: 1000, description });

const sampleIntervalMs = interval(
  'Time between sampled frames in milliseconds (one frame per interval is kept).',
);

const reconnect = Type.Object(
  {
    initialDelayMs: Type.Integer({
      minimum: 100,
      default: 1000,
      description: 'Wait before the first reconnection attempt after a failure, in milliseconds.',
    }),
    maxDelayMs: Type.Integer({
      minimum: 1000,
      default: 60_000,
      description: 'Longest wait between reconnection attempts; waits double up to this, with random jitter.',
    }),
  },
  { additionalProperties: false, default: {}, description: 'Reconnection back-off after failures.' },
);

const NO_SPACE_OR_CONTROL = '^[^\\u0000-\\u0020\\u007f]+$';

export const SnapshotSourceSchema = Type.Object(
  {
    kind: Type.Literal('snapshot', { description: 'Poll an HTTP(S) URL that answers with one JPEG or PNG.' }),
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      // URL parsers drop tabs and line breaks silently; a URL holding them was pasted wrong or is an attack.
      pattern: NO_SPACE_OR_CONTROL,
      description:
        'http:// or https:// snapshot URL; credentials may be given as user:password@host (Basic auth).',
    }),
    intervalMs: interval('Time between snapshot requests in milliseconds.'),
    timeoutMs: Type.Integer({
      minimum: 200,
      maximum: 60_000,
      default: 5000,
      description: 'Limit for one request, from connecting to the last byte, in milliseconds.',
    }),
    maxRedirects: Type.Integer({
      minimum: 0,
      maximum: 3,
      default: 3,
      description: 'Redirects followed per request; every target is checked against the access policy again.',
    }),
    reconnect,
  },
  { additionalProperties: false },
);

export const StreamSourceSchema = Type.Object(
  {
    kind: Type.Literal('stream', { description: 'A live RTSP or HTTP(S) video stream decoded by ffmpeg.' }),
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      // URL parsers drop tabs and line breaks silently; a URL holding them was pasted wrong or is an attack.
      pattern: NO_SPACE_OR_CONTROL,
      description:
        'rtsp://, http:// or https:// stream URL (file: only where local file roots are configured).',
    }),
    sampleIntervalMs,
    stallTimeoutMs: Type.Integer({
      minimum: 1000,
      default: 30_000,
      description:
        'Restart the stream when no frame arrived for this long, in milliseconds; the first frame after (re)connecting gets 10 s more, for connecting and reading the stream’s parameters.',
    }),
    // Optional in the type so that configs saved before it existed still read as they are; parsing fills 'tcp'.
    transport: Type.Optional(
      Type.Union([Type.Literal('tcp'), Type.Literal('udp')], {
        default: 'tcp',
        description:
          'RTSP only: tcp carries the video inside the RTSP connection (passes firewalls and NAT, nothing lost); udp asks for separate RTP/UDP ports (less delay on a clean camera network, packets may be lost).',
      }),
    ),
    reconnect,
  },
  { additionalProperties: false },
);

export const FileSourceSchema = Type.Object(
  {
    kind: Type.Literal('file', {
      description: 'A local video file replayed as a camera (demos, tests, benchmarks).',
    }),
    path: Type.String({
      minLength: 1,
      description: 'Absolute path of the video, inside a configured local file root.',
    }),
    sampleIntervalMs,
    replay: Type.Union([Type.Literal('realtime'), Type.Literal('as-fast')], {
      default: 'realtime',
      description: 'realtime: at the video’s own pace; as-fast: as fast as the pipeline takes the frames.',
    }),
    loop: Type.Boolean({
      default: false,
      description: 'Start again from the beginning at the end of the file.',
    }),
  },
  { additionalProperties: false },
);

export const FolderSourceSchema = Type.Object(
  {
    kind: Type.Literal('folder', {
      description: 'A folder that cameras or uploaders drop JPEG/PNG images into.',
    }),
    path: Type.String({
      minLength: 1,
      description: 'Absolute path of the folder, inside a configured folder root.',
    }),
    order: Type.Union([Type.Literal('name'), Type.Literal('mtime')], {
      default: 'name',
      description: 'Order in which waiting images are taken: by file name or by modification time.',
    }),
    afterRead: Type.Union([Type.Literal('move'), Type.Literal('remember')], {
      default: 'move',
      description:
        'move: into done/ (or rejected/ when refused); remember: leave the file and skip it from now on.',
    }),
    settleMs: Type.Integer({
      minimum: 0,
      default: 1000,
      description:
        'A file is taken only once it has not changed for this long, so partial writes are waited out.',
    }),
    scanIntervalMs: Type.Integer({
      minimum: 100,
      default: 2000,
      description: 'Rescan period in milliseconds, on top of change notifications (which can be missed).',
    }),
  },
  { additionalProperties: false },
);

export const CameraSourceConfigSchema = Type.Union(
  [SnapshotSourceSchema, StreamSourceSchema, FileSourceSchema, FolderSourceSchema],
  { description: 'Where and how a camera’s frames are fetched.' },
);

export type SnapshotSourceConfig = Static<typeof SnapshotSourceSchema>;
export type StreamSourceConfig = Static<typeof StreamSourceSchema>;
export type FileSourceConfig = Static<typeof FileSourceSchema>;
export type FolderSourceConfig = Static<typeof FolderSourceSchema>;
export type CameraSourceConfig = Static<typeof CameraSourceConfigSchema>;
export type SourceKind = CameraSourceConfig['kind'];

const SCHEMA_BY_KIND: Record<SourceKind, TObject> = {
  snapshot: SnapshotSourceSchema,
  stream: StreamSourceSchema,
  file: FileSourceSchema,
  folder: FolderSourceSchema,
};

export class SourceConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceConfigError';
  }
}

/**
 * Fills defaults and validates against the schema of the given kind, so that an error names the field
 * ("/intervalMs: Expected integer") instead of "no union member matched".
 */
export function parseSourceConfig(input: unknown): CameraSourceConfig {
  const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : undefined;
  const schema = typeof kind === 'string' ? SCHEMA_BY_KIND[kind as SourceKind] : undefined;
  if (!schema) {
    throw new SourceConfigError(
      `source kind must be one of ${Object.keys(SCHEMA_BY_KIND).join(', ')}, not ${JSON.stringify(kind)}`,
    );
  }
  const value = Value.Default(schema, structuredClone(input));
  const problems = [...Value.Errors(schema, value)].map((error) => `${error.path || '/'}: ${error.message}`);
  if (problems.length > 0) throw new SourceConfigError(`invalid ${kind} source: ${problems.join('; ')}`);
  return value as CameraSourceConfig;
}
