import { createHash } from 'node:crypto';
import type { BlobStore } from './blob-store.js';

/**
 * Content-addressed frames: the key is derived from the SHA-256 of the bytes as captured, so the same frame
 * stored twice (a retried job, a camera that repeats a still image) takes one blob, and anyone holding a key can
 * check the bytes against it. Two levels of fan-out keep directories small on a filesystem.
 */
export const FRAME_PREFIX = 'frames/';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const FRAME_KEY = /^frames\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})\.jpg$/;

export interface StoredFrame {
  key: string;
  sha256: string;
  size: number;
  /** False when the same bytes were already stored. */
  created: boolean;
}

export interface SweepResult {
  scanned: number;
  deleted: number;
  /** Old enough to go, but kept because `keep` said so (e.g. still waiting for detection or used as evidence). */
  kept: number;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function frameKeyFor(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new Error(`Not a lowercase hex SHA-256: "${sha256}"`);
  return `${FRAME_PREFIX}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}.jpg`;
}

/** The SHA-256 a frame key names, or undefined when the key is not a frame key. */
export function sha256OfFrameKey(key: string): string | undefined {
  const match = FRAME_KEY.exec(key);
  if (!match) return undefined;
  const [, first, second, sha256] = match;
  return sha256 !== undefined && sha256.startsWith(`${first}${second}`) ? sha256 : undefined;
}

export class FrameIntegrityError extends Error {
  constructor(
    readonly key: string,
    readonly actualSha256: string,
  ) {
    super(`The frame stored under "${key}" has SHA-256 ${actualSha256}, not the one its key names`);
    this.name = 'FrameIntegrityError';
  }
}

export interface FrameStoreOptions {
  /**
   * Flush every frame to disk before `put` resolves. Off by default: frames live for minutes, flushing costs
   * about as much as the write itself, and a frame lost in a crash shows up as missing or as a hash mismatch
   * (`get` checks), never as a different picture. Evidence is written by its own stage with durable puts.
   */
  durable?: boolean;
}

export class FrameStore {
  private readonly durable: boolean;

  constructor(
    private readonly blobs: BlobStore,
    options: FrameStoreOptions = {},
  ) {
    this.durable = options.durable ?? false;
  }

  /** Stores JPEG bytes exactly as given; never rewrites an existing frame. */
  async put(jpeg: Buffer): Promise<StoredFrame> {
    const sha256 = sha256Hex(jpeg);
    const key = frameKeyFor(sha256);
    const options = { contentType: 'image/jpeg', durable: this.durable };
    const result = await this.blobs.put(key, jpeg, { ...options, ifNotExists: true });
    if (!result.created) {
      // Same hash, same bytes: rewriting is harmless and renews the write time, so a repeated frame (a still
      // scene, a looped replay) is not swept as old while it is in flight again.
      await this.blobs.put(key, jpeg, options);
    }
    return { key, sha256, size: result.size, created: result.created };
  }

  /** The frame's bytes, checked against the hash in its key so that a damaged file never passes as the original. */
  async get(sha256: string): Promise<Buffer> {
    const key = frameKeyFor(sha256);
    const bytes = await this.blobs.get(key);
    const actual = sha256Hex(bytes);
    if (actual !== sha256) throw new FrameIntegrityError(key, actual);
    return bytes;
  }

  async has(sha256: string): Promise<boolean> {
    return this.blobs.exists(frameKeyFor(sha256));
  }

  /**
   * Deletes frames written before `olderThan` unless `keep(key)` says otherwise. Frames that became evidence
   * are copied into the evidence area by that stage, so `keep` only needs to protect frames still in flight.
   */
  async sweepExpired(
    olderThan: Date,
    keep: (key: string) => boolean | Promise<boolean>,
  ): Promise<SweepResult> {
    const result: SweepResult = { scanned: 0, deleted: 0, kept: 0 };
    for await (const entry of this.blobs.list(FRAME_PREFIX)) {
      result.scanned++;
      if (entry.modifiedAt >= olderThan) continue;
      if (await keep(entry.key)) {
        result.kept++;
        continue;
      }
      if (await this.blobs.delete(entry.key)) result.deleted++;
    }
    return result;
  }
}
