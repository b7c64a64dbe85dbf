import type { FastifyReply } from 'fastify';
import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from './html.js';

export interface PageOptions {
  title: string;
  staff?: StaffPrincipal | null;
  csrfToken?: string;
  /** module scripts under /static/js/ */
  scripts?: string[];
  lang?: 'zh-CN' | 'en';
}

const ROLE_NAMES: Record<string, string> = {
  admin: 'Administrator',
  district_staff: 'District staff',
  evidence_reviewer: 'Evidence reviewer',
  legal_reviewer: 'Legal reviewer',
  agency_head: '负责人 · Agency head',
};

function staffNav(staff: StaffPrincipal): SafeHtml {
  const links: [string, string][] = [];
  if (staff.role === 'admin' || staff.role === 'district_staff') links.push(['/staff/cameras', 'Cameras']);
  if (staff.role === 'evidence_reviewer' || staff.role === 'legal_reviewer' || staff.role === 'admin')
    links.push(['/review', 'Review']);
  links.push(['/staff/cases', 'Cases']);
  links.push(['/devices', 'Public device list']);
  if (staff.role === 'admin') links.push(['/admin/queues', 'Queues']);
  if (staff.role === 'admin') links.push(['/staff/users', '用户管理']);
  return html`<nav class="top">
    <strong>城管非现场执法</strong>
    ${links.map(([href, label]) => html`<a href="${href}">${label}</a>`)}
    <span class="who"
      >${staff.displayName} ·
      ${ROLE_NAMES[staff.role] ?? staff.role}${staff.districtId ? ` · ${staff.districtId}` : ''}</span
    >
    <button type="button" id="logout">Sign out</button>
  </nav>`;
}

export function page(opts: PageOptions, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="${opts.lang ?? 'en'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        ${opts.csrfToken ? html`<meta name="csrf-token" content="${opts.csrfToken}" />` : ''}
        <title>${opts.title}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        ${opts.staff ? staffNav(opts.staff) : ''}
        <main>${body}</main>
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
