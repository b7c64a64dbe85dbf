import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobNotFoundError, InvalidBlobKeyError } from './blob-store.js';
import { FsBlobStore } from './fs-blob-store.adapter.js';

let root: string;
let store: FsBlobStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'blob-store-'));
  store = new FsBlobStore(path.join(root, 'blobs'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('FsBlobStore', () => {
  it('stores, reads, streams and deletes a blob', async () => {
    const put = await store.put('evidence/2024/a.txt', Buffer.from('original'));
    expect(put).toEqual({ key: 'evidence/2024/a.txt', size: 8, created: true });
    expect((await store.get('evidence/2024/a.txt')).toString()).toBe('original');
    expect(Buffer.concat(await collect<Buffer>(await store.stream('evidence/2024/a.txt'))).toString()).toBe(
      'original',
    );
    expect(await store.exists('evidence/2024/a.txt')).toBe(true);
    expect(await store.delete('evidence/2024/a.txt')).toBe(true);
    expect(await store.delete('evidence/2024/a.txt')).toBe(false);
    expect(await store.exists('evidence/2024/a.txt')).toBe(false);
  });

  it('accepts a stream as input', async () => {
    const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(70_000, 2)];
    const put = await store.put('big/blob.bin', Readable.from(chunks));
    expect(put.size).toBe(140_000);
    expect((await store.get('big/blob.bin')).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('replaces by default but keeps the first blob with ifNotExists', async () => {
    await store.put('k/v', Buffer.from('first'));
    await store.put('k/v', Buffer.from('second'));
    expect((await store.get('k/v')).toString()).toBe('second');
    const kept = await store.put('k/v', Buffer.from('third!'), { ifNotExists: true });
    expect(kept).toEqual({ key: 'k/v', size: 6, created: false });
    expect((await store.get('k/v')).toString()).toBe('second');
  });

  it('lets exactly one of many concurrent ifNotExists writers create the blob', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.put('race/one', Buffer.from(`writer-${i}`), { ifNotExists: true }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.findIndex((r) => r.created);
    expect((await store.get('race/one')).toString()).toBe(`writer-${winner}`);
  });

  it('leaves no temp files behind, even when the input stream fails', async () => {
    await store.put('a/b', Buffer.from('x'));
    const failing = new Readable({
      read() {
        this.destroy(new Error('camera hung up'));
      },
    });
    await expect(store.put('a/c', failing)).rejects.toThrow(/camera hung up/);
    expect(await readdir(path.join(store.root, '.tmp'))).toEqual([]);
    expect(await store.exists('a/c')).toBe(false);
  });

  it('throws BlobNotFoundError for missing blobs', async () => {
    await expect(store.get('none/here')).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.stream('none/here')).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it.each(['../escape', 'a/../../b', '/etc/passwd', 'a//b', 'a/', '.tmp/x', 'a\\b', 'a/.hidden', '', 'a b'])(
    'refuses the key %j',
    async (key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(store.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    },
  );

  it('lists by prefix with sizes and write times, skipping temp files', async () => {
    await store.put('frames/ab/cd/1.jpg', Buffer.from('1'));
    await store.put('frames/ab/ef/2.jpg', Buffer.from('22'));
    await store.put('frames/ac/00/3.jpg', Buffer.from('333'));
    await store.put('evidence/x.jpg', Buffer.from('4444'));
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(path.join(store.root, 'frames', 'ab', 'ef', '2.jpg'), old, old);

    const keys = async (prefix: string) => (await collect(store.list(prefix))).map((e) => e.key).sort();
    expect(await keys('frames/')).toEqual(['frames/ab/cd/1.jpg', 'frames/ab/ef/2.jpg', 'frames/ac/00/3.jpg']);
    expect(await keys('frames/ab')).toEqual(['frames/ab/cd/1.jpg', 'frames/ab/ef/2.jpg']);
    expect(await keys('frames/ab/e')).toEqual(['frames/ab/ef/2.jpg']);
    expect(await keys('')).toHaveLength(4);
    expect(await keys('nothing/')).toEqual([]);

    const entry = (await collect(store.list('frames/ab/ef/'))).at(0);
    expect(entry).toEqual({ key: 'frames/ab/ef/2.jpg', size: 2, modifiedAt: old });
    await expect(collect(store.list('../'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
  });
});
