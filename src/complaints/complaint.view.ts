import type { StaffPrincipal } from '../auth/principal.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import {
  mayViewReporter,
  OUTCOME_ROLES,
  type ComplaintFlag,
  type ComplaintStatus,
} from './complaint-rules.js';
import type { ReplyFlag } from './complaint-reply.js';
import type { ComplaintDetail, ComplaintView } from './complaint.service.js';

/** The staff pages of complaints: the list with its deadline flags and the form, and one complaint. */

function statusText({ t }: StaffI18n, status: ComplaintStatus): string {
  const texts = {
    open: t('complaints.status.open'),
    substantiated: t('complaints.status.substantiated'),
    not_substantiated: t('complaints.status.not_substantiated'),
    transferred: t('complaints.status.transferred'),
  };
  return texts[status];
}

function flagText({ t }: StaffI18n, f: ComplaintFlag): string {
  const days = f.workingDaysLeft;
  if (f.key === 'reply')
    return f.level === 'overdue'
      ? t('complaints.flag.reply.overdue')
      : t('complaints.flag.reply.due_soon', { days });
  return f.level === 'overdue'
    ? t('complaints.flag.transfer.overdue')
    : t('complaints.flag.transfer.due_soon', { days });
}

/** The reply's state, from the sender of replies: sent, or flagged when its day is near or past. */
export type ReplyStates = Map<
  string,
  { flag: ReplyFlag; dueOn: string; attempts: number; lastError: string | null }
>;

function replyCell(
  { t }: StaffI18n,
  r: ReplyStates extends Map<string, infer V> ? V | undefined : never,
): SafeHtml {
  if (!r) return html``;
  const text =
    r.flag === 'sent'
      ? t('complaints.reply.sent')
      : r.flag === 'overdue'
        ? t('complaints.reply.overdue', { date: r.dueOn })
        : r.flag === 'due_soon'
          ? t('complaints.reply.dueSoon', { date: r.dueOn })
          : t('complaints.reply.pending');
  const cls = r.flag === 'sent' ? 'ok' : r.flag === 'pending' ? '' : r.flag === 'overdue' ? 'bad' : 'warn';
  return html`<span class="status ${cls}" data-reply="${r.flag}">${text}</span>${
    r.lastError && r.flag !== 'sent'
      ? html` <span class="muted" data-reply-error="true"
          >${t('complaints.reply.failed', { attempts: r.attempts, error: r.lastError })}</span
        >`
      : ''
  }`;
}

function flagsCell(i18n: StaffI18n, flags: ComplaintFlag[]): SafeHtml {
  return html`${flags.map(
    (f) =>
      html`<span class="status ${f.level === 'overdue' ? 'bad' : 'warn'}" data-flag="${f.key}" data-level="${f.level}"
        >${flagText(i18n, f)}</span
      > `,
  )}`;
}

export function complaintListView(
  complaints: ComplaintView[],
  staff: StaffPrincipal,
  csrfToken: string,
  replies: ReplyStates = new Map(),
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('complaints.title'), staff },
    html`<h1>${t('complaints.title')}</h1>
      <p class="muted">${t('complaints.intro')}</p>
      <table id="complaints">
        <thead>
          <tr>
            <th>${t('complaints.number')}</th>
            <th>${t('complaints.receivedOn')}</th>
            <th>${t('complaints.place')}</th>
            <th>${t('complaints.status')}</th>
            <th>${t('complaints.replyDue')}</th>
            <th>${t('complaints.flags')}</th>
            <th>${t('complaints.group')}</th>
          </tr>
        </thead>
        <tbody>
          ${complaints.length === 0 ? html`<tr><td colspan="7" class="muted">${t('complaints.none')}</td></tr>` : ''}
          ${complaints.map(
            (c) =>
              html`<tr data-id="${c.id}" data-status="${c.status}">
                <td>
                  <a href="/staff/complaints/${c.id}"
                    >${c.hotlineNumber ?? (c.source === 'staff' ? t('complaints.source.staff') : '')}</a
                  >
                </td>
                <td>${c.receivedOn}</td>
                <td>${c.place.text}</td>
                <td>${statusText(i18n, c.status)}</td>
                <td class="reply-due">${c.deadlines.replyDueOn}</td>
                <td class="flags">${flagsCell(i18n, c.flags)}${replyCell(i18n, replies.get(c.id))}</td>
                <td class="group" data-size="${c.group.size}">
                  ${
                    c.group.size > 1
                      ? html`<a href="/staff/complaints?group=${c.group.id}">${t('complaints.groupSize', { n: c.group.size })}</a>`
                      : ''
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${OUTCOME_ROLES.includes(staff.role) || staff.role === 'admin' ? newComplaintForm(i18n, staff, csrfToken) : ''}`,
  );
}

function newComplaintForm(i18n: StaffI18n, staff: StaffPrincipal, csrfToken: string): SafeHtml {
  const { t } = i18n;
  return html`<section class="card" id="new-complaint">
    <h2>${t('complaints.new')}</h2>
    <p class="muted">${t('complaints.newIntro')}</p>
    <form method="post" action="/staff/complaints" id="new-complaint-form">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      ${
        staff.role === 'admin'
          ? html`<label for="nc-district">${t('complaints.district')}</label
            ><input id="nc-district" name="districtId" required maxlength="32" />`
          : ''
      }
      <label for="nc-place">${t('complaints.place')}</label
      ><input id="nc-place" name="place" required maxlength="500" />
      <div class="grid2">
        <div>
          <label for="nc-lat">${t('complaints.latitude')}</label
          ><input id="nc-lat" name="latitude" inputmode="decimal" maxlength="20" />
        </div>
        <div>
          <label for="nc-lon">${t('complaints.longitude')}</label
          ><input id="nc-lon" name="longitude" inputmode="decimal" maxlength="20" />
        </div>
      </div>
      <label for="nc-content">${t('complaints.content')}</label
      ><textarea id="nc-content" name="content" required maxlength="4000"></textarea>
      <div class="grid2">
        <div>
          <label for="nc-name">${t('complaints.reporterName')}</label
          ><input id="nc-name" name="reporterName" maxlength="100" autocomplete="off" />
        </div>
        <div>
          <label for="nc-phone">${t('complaints.reporterPhone')}</label
          ><input id="nc-phone" name="reporterPhone" inputmode="tel" maxlength="21" autocomplete="off" />
        </div>
      </div>
      <p><button type="submit" id="new-complaint-submit">${t('complaints.submit')}</button></p>
    </form>
  </section>`;
}

export function complaintDetailView(
  c: ComplaintDetail,
  staff: StaffPrincipal,
  csrfToken: string,
  replies: ReplyStates = new Map(),
  spotChecks: SafeHtml | '' = '',
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const matchText = {
    coordinates: t('complaints.match.coordinates'),
    address: t('complaints.match.address'),
    none: t('complaints.match.none'),
  }[c.match.method];
  const hasReporter = c.reporter.name !== null || c.reporter.phone !== null;
  return page(
    { title: t('complaints.detail'), staff },
    html`<h1>${t('complaints.detail')} ${c.hotlineNumber ?? ''}</h1>
      <p><a href="/staff/complaints">${t('common.back')}</a></p>
      <section class="card" id="complaint" data-id="${c.id}">
        <p>
          <span id="complaint-status" data-status="${c.status}" class="status">${statusText(i18n, c.status)}</span>
          ${flagsCell(i18n, c.flags)} <span id="reply-state">${replyCell(i18n, replies.get(c.id))}</span>
        </p>
        <dl>
          <dt>${t('complaints.source')}</dt>
          <dd>${c.source === 'hotline' ? t('complaints.source.hotline') : t('complaints.source.staff')}</dd>
          <dt>${t('complaints.receivedOn')}</dt>
          <dd id="received-on">${c.receivedOn}</dd>
          <dt>${t('complaints.replyDue')}</dt>
          <dd id="reply-due">${c.deadlines.replyDueOn}</dd>
          <dt>${t('complaints.transferDue')}</dt>
          <dd id="transfer-due">${c.deadlines.transferDueOn}</dd>
          <dt>${t('complaints.basis')}</dt>
          <dd>${c.deadlines.basis}</dd>
          <dt>${t('complaints.place')}</dt>
          <dd id="place">${c.place.text}</dd>
          <dt>${t('complaints.match')}</dt>
          <dd id="match" data-method="${c.match.method}">
            ${matchText}${
              c.match.camera
                ? html` · ${t('complaints.camera')}：<a href="/staff/cameras/${c.match.camera.id}">${c.match.camera.name}</a>`
                : ''
            }${c.match.zone ? html` · ${t('complaints.zone')}：${c.match.zone.name}` : ''}${
              c.match.shop
                ? html` · ${t('complaints.shop')}：<span id="match-shop">${c.match.shop.name}</span>`
                : ''
            }
          </dd>
          <dt>${t('complaints.group')}</dt>
          <dd id="group" data-size="${c.group.size}">
            ${
              c.group.size > 1
                ? html`<a href="/staff/complaints?group=${c.group.id}">${t('complaints.groupSize', { n: c.group.size })}</a>`
                : '1'
            }
          </dd>
          <dt>${t('complaints.content')}</dt>
          <dd id="content">${c.content}</dd>
          <dt>${t('complaints.reporter')}</dt>
          <dd id="reporter" data-shown="${c.reporter.shown ? 'true' : 'false'}">
            ${
              hasReporter
                ? html`<span id="reporter-name">${c.reporter.name ?? ''}</span>
                  <span id="reporter-phone">${c.reporter.phone ?? ''}</span>
                  <span class="muted"
                    >${c.reporter.shown ? t('complaints.reporterShown') : t('complaints.reporterMasked')}</span
                  >
                  ${
                    !c.reporter.shown && mayViewReporter(staff.role)
                      ? html`<a id="show-reporter" href="/staff/complaints/${c.id}?showReporter=true"
                        >${t('complaints.showReporter')}</a
                      >`
                      : ''
                  }`
                : t('complaints.reporterNone')
            }
          </dd>
        </dl>
      </section>
      ${c.status === 'open' ? (OUTCOME_ROLES.includes(staff.role) ? outcomeForm(i18n, c, csrfToken) : '') : outcomeCard(i18n, c)}
      ${spotChecks}`,
  );
}

function outcomeForm({ t }: StaffI18n, c: ComplaintDetail, csrfToken: string): SafeHtml {
  return html`<section class="card" id="outcome">
    <h2>${t('complaints.outcome')}</h2>
    <form method="post" action="/staff/complaints/${c.id}/outcome" id="outcome-form">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <label for="oc-outcome">${t('complaints.outcome')}</label>
      <select id="oc-outcome" name="outcome" required>
        <option value="substantiated">${t('complaints.status.substantiated')}</option>
        <option value="not_substantiated">${t('complaints.status.not_substantiated')}</option>
        <option value="transferred">${t('complaints.status.transferred')}</option>
      </select>
      <label for="oc-note">${t('complaints.outcomeNote')}</label
      ><textarea id="oc-note" name="note" required maxlength="2000"></textarea>
      <label for="oc-department">${t('complaints.department')}</label
      ><input id="oc-department" name="department" maxlength="200" />
      <p><button type="submit" id="outcome-submit">${t('complaints.recordOutcome')}</button></p>
    </form>
  </section>`;
}

function outcomeCard(i18n: StaffI18n, c: ComplaintDetail): SafeHtml {
  const { t } = i18n;
  return html`<section class="card" id="outcome">
    <h2>${t('complaints.outcome')}</h2>
    <p id="outcome-status" data-status="${c.status}">
      ${statusText(i18n, c.status)}${c.outcome.department ? html` → <span id="outcome-department">${c.outcome.department}</span>` : ''}
    </p>
    <p id="outcome-note">${c.outcome.note ?? ''}</p>
    <p>
      ${t('complaints.decidedOn')}：${c.outcome.on ?? ''}
      <span class="status ${c.outcome.inTime ? 'ok' : 'bad'}" id="outcome-in-time"
        >${c.outcome.inTime ? t('complaints.inTime') : t('complaints.late')}</span
      >
    </p>
    ${
      c.reply
        ? html`<p id="reply" data-recipient="${c.reply.recipient}" data-sent="${c.reply.sent ? 'true' : 'false'}">
          ${
            c.reply.recipient === 'hotline'
              ? t('complaints.reply.hotline', { due: c.reply.dueOn })
              : t('complaints.reply.reporter', { due: c.reply.dueOn })
          }
          · ${c.reply.sent ? t('complaints.replySent') : t('complaints.replyPending')}
        </p>`
        : ''
    }
  </section>`;
}
