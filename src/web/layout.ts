import type { FastifyReply } from 'fastify';
import { STAFF_ROLES, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import { html, jsonForScript, type SafeHtml } from './html.js';
import { i18nFor, type PlainMessageKey, type StaffI18n, type StaffLang } from './i18n/index.js';

export interface PageOptions {
  title: string;
  staff?: StaffPrincipal | null;
  csrfToken?: string;
  /** module scripts under /static/js/ */
  scripts?: string[];
  /** the page's language; a staff page without one is in its reader's language (Chinese by default) */
  lang?: StaffLang | 'zh-CN';
}

type NavKey = PlainMessageKey;

/** The staff navigation: each entry with the roles that see it, in the order shown. */
const NAV: readonly { href: string; id: string; key: NavKey; roles: readonly StaffRole[] }[] = [
  { href: '/staff/cameras', id: 'nav-cameras', key: 'nav.cameras', roles: ['admin', 'district_staff'] },
  {
    href: '/review',
    id: 'nav-review',
    key: 'nav.review',
    roles: ['admin', 'evidence_reviewer', 'legal_reviewer'],
  },
  {
    href: '/staff/cases',
    id: 'nav-cases',
    key: 'nav.cases',
    roles: ['admin', 'district_staff', 'evidence_reviewer', 'legal_reviewer', 'agency_head', 'leader'],
  },
  {
    href: '/staff/field-tasks',
    id: 'nav-field-tasks',
    key: 'nav.fieldTasks',
    roles: ['admin', 'district_staff', 'patrol'],
  },
  {
    href: '/staff/inspections',
    id: 'nav-inspections',
    key: 'nav.inspections',
    roles: ['admin', 'district_staff', 'patrol'],
  },
  {
    href: '/staff/parties',
    id: 'nav-parties',
    key: 'nav.parties',
    roles: ['admin', 'district_staff', 'evidence_reviewer', 'legal_reviewer'],
  },
  {
    href: '/staff/shops',
    id: 'nav-shops',
    key: 'nav.shops',
    roles: ['admin', 'district_staff', 'agency_head', 'leader'],
  },
  {
    href: '/staff/complaints',
    id: 'nav-complaints',
    key: 'nav.complaints',
    roles: ['admin', 'district_staff', 'agency_head'],
  },
  {
    href: '/staff/alerts',
    id: 'nav-alerts',
    key: 'nav.alerts',
    roles: ['admin', 'district_staff', 'agency_head', 'leader'],
  },
  {
    href: '/staff/stats',
    id: 'nav-stats',
    key: 'nav.stats',
    roles: ['admin', 'district_staff', 'agency_head', 'leader'],
  },
  {
    href: '/screen',
    id: 'nav-screen',
    key: 'nav.screen',
    roles: ['admin', 'district_staff', 'agency_head', 'leader'],
  },
  {
    href: '/staff/credit',
    id: 'nav-credit',
    key: 'nav.credit',
    roles: ['admin', 'district_staff', 'legal_reviewer', 'agency_head'],
  },
  {
    href: '/staff/case-review',
    id: 'nav-case-review',
    key: 'nav.caseReview',
    roles: ['admin', 'district_staff', 'legal_reviewer', 'agency_head', 'leader'],
  },
  { href: '/devices', id: 'nav-devices', key: 'nav.devices', roles: STAFF_ROLES },
  { href: '/admin/queues', id: 'nav-queues', key: 'nav.queues', roles: ['admin'] },
  { href: '/staff/users', id: 'nav-users', key: 'nav.users', roles: ['admin'] },
];

/** How many links stay in the top bar on a wide screen; the rest go under "更多" so the bar stays one line. */
const NAV_INLINE = 5;

/**
 * The top bar: one line on a wide screen (the first links inline, the rest under a "more" menu); on a narrow one
 * a menu button opens every link as a list (common.js toggles it), so nothing scrolls sideways.
 */
function staffNav(staff: StaffPrincipal, i18n: StaffI18n): SafeHtml {
  const { t } = i18n;
  const links = NAV.filter((l) => l.roles.includes(staff.role));
  const link = (l: (typeof links)[number]): SafeHtml =>
    html`<a href="${l.href}" id="${l.id}">${t(l.key)}</a>`;
  const inline = links.slice(0, NAV_INLINE);
  const more = links.slice(NAV_INLINE);
  const other = i18n.lang === 'zh' ? 'en' : 'zh';
  return html`<nav class="top">
    <strong>${t('app.name')}</strong>
    <button type="button" id="nav-toggle" class="secondary" aria-expanded="false" aria-controls="nav-links">
      ${t('nav.menu')}
    </button>
    <div class="nav-links" id="nav-links">
      ${inline.map(link)}
      ${
        more.length
          ? html`<details class="nav-more">
            <summary>${t('nav.more')}</summary>
            <div class="nav-more-list">${more.map(link)}</div>
          </details>`
          : ''
      }
    </div>
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
