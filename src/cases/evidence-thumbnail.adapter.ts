import { LRUCache } from 'lru-cache';
import sharp from 'sharp';
import type { EvidenceThumbnail } from '../documents/document-view.js';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.js';

/**
 * Small copies of evidence frames for documents and the portal. The copy is only for looking at: the document
 * prints the SHA-256 of the unaltered original, which the party can download and check.
 */

export const DOCUMENT_THUMBNAIL_WIDTH = 360;
export const PORTAL_THUMBNAIL_WIDTH = 640;
/** The workbench's copy: sharp enough to judge at the grid's size; the viewer opens the original. */
export const REVIEW_THUMBNAIL_WIDTH = 960;

export async function makeThumbnail(
  original: Buffer,
  width = DOCUMENT_THUMBNAIL_WIDTH,
): Promise<EvidenceThumbnail> {
  const bytes = await sharp(original, { limitInputPixels: 50_000_000 })
    .rotate()
    .resize({ width, withoutEnlargement: true })
    .jpeg({ quality: 72, mozjpeg: false })
    .toBuffer();
  return { bytes, mediaType: 'image/jpeg' };
}

/**
 * Copies of evidence images kept in the blob store: made once with sharp, under the original's SHA-256 and the
 * width, then served from there (the portal's notice page, the review workbench). Concurrent first requests for
 * one copy share one build; a copy is never altered, so whichever process writes it first wins.
 */
export class StoredThumbnails {
  private readonly building = new Map<string, Promise<Buffer>>();
  /** copies read from the store lately, by key, up to `memoryBytes` in all (least recently used go first) */
  private readonly recent: LRUCache<string, Buffer> | null;

  /**
   * `memoryBytes` > 0 also keeps the copies served lately in the process, up to that many bytes: a crowd
   * opening the same pages reads each copy from the store once, not once a request. A copy's key names the
   * original's SHA-256 and the width, and a copy is never altered, so a kept one is never stale.
   */
  constructor(
    private readonly blobs: BlobStore,
    memoryBytes = 0,
  ) {
    this.recent =
      memoryBytes > 0
        ? new LRUCache<string, Buffer>({
            maxSize: memoryBytes,
            sizeCalculation: (b) => Math.max(1, b.length),
          })
        : null;
  }

  async get(
    original: { storage_key: string; sha256: string },
    width: number,
    prefix: string,
  ): Promise<Buffer> {
    const key = `thumbnails/${prefix}-${width}/${original.sha256}.jpg`;
    const kept = this.recent?.get(key);
    if (kept) return kept;
    const stored = await this.blobs.get(key).catch((error: unknown) => {
      if (error instanceof BlobNotFoundError) return null;
      throw error;
    });
    if (stored) {
      this.recent?.set(key, stored);
      return stored;
    }
    let building = this.building.get(key);
    if (!building) {
      building = (async () => {
        const made = await makeThumbnail(await this.blobs.get(original.storage_key), width);
        const bytes = Buffer.from(made.bytes);
        await this.blobs.put(key, bytes, { ifNotExists: true, contentType: made.mediaType });
        return bytes;
      })().finally(() => this.building.delete(key));
      this.building.set(key, building);
    }
    return building;
  }
}

/** The review workbench's copies, made when the evidence is packaged (the evidence stage's `reviewCopies`). */
export function reviewCopies(blobs: BlobStore): {
  make(stored: { storage_key: string; sha256: string }): Promise<Buffer>;
} {
  const thumbnails = new StoredThumbnails(blobs);
  return { make: (stored) => thumbnails.get(stored, REVIEW_THUMBNAIL_WIDTH, 'review') };
}
