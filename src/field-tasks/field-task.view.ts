import type { StaffPrincipal } from '../auth/principal.js';
import { formatChineseDate } from '../law/local-date.js';
import { html, type SafeHtml } from '../web/html.js';
import { i18nFor } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import { FIELD_PHOTO_LIMITS } from './field-task-rules.js';
import type { FieldQueuePage, FieldTaskPage } from './field-task-pages.service.js';

/** The patrol's pages, phone first (390 px): a list of cards, one task per screen, forms one field per line. */

export interface FieldPageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

export function fieldQueueView({ tasks }: FieldQueuePage, { staff, csrfToken }: FieldPageContext): SafeHtml {
  const { t, label, time } = i18nFor(staff);
  return page(
    { title: t('field.title'), staff, csrfToken },
    html`<h1>${t('field.title')}</h1>
      <p class="muted">${t('field.intro')}</p>
      ${
        tasks.length === 0
          ? html`<p class="muted" id="no-field-tasks">${t('field.none')}</p>`
          : html`<ul class="plain" id="field-tasks">
            ${tasks.map(
              (task) =>
                html`<li data-task="${task.id}" data-overdue="${task.overdue ? 'yes' : 'no'}">
                  <div>
                    <a href="/staff/field-tasks/${task.id}"
                      ><strong>${label('violationType', task.violation_type)}</strong></a
                    >
                    · ${label('fieldTaskReason', task.reason)}<br />
                    ${task.phone ? html`<span class="field-phone">${t('voice.phoneMasked')} ${task.phone}</span><br />` : ''}
                    <span>${task.place || t('field.noAddress')}</span><br />
                    <span class="muted">${t('field.seenAt')} ${time(task.first_seen_at)}</span><br />
                    <span class="${task.overdue ? 'error' : ''}"
                      >${t('field.dueOn', { date: formatChineseDate(task.due_on) })}${
                        task.overdue ? ` · ${t('field.overdue')}` : ''
                      }</span
                    >
                  </div>
                </li>`,
            )}
          </ul>`
      }`,
  );
}

export function fieldTaskView(data: FieldTaskPage, { staff, csrfToken }: FieldPageContext): SafeHtml {
  const { t, label, time } = i18nFor(staff);
  const { task, violation, place } = data;
  const open = task.status === 'open';
  return page(
    { title: t('field.taskTitle'), staff, csrfToken },
    html`<p><a href="/staff/field-tasks">${t('field.back')}</a></p>
      <h1>${t('field.taskTitle')}</h1>
      <section class="card" id="field-task" data-status="${task.status}">
        <p><strong>${label('violationType', violation.type)}</strong> · ${label('fieldTaskReason', task.reason)}</p>
        <p id="field-due" class="${data.overdue ? 'error' : ''}">
          ${t('field.dueOn', { date: formatChineseDate(task.due_on) })}${data.overdue ? ` · ${t('field.overdue')}` : ''}
        </p>
        <p class="muted">${t('field.seenAt')} ${time(violation.firstSeenAt)} · ${label('violationStatus', violation.status)}</p>
      </section>
      <section class="card" id="field-place">
        <h2>${t('field.place')}</h2>
        <p>${place.address || t('field.noAddress')} <span class="muted">（${place.camera}）</span></p>
        ${
          place.geo
            ? html`<p>
                <span id="field-coordinates">${place.latitude!.toFixed(6)}, ${place.longitude!.toFixed(6)}</span><br />
                <a class="button" id="field-map-link" href="${place.geo}">${t('field.openMap')}</a>
              </p>`
            : html`<p class="muted" id="field-coordinates">${t('field.noCoordinates')}</p>`
        }
      </section>
      <section class="card" id="field-evidence">
        <h2>${t('field.evidence')}</h2>
        <div class="evidence-grid">
          ${data.evidence.map(
            (e) =>
              html`<figure>
                <a href="/api/evidence/${e.id}" target="_blank" rel="noopener"
                  ><img src="/api/evidence/${e.id}" alt="${label('evidenceKind', e.kind)} ${e.label}" loading="lazy"
                /></a>
                <figcaption class="muted">${label('evidenceKind', e.kind)}</figcaption>
              </figure>`,
          )}
        </div>
      </section>
      ${
        task.reason === 'voice_call'
          ? callCard(data, csrfToken, i18nFor(staff))
          : open
            ? reportForm(data, csrfToken, t, label)
            : doneCard(data, t, label, time)
      }`,
  );
}

type I18n = ReturnType<typeof i18nFor>;

function reportForm(data: FieldTaskPage, csrfToken: string, t: I18n['t'], label: I18n['label']): SafeHtml {
  const { task } = data;
  return html`<section class="card" id="field-report">
    <h2>${t('field.report')}</h2>
    <form method="get" action="/staff/field-tasks/${task.id}" id="field-party-search">
      <label>${t('field.searchParty')} <input type="search" name="q" id="field-q" value="${data.q}" maxlength="100" /></label>
      <button type="submit" class="secondary">${t('field.searchSubmit')}</button>
    </form>
    <form method="post" action="/staff/field-tasks/${task.id}/report" enctype="multipart/form-data" id="field-report-form">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <fieldset>
        <legend>${t('field.outcome')}</legend>
        <label><input type="radio" name="outcome" value="party" id="outcome-party" checked /> ${label('fieldTaskOutcome', 'party')}</label>
        <label><input type="radio" name="outcome" value="corrected" id="outcome-corrected" /> ${label('fieldTaskOutcome', 'corrected')}</label>
      </fieldset>
      <label for="field-party">${t('field.chooseParty')}</label>
      <select name="partyId" id="field-party">
        <option value="">${t('field.noPartyChosen')}</option>
        ${data.candidates.map(
          (p) =>
            html`<option value="${p.id}">${p.name}（${label('partyKind', p.kind)}${p.idNumber ? ` ${p.idNumber}` : ''}${
              p.address ? ` · ${p.address}` : ''
            }）</option>`,
        )}
      </select>
      <details id="field-new-party">
        <summary>${t('field.newParty')}</summary>
        <p class="muted">${t('field.newPartyNote')}</p>
        <label>${t('field.newKind')}
          <select name="newKind" id="new-kind">
            <option value="person">${label('partyKind', 'person')}</option>
            <option value="unit">${label('partyKind', 'unit')}</option>
          </select></label>
        <label>${t('field.newName')} <input name="newName" id="new-name" maxlength="100" /></label>
        <label>${t('field.newIdNumber')} <input name="newIdNumber" id="new-id-number" maxlength="18" autocomplete="off" /></label>
        <label>${t('field.newPhone')} <input name="newPhone" id="new-phone" maxlength="20" inputmode="tel" /></label>
        <label>${t('field.newAddress')} <input name="newAddress" id="new-address" maxlength="200" /></label>
        <label><input type="checkbox" name="confirmSamePlace" value="yes" /> ${t('field.confirmSamePlace')}</label>
      </details>
      <label>${t('field.note')} <textarea name="note" id="field-note" maxlength="${FIELD_PHOTO_LIMITS.maxNoteChars}" rows="3"></textarea></label>
      <label>${t('field.photos', { n: FIELD_PHOTO_LIMITS.maxFiles })}
        <input type="file" name="photos" id="field-photos" accept="image/jpeg,image/png" capture="environment" multiple required
      /></label>
      <p><button type="submit" id="field-report-submit">${t('field.submit')}</button></p>
      <p class="error" id="field-report-error" role="alert"></p>
    </form>
  </section>`;
}

function doneCard(data: FieldTaskPage, t: I18n['t'], label: I18n['label'], time: I18n['time']): SafeHtml {
  const { task } = data;
  return html`<section class="card" id="field-done" data-outcome="${task.outcome ?? ''}">
    <h2>${label('fieldTaskOutcome', task.outcome)}</h2>
    <p class="muted">${time(task.done_at)}</p>
    ${
      data.party
        ? html`<p id="field-party-recorded">${data.party.name}（${label('partyKind', data.party.kind)}${
            data.party.idNumber ? ` ${data.party.idNumber}` : ''
          }）${data.party.phone ? ` · ${data.party.phone}` : ''}</p>`
        : ''
    }
    ${
      data.caseLink
        ? html`<p>${t('field.caseFiled')} <a id="field-case-link" href="/staff/cases/${data.caseLink.id}">${data.caseLink.number}</a></p>`
        : ''
    }
    ${task.note ? html`<p>${task.note}</p>` : ''}
    <ul class="plain" id="field-photos-recorded">
      ${task.photos.map(
        (p) =>
          html`<li><a href="/staff/field-tasks/${task.id}/photos/${p.sha256}" target="_blank" rel="noopener">${p.name}</a>
            <code class="muted">SHA-256 ${p.sha256}</code></li>`,
      )}
    </ul>
  </section>`;
}

/** A voice call task (Pudong art. 15): the number, the words to read out, and the outcome form or the outcome. */
function callCard(data: FieldTaskPage, csrfToken: string, { t, label, time }: I18n): SafeHtml {
  const { task, violation, place } = data;
  const open = task.status === 'open';
  const script = t('voice.scriptText', {
    party: data.party?.name ?? '',
    time: time(violation.firstSeenAt),
    place: place.address || place.camera,
    act: label('violationType', violation.type),
  });
  return html`<section class="card" id="field-call" data-status="${task.status}">
    <h2>${t('voice.title')}</h2>
    <p class="muted">${t('voice.legal')}</p>
    ${
      data.call
        ? html`<p>${t('voice.phone')}
            ${
              data.call.whole
                ? html`<a id="call-phone" href="tel:${data.call.phone}">${data.call.phone}</a>`
                : html`<span id="call-phone">${data.call.phone}</span>`
            }</p>
          ${data.call.whole ? html`<p class="muted">${t('voice.phoneLogged')}</p>` : ''}`
        : html`<p class="muted" id="call-phone">${t('voice.noPhone')}</p>`
    }
    <h3>${t('voice.script')}</h3>
    <blockquote id="call-script">${script}</blockquote>
    ${
      open
        ? html`<form method="post" action="/staff/field-tasks/${task.id}/call" id="field-call-form">
            <input type="hidden" name="_csrf" value="${csrfToken}" />
            <fieldset>
              <legend>${t('voice.outcome')}</legend>
              <label><input type="radio" name="outcome" value="answered" id="call-answered" checked /> ${label('fieldTaskOutcome', 'answered')}</label>
              <label><input type="radio" name="outcome" value="no_answer" id="call-no-answer" /> ${label('fieldTaskOutcome', 'no_answer')}</label>
            </fieldset>
            <label>${t('voice.calledAt')} <input type="datetime-local" name="calledAt" id="call-at" /></label>
            <label>${t('voice.note')} <textarea name="note" id="call-note" maxlength="${FIELD_PHOTO_LIMITS.maxNoteChars}" rows="2"></textarea></label>
            <p><button type="submit" id="field-call-submit">${t('voice.submit')}</button></p>
            <p class="error" id="field-call-error" role="alert"></p>
          </form>`
        : html`<div id="field-done" data-outcome="${task.outcome ?? ''}">
            <p><strong>${label('fieldTaskOutcome', task.outcome)}</strong> · ${time(task.called_at)}</p>
            <p class="muted">${t('voice.calledBy')} ${data.caller ?? ''} · ${time(task.done_at)}</p>
            ${task.note ? html`<p>${task.note}</p>` : ''}
          </div>`
    }
  </section>`;
}
