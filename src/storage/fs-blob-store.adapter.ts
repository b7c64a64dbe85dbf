import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  assertValidBlobKey,
  assertValidBlobPrefix,
  BlobNotFoundError,
  type BlobEntry,
  type BlobStore,
  type PutOptions,
  type PutResult,
} from './blob-store.js';

/** Temp files live inside the root so that the final rename or link never crosses a filesystem. */
const TEMP_DIR = '.tmp';

/**
 * The default blob store: one file per key under a root directory. Writes go to a temp file, are flushed to
 * disk, then renamed into place (or hard-linked, for `ifNotExists`, because a link fails atomically when the
 * target exists while a rename would silently replace it).
 */
export class FsBlobStore implements BlobStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async put(key: string, data: Buffer | Readable, options: PutOptions = {}): Promise<PutResult> {
    const target = this.pathOf(key);
    const durable = options.durable ?? true;
    const temp = await this.writeTemp(data, durable);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      if (options.ifNotExists) {
        try {
          await link(temp.path, target);
        } catch (error) {
          if (errorCode(error) !== 'EEXIST') throw error;
          const existing = await stat(target);
          return { key, size: existing.size, created: false };
        }
      } else {
        await rename(temp.path, target);
      }
      if (durable) await syncDirectory(path.dirname(target));
      return { key, size: temp.size, created: true };
    } finally {
      await rm(temp.path, { force: true });
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      throw errorCode(error) === 'ENOENT' ? new BlobNotFoundError(key) : error;
    }
  }

  async stream(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    // Opening first turns a missing blob into BlobNotFoundError here rather than an 'error' event later.
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw errorCode(error) === 'ENOENT' ? new BlobNotFoundError(key) : error;
    }
    return createReadStream(file, { fd: handle, autoClose: true });
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<BlobEntry> {
    assertValidBlobPrefix(prefix);
    // Walk only the deepest directory the prefix names completely; filter the partial last segment by name.
    const slash = prefix.lastIndexOf('/');
    const baseKey = slash >= 0 ? prefix.slice(0, slash) : '';
    yield* this.walk(baseKey, prefix);
  }

  /** Removes temp files left by writers that crashed mid-write; run now and then, e.g. with retention. */
  async removeStaleTemp(olderThan: Date): Promise<number> {
    const dir = path.join(this.root, TEMP_DIR);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (info && info.mtime < olderThan) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  private async *walk(dirKey: string, prefix: string): AsyncGenerator<BlobEntry> {
    const dir = dirKey === '' ? this.root : path.join(this.root, ...dirKey.split('/'));
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isDirectory()) {
        // Descend only where keys below can still start with the prefix.
        if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`)) yield* this.walk(key, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        const info = await stat(path.join(dir, entry.name)).catch(() => undefined);
        if (info) yield { key, size: info.size, modifiedAt: info.mtime };
      }
    }
  }

  private pathOf(key: string): string {
    assertValidBlobKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  private async writeTemp(
    data: Buffer | Readable,
    durable: boolean,
  ): Promise<{ path: string; size: number }> {
    const dir = path.join(this.root, TEMP_DIR);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${process.pid}-${randomBytes(8).toString('hex')}`);
    try {
      const source = Buffer.isBuffer(data) ? Readable.from([data]) : data;
      // flush: the bytes reach the disk before the rename publishes them.
      const out = createWriteStream(file, { flags: 'wx', flush: durable });
      await pipeline(source, out);
      return { path: file, size: out.bytesWritten };
    } catch (error) {
      await rm(file, { force: true });
      throw error;
    }
  }
}

/** Makes the new directory entry survive a power cut, so that a stored blob stays stored. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
