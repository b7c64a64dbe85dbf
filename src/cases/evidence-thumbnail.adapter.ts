import sharp from 'sharp';
import type { EvidenceThumbnail } from '../documents/document-view.js';

/**
 * Small copies of evidence frames for documents and the portal. The copy is only for looking at: the document
 * prints the SHA-256 of the unaltered original, which the party can download and check.
 */

export const DOCUMENT_THUMBNAIL_WIDTH = 360;
export const PORTAL_THUMBNAIL_WIDTH = 640;

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
