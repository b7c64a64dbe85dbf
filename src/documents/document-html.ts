import { buildDocument, PORTAL_CAPTION, type Block, type DocumentModel } from './document-content.js';
import type { DocumentView, EvidenceItem } from './document-view.js';
import { qrSvg } from './qr-code.js';

/**
 * A case document as one self-contained, printable HTML page (A4). Every value from the view is escaped, and
 * images come only from inline bytes, http(s) addresses or the portal's own paths.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function renderDocumentHtml(view: DocumentView): string {
  return renderModelHtml(buildDocument(view));
}

export function renderModelHtml(model: DocumentModel): string {
  const body = model.blocks.map(renderBlock).join('\n');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: https: http: 'self'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${model.title} ${model.caseNumber}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="document" data-kind="${escapeHtml(model.kind)}">
<header>
<p class="agency">${escapeHtml(model.agencyName)}</p>
<h1>${escapeHtml(model.title)}</h1>
<p class="case-number">${escapeHtml(model.caseNumber)}</p>
</header>
${body}
<footer>
<div class="portal">
${qrSvg(model.portalUrl)}
<p>扫描二维码或访问<br><a href="${escapeHtml(model.portalUrl)}">${escapeHtml(model.portalUrl)}</a><br>${escapeHtml(model.portalCaption ?? PORTAL_CAPTION)}</p>
</div>
<div class="closing">
<div class="seal" aria-hidden="true"><span>${escapeHtml(model.agencyName)}</span><span class="star">★</span><span>电子印章</span></div>
<p>${escapeHtml(model.closing.agency)}</p>
<p>${escapeHtml(model.closing.date)}</p>
</div>
<p class="verification">本文书使用电子印章。签章核验：${escapeHtml(model.sealVerificationUrl)}；签章公钥指纹：<code>${escapeHtml(model.sealKeyFingerprint)}</code></p>
</footer>
</main>
</body>
</html>
`;
}

function renderBlock(block: Block): string {
  switch (block.type) {
    case 'heading':
      return `<h2>${escapeHtml(block.text)}</h2>`;
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'fields':
      return `<table class="fields">${block.rows
        .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
        .join('')}</table>`;
    case 'law':
      return `<blockquote><cite>${escapeHtml(block.reference)}</cite><p>${escapeHtml(block.text)}</p></blockquote>`;
    case 'list':
      return `<ol>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ol>`;
    case 'evidence':
      return `<table class="evidence"><thead><tr><th>证据</th><th>说明</th></tr></thead><tbody>${block.items
        .map(renderEvidence)
        .join('')}</tbody></table>`;
  }
}

function renderEvidence(item: EvidenceItem): string {
  const source = imageSource(item);
  const image = source
    ? `<img src="${escapeHtml(source)}" alt="${escapeHtml(item.label)}">`
    : '<span class="no-image">（无缩略图）</span>';
  return (
    `<tr><td class="thumb">${image}</td><td><p class="label">${escapeHtml(item.label)}</p>` +
    `<p>拍摄时间：${escapeHtml(item.capturedAt)}</p><p>来源：${escapeHtml(item.source)}</p>` +
    `<p>SHA-256：<code>${escapeHtml(item.sha256)}</code></p></td></tr>`
  );
}

function imageSource(item: EvidenceItem): string | undefined {
  if (item.thumbnail)
    return `data:${item.thumbnail.mediaType};base64,${Buffer.from(item.thumbnail.bytes).toString('base64')}`;
  const url = item.thumbnailUrl;
  // Anything else (javascript:, data: of unknown type) is dropped rather than trusted.
  if (url && (/^https?:\/\//i.test(url) || /^\/(?!\/)/.test(url))) return url;
  return undefined;
}

const STYLE = `
@page { size: A4; margin: 20mm 18mm; }
body { margin: 0; background: #f4f4f4; color: #111; font: 15px/1.7 "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif; }
.document { max-width: 180mm; margin: 0 auto; padding: 18mm; background: #fff; }
header { text-align: center; margin-bottom: 1.5em; }
.agency { font-size: 18px; margin: 0; letter-spacing: 0.1em; }
h1 { font-size: 24px; margin: 0.2em 0; letter-spacing: 0.3em; }
.case-number { margin: 0; }
h2 { font-size: 16px; margin: 1.2em 0 0.4em; }
table { border-collapse: collapse; width: 100%; }
.fields th { text-align: left; width: 9em; font-weight: normal; color: #444; vertical-align: top; }
.evidence th, .evidence td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left; }
.evidence .thumb { width: 42mm; }
.evidence img { max-width: 40mm; max-height: 30mm; display: block; }
.evidence p { margin: 0; }
code { font-family: "Noto Sans Mono CJK SC", monospace; font-size: 12px; word-break: break-all; }
blockquote { margin: 0.4em 0 0.8em; padding: 0.3em 0.8em; border-left: 3px solid #999; background: #fafafa; }
blockquote cite { font-style: normal; font-weight: bold; }
blockquote p { margin: 0.2em 0 0; }
ol { padding-left: 1.6em; }
footer { margin-top: 2em; display: grid; grid-template-columns: 1fr auto; align-items: center; gap: 1em 2em; }
.portal { display: flex; align-items: center; gap: 0.8em; font-size: 13px; }
.portal p { margin: 0; max-width: 70mm; }
.portal a { color: inherit; word-break: break-all; }
.closing { position: relative; text-align: center; min-width: 60mm; padding: 12mm 0; }
.closing p { margin: 0.2em 0; position: relative; }
.seal { position: absolute; left: 50%; top: 50%; width: 40mm; height: 40mm; transform: translate(-50%, -50%); border: 3px solid #c00; border-radius: 50%; color: #c00; opacity: 0.75; display: flex; flex-direction: column; align-items: center; justify-content: center; font-size: 10px; line-height: 1.3; padding: 0 4mm; text-align: center; box-sizing: border-box; }
.seal .star { font-size: 22px; }
.verification { grid-column: 1 / -1; font-size: 12px; color: #444; }
.no-image { color: #777; font-size: 12px; }
@media print { body { background: #fff; } .document { padding: 0; max-width: none; } }
`;
