import { html, type SafeHtml } from '../web/html.js';
import { PORTAL_TEXT, type PortalLang } from './portal-i18n.js';
import { portalPage } from './portal-pages.view.js';
import type { VerifyRefusal } from './portal-session.service.js';

/**
 * The page the QR code and the short case link on every document open: the case number and the second factor.
 * It looks the same for every case number, known or not, so it tells no one whether a case exists.
 */

export interface CaseLookupProps {
  lang: PortalLang;
  /** the page's path, for the language switch */
  path: string;
  /** the case number to show in the field (from the QR code or as typed) */
  caseNumber: string;
  /** why the form is shown again; the same words for an unknown number and a wrong factor */
  refusal?: VerifyRefusal;
}

export function caseLookupPage({ lang, path, caseNumber, refusal }: CaseLookupProps): SafeHtml {
  const t = PORTAL_TEXT[lang];
  const error =
    refusal === 'rate_limited' ? t.rateLimited : refusal === 'verify_failed' ? t.lookupFailed : '';
  return portalPage(
    lang,
    path,
    html`<section class="card portal-verify" id="case-lookup">
      <h1>${t.lookupHeading}</h1>
      <p>${t.lookupIntro}</p>
      ${error ? html`<p class="error" id="lookup-error" role="alert">${error}</p>` : ''}
      <form method="post" action="/portal/cases">
        <label for="case-number">${t.caseNumberLabel}</label>
        <input
          id="case-number"
          name="caseNumber"
          value="${caseNumber}"
          placeholder="${t.caseNumberHint}"
          autocomplete="off"
          maxlength="40"
          required
        />
        <label for="factor">${t.factorLabel}</label>
        <input id="factor" name="factor" autocomplete="off" inputmode="text" maxlength="32" required />
        <p><button type="submit" id="lookup-button">${t.lookupButton}</button></p>
      </form>
      <p class="muted">${t.lookupWindow}</p>
      <p><a href="/portal/seal">${t.checkSeal}</a></p>
    </section>`,
  );
}
