import type { KeyObject } from 'node:crypto';
import type { CjkFont } from './cjk-font.adapter.js';
import { buildDocument } from './document-content.js';
import { renderModelHtml } from './document-html.js';
import { renderModelPdf } from './document-pdf.js';
import type { DocumentKind, DocumentView } from './document-view.js';
import { keyFingerprint, sealDocument, SealKeyError, type DocumentSeal } from './seal.js';

/**
 * Issuing a document: render it both ways and seal both renderings with the agency's key. The PDF is the
 * document of record; the HTML is what the portal shows, sealed too so a printed page can be checked.
 */

export interface IssuedDocument {
  kind: DocumentKind;
  caseNumber: string;
  html: string;
  htmlSeal: DocumentSeal;
  pdf: Buffer;
  pdfSeal: DocumentSeal;
}

export interface IssueTools {
  font: CjkFont;
  sealKey: KeyObject;
}

export async function issueDocument(view: DocumentView, tools: IssueTools): Promise<IssuedDocument> {
  const fingerprint = keyFingerprint(tools.sealKey);
  // The document prints the fingerprint a reader checks against the portal; a mismatch would make it unverifiable.
  if (view.sealKeyFingerprint !== fingerprint) {
    throw new SealKeyError(
      `the view names seal key ${view.sealKeyFingerprint}, but the key given is ${fingerprint}`,
    );
  }
  const model = buildDocument(view);
  const html = renderModelHtml(model);
  const pdf = await renderModelPdf(model, tools.font);
  return {
    kind: view.kind,
    caseNumber: view.caseNumber,
    html,
    htmlSeal: sealDocument(Buffer.from(html, 'utf8'), tools.sealKey),
    pdf,
    pdfSeal: sealDocument(pdf, tools.sealKey),
  };
}
