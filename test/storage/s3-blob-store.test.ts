import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError, BlobStoreUnavailableError } from '../../src/storage/blob-store.js';
import { collect, describeBlobStoreContract } from './blob-store.contract.js';
import { postgresBlobKeyLock } from '../../src/storage/blob-key-lock.repo.js';
import {
  createS3Client,
  S3BlobStore,
  type S3ConnectionSettings,
} from '../../src/storage/s3-blob-store.adapter.js';
import { S3TestServer } from '../support/s3-server.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * The S3 adapter against a real S3-compatible server (s3rver, started by this file on a free port), through the
 * AWS SDK v3 client the adapter uses in production. s3rver ignores If-None-Match on PutObject, so the adapter's
 * probe must find that out and keep existing blobs by HEAD-then-PUT under the Postgres key lock.
 */

let server: S3TestServer;
let db: TestDatabase;
let store: S3BlobStore;

function settings(endpoint: string, overrides: Partial<S3ConnectionSettings> = {}): S3ConnectionSettings {
  return {
    endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    connectTimeoutMs: 2_000,
    requestTimeoutMs: 5_000,
    maxAttempts: 2,
    ...overrides,
  };
}

function storeAt(endpoint: string, overrides: Partial<S3ConnectionSettings> = {}): S3BlobStore {
  return new S3BlobStore({
    client: createS3Client(settings(endpoint, overrides)),
    bucket: S3TestServer.bucket,
    keyPrefix: `t-${randomUUID()}/`,
    conditionalWrites: 'auto',
    keyLock: postgresBlobKeyLock(db.pool),
  });
}

beforeAll(async () => {
  [server, db] = await Promise.all([S3TestServer.start(), createTestDatabase()]);
}, 60_000);
afterAll(async () => {
  await server?.close();
  await db?.drop();
});
beforeEach(() => {
  store = storeAt(server.endpoint);
});

describeBlobStoreContract('S3BlobStore on s3rver', () => store);

describe('S3BlobStore', () => {
  it('finds out that s3rver ignores If-None-Match and leaves no probe object listed', async () => {
    expect(await store.supportsConditionalWrites()).toBe(false);
    expect(await collect(store.list(''))).toEqual([]);
  });

  it('sends a conditional PutObject in `on` mode (s3rver accepts it for a new key)', async () => {
    // s3rver cannot refuse the second write, so only the creating half of this path is checked against it.
    const conditional = new S3BlobStore({
      client: createS3Client(settings(server.endpoint)),
      bucket: S3TestServer.bucket,
      keyPrefix: `t-${randomUUID()}/`,
      conditionalWrites: 'on',
    });
    expect(await conditional.supportsConditionalWrites()).toBe(true);
    const put = await conditional.put('evidence/v/m.json', Buffer.from('{}'), { ifNotExists: true });
    expect(put).toEqual({ key: 'evidence/v/m.json', size: 2, created: true });
    expect((await conditional.get('evidence/v/m.json')).toString()).toBe('{}');
  });

  it('keeps blobs of other key prefixes apart', async () => {
    const other = storeAt(server.endpoint);
    await store.put('frames/a.jpg', Buffer.from('mine'));
    await other.put('frames/a.jpg', Buffer.from('theirs'));
    expect((await store.get('frames/a.jpg')).toString()).toBe('mine');
    expect((await collect(other.list('frames/'))).map((e) => e.size)).toEqual([6]);
  });

  it('fails clearly, never as "not found", when nothing listens at the endpoint', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const away = storeAt(`http://127.0.0.1:${port}`);
    const put = away.put('evidence/v/1.jpg', Buffer.from('x'), { ifNotExists: true });
    await expect(put).rejects.toBeInstanceOf(BlobStoreUnavailableError);
    await expect(put).rejects.toThrow(/unavailable .*"evidence\/v\/1\.jpg".*ECONNREFUSED/);
    for (const op of [() => away.get('a/b'), () => away.exists('a/b'), () => collect(away.list('a/'))]) {
      await expect(op()).rejects.toBeInstanceOf(BlobStoreUnavailableError);
    }
  });

  it('fails clearly when the store accepts connections but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => void sockets.add(s.on('error', () => undefined)));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const slow = storeAt(`http://127.0.0.1:${port}`, { requestTimeoutMs: 300, maxAttempts: 2 });
      const started = Date.now();
      const err = await slow.put('frames/x.jpg', Buffer.from('x')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BlobStoreUnavailableError);
      expect((err as Error).message).toMatch(/"frames\/x\.jpg".*(Timeout|timed out)/i);
      // Two tries of 300 ms and the SDK's short backoff, not a hang.
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('works again once a stopped server is back, with every blob it had', async () => {
    await store.put('evidence/v/1.jpg', Buffer.from('first'), { ifNotExists: true });
    await server.stop();
    try {
      await expect(store.put('evidence/v/2.jpg', Buffer.from('second'))).rejects.toBeInstanceOf(
        BlobStoreUnavailableError,
      );
      await expect(store.get('evidence/v/1.jpg')).rejects.toBeInstanceOf(BlobStoreUnavailableError);
    } finally {
      await server.start();
    }
    expect((await store.get('evidence/v/1.jpg')).toString()).toBe('first');
    await expect(store.get('evidence/v/2.jpg')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.put('evidence/v/2.jpg', Buffer.from('second'), { ifNotExists: true })).toMatchObject({
      created: true,
    });
  });
});
