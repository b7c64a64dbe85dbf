import { html, type SafeHtml } from '../web/html.js';
import type { PortalLang } from './portal-i18n.js';
import { portalLayout } from './portal-pages.view.js';

/** The public portal pages: how to check the seal, and the page a document's QR code opens. */

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

export interface CaseNumberPageProps {
  lang: PortalLang;
  number: string;
  /** the page's path, for the language switch */
  path: string;
}

/** The same for every well-formed case number: it tells no one whether a case exists. */
export function caseNumberPage({ lang, number, path }: CaseNumberPageProps): SafeHtml {
  const zh = lang === 'zh';
  return portalLayout(
    lang,
    number,
    html`<section class="card">
      <h1>${number}</h1>
      <p>
        ${zh ? '请打开短信、应用推送或电子邮件中收到的链接，输入验证信息后查看本案文书、证据并办理陈述申辩、缴款等事项。' : 'Open the link you received by SMS, app or e-mail and pass the check to see the documents and evidence of this case, make a statement or pay.'}
      </p>
      <p>
        ${zh ? '未收到链接的，请携带文书到执法部门指定处理窗口办理。' : 'Without a link, bring the document to the service window of the bureau.'}
      </p>
      <p><a href="/portal/seal">${zh ? '验证文书的电子印章' : 'Check the seal of a document'}</a></p>
    </section>`,
    `${path}?lang=${zh ? 'en' : 'zh'}`,
  );
}
