import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, describeBlobStoreContract } from '../../test/storage/blob-store.contract.js';
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

describeBlobStoreContract('FsBlobStore', () => store);

describe('FsBlobStore on disk', () => {
  it('leaves no temp files behind, even when the input stream fails', async () => {
    await store.put('a/b', Buffer.from('x'));
    const failing = new Readable({
      read() {
        this.destroy(new Error('camera hung up'));
      },
    });
    await expect(store.put('a/c', failing)).rejects.toThrow(/camera hung up/);
    expect(await readdir(path.join(store.root, '.tmp'))).toEqual([]);
  });

  it('lists the file times and skips temp files', async () => {
    await store.put('frames/ab/ef/2.jpg', Buffer.from('22'));
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(path.join(store.root, 'frames', 'ab', 'ef', '2.jpg'), old, old);
    const entry = (await collect(store.list('frames/ab/ef/'))).at(0);
    expect(entry).toEqual({ key: 'frames/ab/ef/2.jpg', size: 2, modifiedAt: old });
    await store.put('x', Readable.from([Buffer.from('y')]));
    await mkdir(path.join(store.root, '.tmp'), { recursive: true });
    await writeFile(path.join(store.root, '.tmp', 'left-by-a-crash'), 'z');
    expect((await collect(store.list(''))).map((e) => e.key).sort()).toEqual(['frames/ab/ef/2.jpg', 'x']);
  });
});
