import type { StaffPrincipal } from '../auth/principal.js';
import { formatChineseDate } from '../law/local-date.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { AnnouncementRow } from './announcement.repo.js';
import { announcementBody } from './announcement-text.js';
import type { CaseDeliveryNotice } from './announcement.service.js';

/** The public announcements page (Chinese, as the notice board) and the staff page of a case's deliveries. */

export function publicAnnouncementsView(rows: AnnouncementRow[], staff: StaffPrincipal | null): SafeHtml {
  const { t, label } = i18nFor(null);
  return page(
    { title: t('announce.publicTitle'), staff, lang: 'zh-CN' },
    html`<h1>${t('announce.publicTitle')}</h1>
      <p>${t('announce.publicIntro')}</p>
      ${
        rows.length === 0
          ? html`<p class="muted" id="no-announcements">${t('announce.none')}</p>`
          : html`<ul class="plain" id="announcements">
            ${rows.map((a) => {
              const e = a.essentials;
              return html`<li data-announcement="${a.id}" data-case-number="${e.caseNumber}">
                <div>
                  <h2>${label('documentKind', e.documentKind)}送达公告</h2>
                  <p class="announcement-body">
                    ${announcementBody(a.party_masked, e, {
                      documentTitle: label('documentKind', e.documentKind),
                      violationName: label('violationType', e.violationType),
                    })}
                  </p>
                  <p class="muted">
                    ${t('announce.caseNumber')}：${e.caseNumber} · ${t('announce.party')}：${a.party_masked} ·
                    ${t('announce.publishedOn')}：<span class="published-on">${formatChineseDate(a.published_on)}</span> ·
                    ${t('announce.effectiveOn')}：<span class="effective-on">${formatChineseDate(a.effective_on)}</span>
                  </p>
                </div>
              </li>`;
            })}
          </ul>`
      }`,
  );
}

export function caseDeliveryView(
  data: { caseId: string; caseNumber: string; notices: CaseDeliveryNotice[] },
  { staff, csrfToken }: { staff: StaffPrincipal; csrfToken: string },
): SafeHtml {
  const { t, label, time } = i18nFor(staff);
  return page(
    { title: t('announce.title'), staff, csrfToken },
    html`<p><a href="/staff/cases/${data.caseId}">${data.caseNumber}</a></p>
      <h1>${t('announce.title')}</h1>
      <p class="muted">${t('announce.intro')}</p>
      ${data.notices.map(
        ({
          notice,
          deliveries,
          announcement,
          refusal,
        }) => html`<section class="card" data-notice="${notice.id}" data-kind="${notice.kind}">
          <h2>${label('documentKind', notice.kind)}</h2>
          <h3>${t('announce.deliveries')}</h3>
          ${
            deliveries.length === 0
              ? html`<p class="muted">${t('announce.noDeliveries')}</p>`
              : html`<ul class="plain">
                ${deliveries.map(
                  (d) =>
                    html`<li data-channel="${d.channel}" data-status="${d.status}">
                      ${label('deliveryChannel', d.channel)} · ${label('deliveryStatus', d.status)}
                      ${d.delivered_at ? ` · ${time(d.delivered_at)}` : ''}
                      ${d.last_error ? html`<span class="muted"> · ${d.last_error}</span>` : ''}
                    </li>`,
                )}
              </ul>`
          }
          ${
            announcement
              ? html`<p class="announcement-status" data-served="${announcement.served_at ? 'yes' : 'no'}">
                  ${t('announce.published', {
                    date: formatChineseDate(announcement.published_on),
                    effective: formatChineseDate(announcement.effective_on),
                  })}
                  ${announcement.served_at ? ` · ${t('announce.served')}` : ''}
                </p>`
              : html`<form method="post" action="/staff/cases/${data.caseId}/delivery/postal-returned" class="postal-returned">
                    <input type="hidden" name="_csrf" value="${csrfToken}" />
                    <input type="hidden" name="noticeId" value="${notice.id}" />
                    <label>${t('announce.returnReason')} <input name="reason" maxlength="500" required /></label>
                    <button type="submit" class="secondary">${t('announce.postalReturned')}</button>
                  </form>
                  <form method="post" action="/staff/cases/${data.caseId}/delivery/announcement" class="publish-announcement">
                    <input type="hidden" name="_csrf" value="${csrfToken}" />
                    <input type="hidden" name="noticeId" value="${notice.id}" />
                    ${refusal ? html`<p class="muted">${t('announce.notReady')}</p>` : ''}
                    <button type="submit">${t('announce.publish')}</button>
                  </form>`
          }
        </section>`,
      )}
      <p class="error" id="announcement-error" role="alert"></p>`,
  );
}
