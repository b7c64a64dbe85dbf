import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from './fs-blob-store.adapter.js';
import { FrameIntegrityError, frameKeyFor, FrameStore, sha256Hex, sha256OfFrameKey } from './frame-store.js';

let root: string;
let blobs: FsBlobStore;
let frames: FrameStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'frame-store-'));
  blobs = new FsBlobStore(root);
  frames = new FrameStore(blobs);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const age = async (key: string, when: Date) => utimes(path.join(root, ...key.split('/')), when, when);

describe('FrameStore', () => {
  it('stores frames under their SHA-256 and returns the same bytes', async () => {
    const bytes = Buffer.from('pretend this is a JPEG');
    const stored = await frames.put(bytes);
    expect(stored.sha256).toBe(sha256Hex(bytes));
    expect(stored.key).toBe(
      `frames/${stored.sha256.slice(0, 2)}/${stored.sha256.slice(2, 4)}/${stored.sha256}.jpg`,
    );
    expect(stored.created).toBe(true);
    expect((await frames.get(stored.sha256)).equals(bytes)).toBe(true);
    expect((await frames.put(bytes)).created).toBe(false);
  });

  it('refuses to return a frame whose bytes no longer match its key', async () => {
    const stored = await frames.put(Buffer.from('original'));
    await writeFile(path.join(root, ...stored.key.split('/')), 'tampered');
    await expect(frames.get(stored.sha256)).rejects.toBeInstanceOf(FrameIntegrityError);
  });

  it('maps keys and hashes both ways and rejects what is not a frame key', () => {
    const sha = sha256Hex(Buffer.from('x'));
    expect(sha256OfFrameKey(frameKeyFor(sha))).toBe(sha);
    expect(sha256OfFrameKey(`frames/00/00/${sha}.jpg`)).toBeUndefined();
    expect(sha256OfFrameKey('evidence/a.jpg')).toBeUndefined();
    expect(() => frameKeyFor('../../etc/passwd')).toThrow(/Not a lowercase hex SHA-256/);
  });

  it('sweeps old frames except those kept, and leaves recent ones', async () => {
    const cutoff = new Date(Date.now() - 60_000);
    const old = await frames.put(Buffer.from('old frame'));
    const pinned = await frames.put(Buffer.from('old frame still queued'));
    const fresh = await frames.put(Buffer.from('fresh frame'));
    await blobs.put('evidence/case-1/original.jpg', Buffer.from('evidence'));
    const longAgo = new Date(Date.now() - 3_600_000);
    await age(old.key, longAgo);
    await age(pinned.key, longAgo);
    await age('evidence/case-1/original.jpg', longAgo);

    const result = await frames.sweepExpired(cutoff, async (key) => key === pinned.key);
    expect(result).toEqual({ scanned: 3, deleted: 1, kept: 1 });
    expect(await frames.has(old.sha256)).toBe(false);
    expect(await frames.has(pinned.sha256)).toBe(true);
    expect(await frames.has(fresh.sha256)).toBe(true);
    expect(await blobs.exists('evidence/case-1/original.jpg')).toBe(true);
  });

  it('renews the write time of a frame stored again, so a repeat is not swept as old', async () => {
    const bytes = Buffer.from('static scene');
    const first = await frames.put(bytes);
    await age(first.key, new Date(Date.now() - 3_600_000));
    await frames.put(bytes);
    const result = await frames.sweepExpired(new Date(Date.now() - 60_000), () => false);
    expect(result.deleted).toBe(0);
    expect(await frames.has(first.sha256)).toBe(true);
  });
});
