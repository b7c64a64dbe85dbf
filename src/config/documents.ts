import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** The issued documents: the agency seal that signs them and the font that carries their Chinese text. */
export const documentsSchema = {
  sealPrivateKeyFile: Type.String({
    description:
      'SEAL_PRIVATE_KEY_FILE: Ed25519 PKCS#8 PEM of the agency seal; empty outside production: a key generated once under DATA_DIR',
  }),
  documentCjkFont: Type.String({
    description:
      "DOCUMENT_CJK_FONT: path of a .ttf, .otf or .ttc font with Chinese glyphs; empty: Noto Sans CJK from Debian's fonts-noto-cjk",
  }),
  documentCjkFontName: Type.String({
    description:
      'DOCUMENT_CJK_FONT_NAME: PostScript name of the face inside a font collection (.ttc); empty: NotoSansCJKsc-Regular',
  }),
};

export function readDocuments(env: EnvReader) {
  return {
    sealPrivateKeyFile: env.get('SEAL_PRIVATE_KEY_FILE', ''),
    documentCjkFont: env.get('DOCUMENT_CJK_FONT', ''),
    documentCjkFontName: env.get('DOCUMENT_CJK_FONT_NAME', ''),
  };
}
