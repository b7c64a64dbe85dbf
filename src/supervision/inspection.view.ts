import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { DueState } from './inspection-cycle.js';
import type { DueItem, DueListPage, InspectionForm } from './inspection.service.js';
import type { NonSiteCheck } from './non-site-check.js';
import type { RiskLevel } from './risk-rules.js';

/** The patrol's pages, phone first (390 px wide, large touch targets): the due list and the inspection form. */

const LEVEL_CLASS: Record<RiskLevel, string> = { high: 'bad', medium: 'warn', low: 'ok' };

export function levelBadge({ t }: StaffI18n, level: RiskLevel): SafeHtml {
  const text = { high: t('shops.level.high'), medium: t('shops.level.medium'), low: t('shops.level.low') }[
    level
  ];
  return html`<span class="status ${LEVEL_CLASS[level]} risk-${level}" data-level="${level}">${text}</span>`;
}

export function stateText({ t }: StaffI18n, state: DueState, daysOverdue: number): string {
  if (state === 'overdue') return t('inspections.state.overdue', { days: daysOverdue });
  return {
    due_today: t('inspections.state.due_today'),
    due_soon: t('inspections.state.due_soon'),
    later: t('inspections.state.later'),
  }[state];
}

export function outcomeText({ t }: StaffI18n, outcome: 'compliant' | 'problem'): string {
  return outcome === 'compliant' ? t('inspections.outcome.compliant') : t('inspections.outcome.problem');
}

export function nonSiteLine({ t }: StaffI18n, check: NonSiteCheck | null): SafeHtml {
  if (!check) return html``;
  const camera = check.watch.cameraName;
  const text = check.checked
    ? t('inspections.nonSite', { camera })
    : check.reason === 'offline'
      ? t('inspections.nonSite.offline', { camera })
      : check.reason === 'outage'
        ? t('inspections.nonSite.outage', { camera })
        : t('inspections.nonSite.violation', { camera });
  return html`<p class="non-site ${check.checked ? 'ok' : 'muted'}" data-non-site="${check.checked ? 'yes' : 'no'}">
    ${text}
  </p>`;
}

function lastLine(i18n: StaffI18n, item: DueItem): SafeHtml {
  if (!item.lastInspectedAt) return html`<p class="muted">${i18n.t('inspections.never')}</p>`;
  return html`<p class="last-inspection">
    ${i18n.t('inspections.last', { time: i18n.time(item.lastInspectedAt) })} ·
    ${item.lastOutcome ? outcomeText(i18n, item.lastOutcome) : ''}
    ${item.lastNotes ? html`<br /><span class="muted">${item.lastNotes}</span>` : ''}
  </p>`;
}

function dueCard(i18n: StaffI18n, item: DueItem): SafeHtml {
  const stateClass = item.state === 'overdue' ? 'bad' : item.state === 'later' ? 'ok' : 'warn';
  return html`<li
    class="due-card"
    data-shop-id="${item.shopId}"
    data-state="${item.state}"
    data-camera-checked="${item.camera?.checked ? 'yes' : 'no'}"
  >
    <h2>${item.name}</h2>
    <p>
      ${levelBadge(i18n, item.level)}
      <span class="status ${stateClass}" data-due-state="${item.state}"
        >${stateText(i18n, item.state, item.daysOverdue)}</span
      >
      <span class="muted">${i18n.t('inspections.due', { date: item.dueOn })}</span>
    </p>
    <p class="muted">${item.address}</p>
    ${lastLine(i18n, item)} ${nonSiteLine(i18n, item.camera)}
    <a class="button touch" href="/staff/inspections/${item.shopId}/new">${i18n.t('inspections.record')}</a>
  </li>`;
}

export function dueListView(data: DueListPage, staff: StaffPrincipal, recorded: boolean): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('inspections.title'), staff },
    html`<div class="phone-page">
      <h1>${t('inspections.title')}</h1>
      ${recorded ? html`<p class="status ok" id="inspection-recorded">${t('inspections.recorded')}</p>` : ''}
      <p class="muted">${t('inspections.intro')}</p>
      <p><span class="status bad" id="overdue-count" data-n="${data.overdue}">${t('inspections.overdueCount', { n: data.overdue })}</span></p>
      ${data.items.length === 0 ? html`<p class="muted" id="due-none">${t('inspections.none')}</p>` : ''}
      <ul class="due-list" id="due-list">
        ${data.items.map((item) => dueCard(i18n, item))}
      </ul>
    </div>`,
  );
}

export function inspectionFormView(data: InspectionForm, staff: StaffPrincipal, csrfToken: string): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const { shop } = data;
  return page(
    { title: t('inspections.newTitle', { name: shop.name }), staff, csrfToken },
    html`<div class="phone-page">
      <h1>${t('inspections.newTitle', { name: shop.name })}</h1>
      <p>
        ${levelBadge(i18n, shop.level)}
        <span class="muted">${t('inspections.due', { date: shop.dueOn })}</span>
      </p>
      <p class="muted">${shop.address}</p>
      ${lastLine(i18n, shop)} ${nonSiteLine(i18n, shop.camera)}
      <form
        id="inspection-form"
        class="touch-form"
        method="post"
        action="/staff/inspections/${shop.shopId}"
        enctype="multipart/form-data"
      >
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        <fieldset>
          <legend>${t('inspections.outcome')}</legend>
          <label class="touch-choice"
            ><input type="radio" name="outcome" value="compliant" required />
            ${t('inspections.outcome.compliant')}</label
          >
          <label class="touch-choice"
            ><input type="radio" name="outcome" value="problem" required /> ${t('inspections.outcome.problem')}</label
          >
        </fieldset>
        <label for="inspection-notes">${t('inspections.notes')}</label>
        <textarea id="inspection-notes" name="notes" rows="4" maxlength="2000"></textarea>
        <label for="inspection-photos">${t('inspections.photos')}</label>
        <input
          id="inspection-photos"
          type="file"
          name="photos"
          accept="image/jpeg,image/png"
          capture="environment"
          multiple
        />
        <button type="submit" class="touch" id="inspection-submit">${t('inspections.submit')}</button>
      </form>
    </div>`,
  );
}
