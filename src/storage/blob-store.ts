import type { Readable } from 'node:stream';

/**
 * The one interface every stage uses for bytes that are too big for Postgres: frames, evidence originals,
 * annotated copies, manifests. Keys are relative, '/'-separated paths such as `frames/ab/cd/<sha256>.jpg`.
 *
 * The operations are chosen so that an S3-compatible adapter maps onto them one to one: `put` with
 * `ifNotExists` is a PutObject with `If-None-Match: *`, `list` is ListObjectsV2 (Key, Size, LastModified),
 * `stream` is the GetObject body. Nothing here depends on directories existing or on renames. Adapters:
 * fs-blob-store.adapter.ts (one directory) and s3-blob-store.adapter.ts (a bucket); create-blob-store.ts picks.
 *
 * A store that cannot be reached, times out or answers with a server error makes every operation reject with
 * BlobStoreUnavailableError, never BlobNotFoundError: a stage must retry such a failure, not treat the blob as gone.
 */
export interface BlobStore {
  /**
   * Stores `data` under `key`. A reader never sees a partly written blob. With `ifNotExists`, an existing
   * blob is left as it is and the result says `created: false`; without it, the blob is replaced.
   */
  put(key: string, data: Buffer | Readable, options?: PutOptions): Promise<PutResult>;
  /** The whole blob; throws BlobNotFoundError when there is none. */
  get(key: string): Promise<Buffer>;
  /** The blob as a stream, for large files and HTTP responses; throws BlobNotFoundError when there is none. */
  stream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  /** Removes the blob; resolves to false when there was nothing to remove. */
  delete(key: string): Promise<boolean>;
  /** Every blob whose key starts with `prefix`, in no particular order, with what retention needs. */
  list(prefix: string): AsyncIterable<BlobEntry>;
}

export interface PutOptions {
  /** Keep an existing blob instead of replacing it (content-addressed and evidence blobs are never rewritten). */
  ifNotExists?: boolean;
  /** Stored by adapters that keep metadata (S3); the filesystem adapter infers nothing from it. */
  contentType?: string;
  /**
   * Wait until the blob would survive a power cut before resolving (default true). Short-lived frames may skip
   * it: a frame lost in a crash is missing or fails its hash check, never silently wrong. Object stores are
   * always durable and ignore this.
   */
  durable?: boolean;
}

export interface PutResult {
  key: string;
  /** Size in bytes of the blob now stored under the key. */
  size: number;
  /** False when `ifNotExists` found a blob already there and kept it. */
  created: boolean;
}

export interface BlobEntry {
  key: string;
  size: number;
  /** When the blob was last written; retention compares it with a cut-off. */
  modifiedAt: Date;
}

export class BlobNotFoundError extends Error {
  readonly key: string;
  constructor(key: string) {
    super(`No blob is stored under the key "${key}"`);
    this.name = 'BlobNotFoundError';
    this.key = key;
  }
}

/**
 * The store did not answer in time, could not be reached, or failed on its side. Nothing was stored (for `put`)
 * or read; the caller should retry later. The message names the operation and the key, never credentials.
 */
export class BlobStoreUnavailableError extends Error {
  readonly key: string;
  readonly operation: string;
  readonly reason: string;
  constructor(operation: string, key: string, reason: string, options?: { cause?: unknown }) {
    super(`The blob store is unavailable (${operation} "${key}"): ${reason}`, options);
    this.name = 'BlobStoreUnavailableError';
    this.key = key;
    this.operation = operation;
    this.reason = reason;
  }
}

export class InvalidBlobKeyError extends Error {
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`Invalid blob key "${key}": ${reason}`);
    this.name = 'InvalidBlobKeyError';
    this.key = key;
  }
}

const KEY_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 512;

/**
 * Keys must mean the same thing on a filesystem and in an object store, so only plain relative paths pass:
 * no absolute paths, no `..` or `.` segments, no hidden segments, no backslashes or other characters a shell
 * or a URL would treat specially.
 */
export function assertValidBlobKey(key: string): void {
  if (key.length === 0) throw new InvalidBlobKeyError(key, 'the key is empty');
  if (key.length > MAX_KEY_LENGTH)
    throw new InvalidBlobKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  if (key.startsWith('/'))
    throw new InvalidBlobKeyError(key, 'keys are relative and must not start with "/"');
  for (const segment of key.split('/')) {
    if (segment.length === 0)
      throw new InvalidBlobKeyError(key, 'empty path segment ("//" or a trailing "/")');
    if (!KEY_SEGMENT.test(segment)) {
      throw new InvalidBlobKeyError(
        key,
        `segment "${segment}" must start with a letter, digit or "_" and hold only letters, digits, ".", "_" and "-"`,
      );
    }
  }
}

/** A prefix is the start of a key: it may end with "/" or inside a segment, but must not escape the store. */
export function assertValidBlobPrefix(prefix: string): void {
  if (prefix === '') return;
  // Completing the prefix with one harmless character turns it into a key that obeys the same rules.
  assertValidBlobKey(`${prefix}_`);
}
