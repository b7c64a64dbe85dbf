import { html, type SafeHtml } from '../web/html.js';
import type { PortalLang } from './portal-i18n.js';
import { portalLayout } from './portal-pages.view.js';

/** The public portal page on how to check the seal. */

export interface SealPageProps {
  lang: PortalLang;
  fingerprint: string;
  pem: string;
}

export function sealPage({ lang, fingerprint, pem }: SealPageProps): SafeHtml {
  const zh = lang === 'zh';
  return portalLayout(
    lang,
    zh ? '电子印章验证' : 'Checking the electronic seal',
    html`<section class="card">
      <h1>${zh ? '电子印章验证' : 'Checking the electronic seal'}</h1>
      <p>
        ${zh ? '本机关的执法文书和缴款凭证均以电子印章签名：对文件字节计算SHA-256，再用下列公钥验证Ed25519签名。' : 'Every document and receipt is sealed: an Ed25519 signature over the SHA-256 of the file bytes, checked with this public key.'}
      </p>
      <p>
        ${zh ? '公钥指纹（与文书页脚核对）' : 'Key fingerprint (match it with the foot of the document)'}:
        <code id="seal-fingerprint">${fingerprint}</code>
      </p>
      <pre id="seal-pem">${pem}</pre>
      <p><a href="/portal/seal-public-key">${zh ? '下载公钥' : 'Download the key'}</a></p>
      <p class="muted">
        openssl dgst -sha256 -binary document.pdf &gt; digest.bin; openssl pkeyutl -verify -pubin -inkey
        seal.pem -rawin -in digest.bin -sigfile signature.bin
      </p>
    </section>`,
    `/portal/seal?lang=${zh ? 'en' : 'zh'}`,
  );
}
