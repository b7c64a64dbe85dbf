import { readFile } from 'node:fs/promises';
import { create as createFont, type Font } from 'fontkit';

/**
 * The font that carries the Chinese text of the PDF documents. PDF viewers have no Chinese font to fall back
 * on, so the glyphs must be embedded; Debian's fonts-noto-cjk provides one. The path is configuration
 * (DOCUMENT_CJK_FONT), and a collection (.ttc) also needs the face's PostScript name (DOCUMENT_CJK_FONT_NAME);
 * either left empty takes the default.
 */

export const DEFAULT_CJK_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
/** The Simplified Chinese face inside the Noto CJK collection. */
export const DEFAULT_CJK_FONT_NAME = 'NotoSansCJKsc-Regular';

export interface CjkFont {
  path: string;
  /** The face to use inside a font collection; undefined for a single-face .ttf/.otf. */
  postscriptName?: string;
  /**
   * The parsed face, shared by every rendering: fontkit decodes tables lazily and keeps them, so parsing once
   * makes each later document several times faster than handing pdfkit the file bytes again.
   */
  face: Font;
}

export class DocumentFontError extends Error {
  override name = 'DocumentFontError';
}

export interface CjkFontOptions {
  /** DOCUMENT_CJK_FONT */
  path?: string;
  /** DOCUMENT_CJK_FONT_NAME */
  postscriptName?: string;
}

/** Reads the font once; pass the result to every rendering. */
export async function loadCjkFont(options: CjkFontOptions = {}): Promise<CjkFont> {
  const path = options.path || DEFAULT_CJK_FONT_PATH;
  const isCollection = /\.ttc$/i.test(path);
  const postscriptName = options.postscriptName || (isCollection ? DEFAULT_CJK_FONT_NAME : undefined);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new DocumentFontError(
      `the CJK font for PDF documents was not found at ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ` +
        `install Debian's fonts-noto-cjk, or set DOCUMENT_CJK_FONT to a .ttf, .otf or .ttc font with Chinese glyphs`,
    );
  }
  if (isCollection && !postscriptName) {
    throw new DocumentFontError(
      `${path} is a font collection: set DOCUMENT_CJK_FONT_NAME to the face to use`,
    );
  }
  let face: ReturnType<typeof createFont>;
  try {
    face = createFont(bytes, postscriptName);
  } catch (error) {
    throw new DocumentFontError(`${path} is not a font fontkit can read: ${(error as Error).message}`);
  }
  // A collection opened with a name it lacks comes back as the collection itself rather than failing.
  if (!face || !('hasGlyphForCodePoint' in face)) {
    throw new DocumentFontError(`${path} has no face named ${postscriptName ?? '(none given)'}`);
  }
  for (const char of '沪城管罚款') {
    if (!face.hasGlyphForCodePoint(char.codePointAt(0)!)) {
      throw new DocumentFontError(
        `${path} (${face.postscriptName}) has no glyph for "${char}": choose a font with Chinese glyphs`,
      );
    }
  }
  return { path, postscriptName, face };
}
