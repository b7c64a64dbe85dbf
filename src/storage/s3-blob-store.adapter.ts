import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  assertValidBlobKey,
  assertValidBlobPrefix,
  BlobNotFoundError,
  BlobStoreUnavailableError,
  type BlobEntry,
  type BlobStore,
  type PutOptions,
  type PutResult,
} from './blob-store.js';
import type { BlobKeyLock } from './blob-key-lock.repo.js';

/**
 * How `put(…, { ifNotExists: true })` keeps an existing blob:
 * - `on`: a PutObject with `If-None-Match: *`; the store refuses (412) when the key exists. Amazon S3 (since
 *   August 2024), MinIO (since its 2024 releases) and Cloudflare R2 document it.
 * - `off`: a HEAD then a PUT under a lock on the key (BlobKeyLock), for stores that ignore the header (s3rver,
 *   older MinIO and Ceph RGW releases, and stores with their own header for it, such as Aliyun OSS's
 *   `x-oss-forbid-overwrite`).
 * - `auto`: finds out once, on first use, by writing a probe object twice; a store that lets the second
 *   conditional write through gets `off`.
 */
export type ConditionalWrites = 'auto' | 'on' | 'off';

export interface S3ConnectionSettings {
  /** Empty for Amazon S3 itself; the URL of any other S3-compatible service. */
  endpoint: string;
  region: string;
  /** Empty for the SDK's own credential chain (instance role, environment, shared files). */
  accessKeyId: string;
  secretAccessKey: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key`; most self-hosted stores need it. */
  forcePathStyle: boolean;
  /** How long a request may wait for a connection, and for the next bytes of an answer, before it fails. */
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Tries per request inside the SDK (with its own short backoff) before the operation rejects. */
  maxAttempts: number;
}

export function createS3Client(settings: S3ConnectionSettings): S3Client {
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  return new S3Client({
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.accessKeyId
      ? {
          credentials: {
            accessKeyId: settings.accessKeyId,
            secretAccessKey: settings.secretAccessKey,
          },
        }
      : {}),
    maxAttempts: settings.maxAttempts,
    // Content-MD5 (sent on every put) is the integrity check every S3-compatible store understands; the newer
    // CRC checksums are left to stores that ask for them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: new NodeHttpHandler({
      connectionTimeout: settings.connectTimeoutMs,
      // A store that accepts the connection and then says nothing must fail the request, not hang the stage.
      requestTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: settings.requestTimeoutMs,
      httpAgent: new http.Agent(agentOptions),
      httpsAgent: new https.Agent(agentOptions),
    }),
  });
}

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, so that several deployments (or tests) can share a bucket; empty or ending in "/". */
  keyPrefix?: string;
  conditionalWrites?: ConditionalWrites;
  /** Required unless `conditionalWrites` is `on`: serialises HEAD-then-PUT on stores without conditional writes. */
  keyLock?: BlobKeyLock;
}

/** Probe objects live under their own top-level name, outside every prefix the stages list. */
const PROBE_PREFIX = '_store-probe/';
/** A concurrent conditional write to the same key (S3 answers 409) is tried again this often. */
const CONFLICT_RETRIES = 5;

/**
 * Blobs as objects of one bucket. Objects are whole-or-nothing by the protocol (a reader never sees a partial
 * object), and a store acknowledges a PutObject only once the object is durably stored, so `durable` needs
 * nothing extra here. Bodies are sent with their length and Content-MD5: the store rejects a body damaged in
 * transit instead of storing it.
 */
export class S3BlobStore implements BlobStore {
  readonly bucket: string;
  readonly keyPrefix: string;
  private readonly client: S3Client;
  private readonly mode: ConditionalWrites;
  private readonly keyLock: BlobKeyLock | undefined;
  private conditional: Promise<boolean> | null = null;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.keyPrefix = options.keyPrefix ?? '';
    if (this.keyPrefix !== '') assertValidBlobPrefix(this.keyPrefix);
    if (this.keyPrefix !== '' && !this.keyPrefix.endsWith('/')) {
      throw new Error(`the key prefix "${this.keyPrefix}" must end with "/"`);
    }
    this.mode = options.conditionalWrites ?? 'auto';
    this.keyLock = options.keyLock;
    if (this.mode !== 'on' && !this.keyLock) {
      throw new Error('an S3 blob store without guaranteed conditional writes needs a key lock');
    }
  }

  async put(key: string, data: Buffer | Readable, options: PutOptions = {}): Promise<PutResult> {
    assertValidBlobKey(key);
    // PutObject needs the length up front; blobs here are frames, evidence images and documents (megabytes).
    const body = Buffer.isBuffer(data) ? data : await collect(data);
    if (!options.ifNotExists) {
      await this.write(key, body, options.contentType, false);
      return { key, size: body.length, created: true };
    }
    let conditional: boolean;
    try {
      conditional = await this.supportsConditionalWrites();
    } catch (err) {
      const reason = err instanceof BlobStoreUnavailableError ? err.reason : String(err);
      throw new BlobStoreUnavailableError('write', key, reason, { cause: err });
    }
    if (conditional) return this.putIfAbsent(key, body, options.contentType);
    return this.keyLock!.withLock(`${this.bucket}/${this.objectKey(key)}`, async () => {
      const existing = await this.sizeOf(key);
      if (existing !== undefined) return { key, size: existing, created: false };
      await this.write(key, body, options.contentType, false);
      return { key, size: body.length, created: true };
    });
  }

  async get(key: string): Promise<Buffer> {
    const body = await this.open(key);
    try {
      return Buffer.concat(await collectChunks(body));
    } catch (err) {
      throw unavailable('read', key, err);
    }
  }

  async stream(key: string): Promise<Readable> {
    return this.open(key);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.sizeOf(key)) !== undefined;
  }

  async delete(key: string): Promise<boolean> {
    // S3 answers a DELETE the same whether or not the object was there; the HEAD tells the two apart.
    if ((await this.sizeOf(key)) === undefined) return false;
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (err) {
      throw unavailable('delete', key, err);
    }
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    assertValidBlobPrefix(prefix);
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyPrefix + prefix,
            ContinuationToken: token,
          }),
        );
      } catch (err) {
        throw unavailable('list', prefix, err);
      }
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.keyPrefix.length);
        // Objects that other tools left under the prefix (folder markers, odd names) are not this store's blobs.
        if (!key || key.startsWith(PROBE_PREFIX) || !isValidKey(key)) continue;
        yield { key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Whether `ifNotExists` is a conditional PutObject here (after the probe, in `auto` mode). */
  supportsConditionalWrites(): Promise<boolean> {
    if (this.mode !== 'auto') return Promise.resolve(this.mode === 'on');
    // A probe that failed because the store was away is tried again by the next caller.
    this.conditional ??= this.probeConditionalWrites().catch((err: unknown) => {
      this.conditional = null;
      throw err;
    });
    return this.conditional;
  }

  private async probeConditionalWrites(): Promise<boolean> {
    const key = `${PROBE_PREFIX}${randomUUID()}`;
    const bytes = Buffer.from('conditional write probe\n');
    await this.write(key, bytes, 'text/plain', false);
    try {
      await this.write(key, bytes, 'text/plain', true);
      return false; // the store wrote over an existing object despite If-None-Match: *
    } catch (err) {
      if (statusOf(err) === 412) return true;
      // 501 Not Implemented or 400: the store knows the header and says it cannot honour it.
      if (statusOf(err) === 501 || statusOf(err) === 400) return false;
      throw err;
    } finally {
      await this.client
        .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }))
        .catch(() => undefined); // a bucket under object lock keeps the probe; it is tiny and never listed
    }
  }

  private async putIfAbsent(key: string, body: Buffer, contentType?: string): Promise<PutResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.write(key, body, contentType, true);
        return { key, size: body.length, created: true };
      } catch (err) {
        const status = statusOf(err);
        if (status === 412) {
          const size = await this.sizeOf(key);
          if (size !== undefined) return { key, size, created: false };
          // Deleted between the refusal and the HEAD: try to create it again.
        } else if (status !== 409) {
          // 501 or 400: a store set to `on` that does not support conditional writes says so here.
          throw unavailable('write', key, err);
        }
        if (attempt >= CONFLICT_RETRIES) throw unavailable('write', key, err);
        // 409: another conditional write of the same key is in flight; its outcome decides ours.
        await delay(50 * 2 ** Math.min(attempt, 5));
      }
    }
  }

  /** PutObject; a conditional one rejects with the raw 412 or 409 so that the caller can tell them apart. */
  private async write(key: string, body: Buffer, contentType: string | undefined, ifNoneMatch: boolean) {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Body: body,
          ContentLength: body.length,
          ContentMD5: createHash('md5').update(body).digest('base64'),
          ContentType: contentType ?? 'application/octet-stream',
          ...(ifNoneMatch ? { IfNoneMatch: '*' } : {}),
        }),
      );
    } catch (err) {
      const status = statusOf(err);
      if (ifNoneMatch && (status === 412 || status === 409 || status === 501 || status === 400)) throw err;
      throw unavailable('write', key, err);
    }
  }

  private async open(key: string): Promise<Readable> {
    assertValidBlobKey(key);
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      if (!(out.Body instanceof Readable)) throw new Error('the answer has no body stream');
      return out.Body;
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw unavailable('read', key, err);
    }
  }

  /** The object's size, or undefined when there is none. */
  private async sizeOf(key: string): Promise<number | undefined> {
    assertValidBlobKey(key);
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw unavailable('look up', key, err);
    }
  }

  private objectKey(key: string): string {
    return this.keyPrefix + key;
  }
}

function isValidKey(key: string): boolean {
  try {
    assertValidBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

function statusOf(err: unknown): number | undefined {
  const meta = (err as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return meta?.httpStatusCode;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return statusOf(err) === 404 || name === 'NoSuchKey' || name === 'NotFound';
}

/** One clear error for every way a request can fail: refused connection, timeout, a 5xx, a denied request. */
function unavailable(operation: string, key: string, err: unknown): BlobStoreUnavailableError {
  if (err instanceof BlobStoreUnavailableError) return err;
  const e = err as { name?: string; message?: string; code?: string } | null;
  const status = statusOf(err);
  const what = [
    status ? `HTTP ${status}` : undefined,
    e?.name && e.name !== 'Error' ? e.name : undefined,
    e?.code,
    e?.message,
  ]
    .filter(Boolean)
    .join(': ');
  return new BlobStoreUnavailableError(operation, key, what || String(err), { cause: err });
}

async function collectChunks(stream: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return chunks;
}

async function collect(stream: Readable): Promise<Buffer> {
  return Buffer.concat(await collectChunks(stream));
}
