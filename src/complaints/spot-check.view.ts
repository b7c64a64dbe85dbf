import type { StaffPrincipal } from '../auth/principal.js';
import type { SpotZoneResult } from '../rules/spot-judgement.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { COMPLAINT_ROLES } from './complaint-rules.js';
import type { SpotCheckRow } from './spot-check.repo.js';

/** The spot checks section of a complaint's page: the button to take one, and those taken, newest first. */
export function spotChecksSection(
  complaint: { id: string; cameraName: string | null },
  checks: readonly SpotCheckRow[],
  staff: StaffPrincipal,
  csrfToken: string,
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const mayRequest = COMPLAINT_ROLES.includes(staff.role);
  return html`<section class="card" id="spot-checks">
    <h2>${t('spotCheck.title')}</h2>
    <p class="muted">${t('spotCheck.note')}</p>
    ${
      complaint.cameraName === null
        ? html`<p id="spot-check-no-camera">${t('spotCheck.noCamera')}</p>`
        : mayRequest
          ? html`<form method="post" action="/staff/complaints/${complaint.id}/spot-checks" id="spot-check-form">
              <input type="hidden" name="_csrf" value="${csrfToken}" />
              <button type="submit" id="spot-check-submit">${t('spotCheck.request')}</button>
              <span class="muted">${t('spotCheck.camera', { name: complaint.cameraName })}</span>
            </form>`
          : ''
    }
    ${
      checks.length === 0
        ? html`<p class="muted" id="spot-check-none">${t('spotCheck.none')}</p>`
        : checks.map((c) => checkCard(i18n, complaint.id, c))
    }
  </section>`;
}

function checkCard(i18n: StaffI18n, complaintId: string, c: SpotCheckRow): SafeHtml {
  const { t } = i18n;
  const status = {
    pending: t('spotCheck.status.pending'),
    done: t('spotCheck.status.done'),
    failed: t('spotCheck.status.failed'),
  }[c.status];
  return html`<article class="spot-check" data-id="${c.id}" data-status="${c.status}">
    <p>
      <span class="status">${status}</span> · ${i18n.time(c.requestedAt)} ·
      ${t('spotCheck.by', { name: c.requestedByName ?? '' })} · ${c.cameraName ?? ''}
    </p>
    <div class="evidence-grid">
      <a href="/staff/complaints/${complaintId}/spot-checks/${c.id}/image" target="_blank"
        ><img
          src="/staff/complaints/${complaintId}/spot-checks/${c.id}/image"
          alt="${t('spotCheck.image')}"
          loading="lazy"
      /></a>
    </div>
    <p class="muted">SHA-256 ${c.sha256}</p>
    ${c.status === 'pending' ? html`<p class="spot-check-pending">${t('spotCheck.pendingNote')}</p>` : ''}
    ${c.status === 'failed' ? html`<p class="error spot-check-error">${t('spotCheck.failed', { error: c.error ?? '' })}</p>` : ''}
    ${c.status === 'done' && c.result ? resultList(i18n, c.result.zones) : ''}
  </article>`;
}

function resultList(i18n: StaffI18n, zones: readonly SpotZoneResult[]): SafeHtml {
  const { t, label } = i18n;
  if (zones.length === 0) return html`<p class="spot-check-result">${t('spotCheck.noZones')}</p>`;
  return html`<ul class="spot-check-result">
    ${zones.map((z) => {
      const objects = z.objects.map((o) => `${o.label}（${label('detectionRole', o.role)}）`).join('、');
      const verdict = !z.active
        ? t('spotCheck.zoneInactive')
        : z.flagged
          ? t('spotCheck.zoneFlagged', { n: z.objects.length })
          : t('spotCheck.zoneClear');
      return html`<li data-zone="${z.zoneId}" data-flagged="${z.flagged ? 'true' : 'false'}">
        <strong>${z.zoneName}</strong>（${label('zoneKind', z.kind)}）：${verdict}${objects ? html`：${objects}` : ''}
      </li>`;
    })}
  </ul>`;
}
