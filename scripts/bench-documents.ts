/**
 * `npm run bench:documents [-- --rounds N]`: milliseconds to render and seal one case document as PDF, with the
 * CJK face parsed once and shared (what `loadCjkFont` gives), against a fresh parse of the font for every
 * document (what handing pdfkit the font file does), alternating in the same run. Also times the HTML rendering
 * and the seal alone. Prints the medians and the ratio.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { create as createFont, type Font } from 'fontkit';
import { CATALOGUE_DIR, loadCatalogueFile } from '../src/law/law-config.adapter.js';
import { findViolationType } from '../src/law/catalogue.js';
import { loadCjkFont, type CjkFont } from '../src/documents/cjk-font.adapter.js';
import { renderDocumentHtml } from '../src/documents/document-html.js';
import { renderDocumentPdf } from '../src/documents/document-pdf.js';
import { sampleDocumentView } from '../src/documents/document-samples.js';
import { generateSealKeyPair, loadSealPrivateKey, sealDocument } from '../src/documents/seal.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`--rounds must be a whole number >= 1, got ${values.rounds}`);

const median = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const time = async (work: () => Promise<unknown> | unknown): Promise<number> => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

const catalogue = await loadCatalogueFile(path.join(CATALOGUE_DIR, `2026.1.json`));
const stall = findViolationType(catalogue, 'street_stall');
const view = sampleDocumentView('decision', stall, [
  {
    label: '现场照片1',
    capturedAt: '2026年3月2日10时15分',
    source: '世纪大道01号摄像机',
    sha256: 'ab'.repeat(32),
  },
]);
const shared = await loadCjkFont();
const fontBytes = await readFile(shared.path);
const freshFont = (): CjkFont => ({ ...shared, face: createFont(fontBytes, shared.postscriptName) as Font });
const sealKey = loadSealPrivateKey(generateSealKeyPair().privateKeyPem);

// One warm-up each so that module loading and the first table decode are not counted.
await renderDocumentPdf(view, shared);
await renderDocumentPdf(view, freshFont());

const sharedMs: number[] = [];
const freshMs: number[] = [];
const htmlMs: number[] = [];
const sealMs: number[] = [];
let pdf: Buffer = Buffer.alloc(0);
for (let round = 0; round < rounds; round += 1) {
  sharedMs.push(await time(async () => (pdf = await renderDocumentPdf(view, shared))));
  freshMs.push(await time(() => renderDocumentPdf(view, freshFont())));
  htmlMs.push(await time(() => renderDocumentHtml(view)));
  sealMs.push(await time(() => sealDocument(pdf, sealKey)));
}

const sharedMedian = median(sharedMs);
const freshMedian = median(freshMs);
console.log(`rounds: ${rounds}; PDF size ${pdf.length} bytes`);
console.log(`PDF, shared parsed face:     ${sharedMedian.toFixed(1)} ms (median)`);
console.log(`PDF, font parsed per doc:    ${freshMedian.toFixed(1)} ms (median)`);
console.log(`speed-up of the shared face: ${(freshMedian / sharedMedian).toFixed(2)}x`);
console.log(`HTML:                        ${median(htmlMs).toFixed(2)} ms (median)`);
console.log(`seal (SHA-256 + Ed25519):    ${median(sealMs).toFixed(3)} ms (median)`);
