import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlobNotFoundError, InvalidBlobKeyError, type BlobStore } from '../../src/storage/blob-store.js';

/*
 * The promises of the BlobStore interface, as tests that every adapter runs (src/storage/fs-blob-store.test.ts,
 * s3-blob-store.test.ts). `store()` gives the adapter under test, empty, for each test.
 */

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function describeBlobStoreContract(name: string, store: () => BlobStore): void {
  describe(`${name}: the BlobStore contract`, () => {
    it('stores, reads, streams and deletes a blob', async () => {
      const s = store();
      const put = await s.put('evidence/2024/a.txt', Buffer.from('original'));
      expect(put).toEqual({ key: 'evidence/2024/a.txt', size: 8, created: true });
      expect((await s.get('evidence/2024/a.txt')).toString()).toBe('original');
      const streamed = await collect<Buffer>(await s.stream('evidence/2024/a.txt'));
      expect(Buffer.concat(streamed).toString()).toBe('original');
      expect(await s.exists('evidence/2024/a.txt')).toBe(true);
      expect(await s.delete('evidence/2024/a.txt')).toBe(true);
      expect(await s.delete('evidence/2024/a.txt')).toBe(false);
      expect(await s.exists('evidence/2024/a.txt')).toBe(false);
    });

    it('accepts a stream as input and gives back the same bytes', async () => {
      const s = store();
      const chunks = [Buffer.alloc(70_000, 1), Buffer.alloc(70_000, 2)];
      const put = await s.put('big/blob.bin', Readable.from(chunks));
      expect(put.size).toBe(140_000);
      expect((await s.get('big/blob.bin')).equals(Buffer.concat(chunks))).toBe(true);
    });

    it('stores nothing when the input stream fails', async () => {
      const s = store();
      const failing = new Readable({
        read() {
          this.destroy(new Error('camera hung up'));
        },
      });
      await expect(s.put('a/c', failing)).rejects.toThrow(/camera hung up/);
      expect(await s.exists('a/c')).toBe(false);
    });

    it('replaces by default but keeps the first blob with ifNotExists', async () => {
      const s = store();
      await s.put('k/v', Buffer.from('first'));
      await s.put('k/v', Buffer.from('second'));
      expect((await s.get('k/v')).toString()).toBe('second');
      const kept = await s.put('k/v', Buffer.from('third!'), { ifNotExists: true });
      expect(kept).toEqual({ key: 'k/v', size: 6, created: false });
      expect((await s.get('k/v')).toString()).toBe('second');
      const fresh = await s.put('k/w', Buffer.from('new'), { ifNotExists: true });
      expect(fresh).toEqual({ key: 'k/w', size: 3, created: true });
    });

    it('lets exactly one of many concurrent ifNotExists writers create the blob', async () => {
      const s = store();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          s.put('race/one', Buffer.from(`writer-${i}`), { ifNotExists: true }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.findIndex((r) => r.created);
      expect((await s.get('race/one')).toString()).toBe(`writer-${winner}`);
    });

    it('throws BlobNotFoundError for missing blobs', async () => {
      const s = store();
      await expect(s.get('none/here')).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(s.stream('none/here')).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await s.exists('none/here')).toBe(false);
    });

    it.each([
      '../escape',
      'a/../../b',
      '/etc/passwd',
      'a//b',
      'a/',
      '.tmp/x',
      'a\\b',
      'a/.hidden',
      '',
      'a b',
    ])('refuses the key %j', async (key) => {
      const s = store();
      await expect(s.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(s.get(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
      await expect(s.exists(key)).rejects.toBeInstanceOf(InvalidBlobKeyError);
    });

    it('lists by prefix with sizes and write times', async () => {
      const s = store();
      // Object stores keep write times to the second.
      const before = Date.now() - 1_000;
      await s.put('frames/ab/cd/1.jpg', Buffer.from('1'));
      await s.put('frames/ab/ef/2.jpg', Buffer.from('22'));
      await s.put('frames/ac/00/3.jpg', Buffer.from('333'));
      await s.put('evidence/x.jpg', Buffer.from('4444'));
      const after = Date.now() + 1_000;

      const keys = async (prefix: string) => (await collect(s.list(prefix))).map((e) => e.key).sort();
      expect(await keys('frames/')).toEqual([
        'frames/ab/cd/1.jpg',
        'frames/ab/ef/2.jpg',
        'frames/ac/00/3.jpg',
      ]);
      expect(await keys('frames/ab')).toEqual(['frames/ab/cd/1.jpg', 'frames/ab/ef/2.jpg']);
      expect(await keys('frames/ab/e')).toEqual(['frames/ab/ef/2.jpg']);
      expect(await keys('')).toHaveLength(4);
      expect(await keys('nothing/')).toEqual([]);

      const [entry] = await collect(s.list('frames/ab/ef/'));
      expect(entry).toMatchObject({ key: 'frames/ab/ef/2.jpg', size: 2 });
      expect(entry!.modifiedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(entry!.modifiedAt.getTime()).toBeLessThanOrEqual(after);
      await expect(collect(s.list('../'))).rejects.toBeInstanceOf(InvalidBlobKeyError);
    });
  });
}
