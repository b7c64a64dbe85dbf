import type { FastifyReply } from 'fastify';
import type { StaffPrincipal } from '../auth/principal.js';
import { html, jsonForScript, type SafeHtml } from './html.js';
import { i18nFor, type StaffI18n, type StaffLang } from './i18n/index.js';

export interface PageOptions {
  title: string;
  staff?: StaffPrincipal | null;
  csrfToken?: string;
  /** module scripts under /static/js/ */
  scripts?: string[];
  /** the page's language; a staff page without one is in its reader's language (Chinese by default) */
  lang?: StaffLang | 'zh-CN';
}

function staffNav(staff: StaffPrincipal, i18n: StaffI18n): SafeHtml {
  const { t } = i18n;
  const links: [string, string, string][] = [];
  if (staff.role === 'admin' || staff.role === 'district_staff')
    links.push(['/staff/cameras', 'nav-cameras', t('nav.cameras')]);
  if (staff.role === 'evidence_reviewer' || staff.role === 'legal_reviewer' || staff.role === 'admin')
    links.push(['/review', 'nav-review', t('nav.review')]);
  links.push(['/staff/cases', 'nav-cases', t('nav.cases')]);
  if (staff.role !== 'agency_head') links.push(['/staff/parties', 'nav-parties', t('nav.parties')]);
  if (staff.role === 'admin' || staff.role === 'district_staff' || staff.role === 'agency_head')
    links.push(['/staff/complaints', 'nav-complaints', t('nav.complaints')]);
  links.push(['/devices', 'nav-devices', t('nav.devices')]);
  if (staff.role === 'admin') links.push(['/admin/queues', 'nav-queues', t('nav.queues')]);
  if (staff.role === 'admin') links.push(['/staff/users', 'nav-users', t('nav.users')]);
  const other = i18n.lang === 'zh' ? 'en' : 'zh';
  return html`<nav class="top">
    <strong>${t('app.name')}</strong>
    ${links.map(([href, id, text]) => html`<a href="${href}" id="${id}">${text}</a>`)}
    <span class="who" id="who"
      >${staff.displayName} · ${i18n.label('role', staff.role)}${
        staff.districtName ? ` · ${staff.districtName}` : ''
      }</span
    >
    <button type="button" id="lang-switch" class="secondary" data-lang="${other}" title="${t('nav.languageTitle')}">
      ${t('nav.language')}
    </button>
    <button type="button" id="logout">${t('nav.signOut')}</button>
  </nav>`;
}

/** The words of the sign-in dialog that common.js opens when the session has expired, in the reader's language. */
function reauthTexts({ t }: StaffI18n): SafeHtml {
  return html`<script type="application/json" id="reauth-text">
    ${jsonForScript({
      title: t('reauth.title'),
      intro: t('reauth.intro'),
      username: t('reauth.username'),
      password: t('reauth.password'),
      submit: t('reauth.submit'),
      cancel: t('common.cancel'),
      wrongPassword: t('reauth.wrongPassword'),
    })}
  </script>`;
}

export function page(opts: PageOptions, body: SafeHtml): SafeHtml {
  const i18n = i18nFor(opts.staff);
  const lang = opts.lang === undefined ? i18n.htmlLang : opts.lang === 'en' ? 'en' : 'zh-CN';
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${opts.csrfToken ? html`<meta name="csrf-token" content="${opts.csrfToken}" />` : ''}
        <title>${opts.title}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        ${opts.staff ? staffNav(opts.staff, i18n) : ''}
        <main>${body}</main>
        ${opts.staff ? reauthTexts(i18n) : ''}
        <script type="module" src="/static/js/common.js"></script>
        ${(opts.scripts ?? []).map((s) => html`<script type="module" src="/static/js/${s}"></script>`)}
      </body>
    </html>`;
}

/** Pages allow only their own scripts, styles and images: a stored string can never run as script. */
export function sendPage(reply: FastifyReply, content: SafeHtml, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    .header('cache-control', 'no-store')
    .send(content.value);
}
