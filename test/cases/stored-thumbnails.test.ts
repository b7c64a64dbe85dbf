import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoredThumbnails } from '../../src/cases/evidence-thumbnail.adapter.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';

/**
 * Copies of evidence images: made once with sharp and kept in the blob store; with a memory budget, the copies
 * read lately are also kept in the process, within that budget. Real sharp, a real file store.
 */

let dir: string;
let blobs: FsBlobStore;
const originals: { storage_key: string; sha256: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'thumbs-'));
  blobs = new FsBlobStore(dir);
  for (const name of ['car-detection-f101.jpg', 'car-detection-f233.jpg']) {
    const bytes = await readFile(path.join(REPO_ROOT, 'fixtures', 'frames', name));
    await blobs.put(`evidence/${name}`, bytes);
    originals.push({
      storage_key: `evidence/${name}`,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const keyOf = (o: { sha256: string }) => `thumbnails/test-320/${o.sha256}.jpg`;
const marker = () =>
  sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 0, g: 255, b: 0 } } })
    .jpeg()
    .toBuffer();

describe('StoredThumbnails', () => {
  it('serves a copy read from the store from memory afterwards, within the byte budget', async () => {
    const thumbnails = new StoredThumbnails(blobs, 1_000_000);
    const built = await thumbnails.get(originals[0]!, 320, 'test');
    expect((await sharp(built).metadata()).width).toBe(320);
    // The first answer after the build is read from the store, and kept.
    const read = await thumbnails.get(originals[0]!, 320, 'test');
    expect(read.equals(await blobs.get(keyOf(originals[0]!)))).toBe(true);
    await blobs.put(keyOf(originals[0]!), await marker());
    expect((await thumbnails.get(originals[0]!, 320, 'test')).equals(read)).toBe(true);
  });

  it('reads the store every time without a budget, and lets the oldest copies go past it', async () => {
    const plain = new StoredThumbnails(blobs);
    await blobs.put(keyOf(originals[0]!), Buffer.alloc(600, 9));
    expect((await plain.get(originals[0]!, 320, 'test'))[0]).toBe(9);
    await blobs.put(keyOf(originals[0]!), Buffer.alloc(600, 8));
    expect((await plain.get(originals[0]!, 320, 'test'))[0]).toBe(8);

    // Room for one copy: the second pushes the first out, which is then read from the store again.
    await blobs.put(keyOf(originals[0]!), Buffer.alloc(600, 1));
    await blobs.put(keyOf(originals[1]!), Buffer.alloc(600, 2));
    const small = new StoredThumbnails(blobs, 1_000);
    expect((await small.get(originals[0]!, 320, 'test'))[0]).toBe(1);
    expect((await small.get(originals[1]!, 320, 'test'))[0]).toBe(2);
    await blobs.put(keyOf(originals[0]!), Buffer.alloc(600, 3));
    await blobs.put(keyOf(originals[1]!), Buffer.alloc(600, 4));
    expect((await small.get(originals[1]!, 320, 'test'))[0]).toBe(2);
    expect((await small.get(originals[0]!, 320, 'test'))[0]).toBe(3);
  });
});
