import { html, type SafeHtml } from '../web/html.js';
import type { StaffI18n } from '../web/i18n/index.js';
import { formatShanghai } from '../web/time-format.js';
import type { Concern, TimelineEntry, WarnFirstRecord } from './warn-first-record.js';

/** The review page's warn-first block and time line, worded in the reader's language. */

const fmt = (d: Date | string | null | undefined) => formatShanghai(d);

/** One warn-first concern in the reader's language. */
function concernText(c: Concern, { t, label, duration }: StaffI18n): string {
  switch (c.kind) {
    case 'no_warning':
      return t('concern.noWarning');
    case 'warned_after_recheck':
      return t('concern.warnedAfterRecheck');
    case 'not_delivered': {
      const how = c.deliveries.length
        ? c.deliveries
            .map(
              (d) =>
                `${label('deliveryChannel', d.channel)}：${label('deliveryStatus', d.status)}${d.lastError ? `（${d.lastError}）` : ''}`,
            )
            .join('；')
        : t('concern.noDelivery');
      return t('concern.notDelivered', { how });
    }
    case 'delivered_late': {
      const values = {
        channel: label('deliveryChannel', c.channel),
        late: duration(c.lateMs),
        grace: duration(c.graceMs),
      };
      return c.timeToCorrectMs <= 0
        ? t('concern.deliveredAfterGrace', values)
        : t('concern.deliveredLate', { ...values, left: duration(c.timeToCorrectMs) });
    }
    case 'recheck_unchecked':
      return c.note ? t('concern.recheckUncheckedNote', { note: c.note }) : t('concern.recheckUnchecked');
    case 'warning_undelivered':
      return c.corrected ? t('concern.warningUndeliveredCorrected') : t('concern.warningUndelivered');
  }
}

/** One time line entry in the reader's language (the record's own wording where it names no step). */
export function timelineText({ what, step }: TimelineEntry, { t, label, duration }: StaffI18n): string {
  if (!step) return what;
  switch (step.kind) {
    case 'first_seen':
      return t('timeline.firstSeen');
    case 'confirmed':
      return t('timeline.confirmed');
    case 'warning_written':
      return step.graceMs === null
        ? t('timeline.warningWritten')
        : t('timeline.warningWrittenGrace', { grace: duration(step.graceMs) });
    case 'warning_sent':
      return t('timeline.warningSent', { channel: label('deliveryChannel', step.channel) });
    case 'warning_delivered':
      return t('timeline.warningDelivered', { channel: label('deliveryChannel', step.channel) });
    case 'recheck':
      return t('timeline.recheck', { outcome: label('recheckOutcome', step.outcome) });
    case 'recheck_undelivered':
      return t('timeline.recheckUndelivered');
  }
}

/** Whether the party had its chance to correct: the doubts first, then the facts they come from. */
export function warnFirstSection(w: WarnFirstRecord, i18n: StaffI18n): SafeHtml {
  const { t, label } = i18n;
  return html`<section id="warn-first">
    <h2>${t('review.warnFirst')}</h2>
    ${
      w.concernSteps.length
        ? html`<div class="notice concerns" role="note" id="warn-first-concerns">
          <strong>${t('review.checkBeforeApproving')}</strong>
          <ul>
            ${w.concernSteps.map((c) => html`<li data-concern="${c.kind}">${concernText(c, i18n)}</li>`)}
          </ul>
        </div>`
        : html`<p class="muted" id="warn-first-concerns">${t('review.warnedInTime')}</p>`
    }
    <table>
      <tr>
        <th>${t('review.grace')}</th>
        <td>${w.graceMs !== null ? i18n.duration(w.graceMs) : '—'}</td>
      </tr>
      <tr>
        <th>${t('review.warningWritten')}</th>
        <td>${w.warningWrittenAt ? fmt(w.warningWrittenAt) : t('common.none')}</td>
      </tr>
      <tr>
        <th>${t('review.reachedParty')}</th>
        <td>${w.firstDelivered ? `${fmt(w.firstDelivered.at)}（${label('deliveryChannel', w.firstDelivered.channel)}）` : t('review.notConfirmed')}</td>
      </tr>
      <tr>
        <th>${t('review.timeToCorrect')}</th>
        <td>
          ${w.timeToCorrectMs === null ? '—' : w.timeToCorrectMs > 0 ? i18n.duration(w.timeToCorrectMs) : t('common.none')}
        </td>
      </tr>
      <tr>
        <th>${t('review.recheck')}</th>
        <td>
          ${
            w.recheck
              ? `${label('recheckOutcome', w.recheck.outcome)} · ${fmt(w.recheck.decidedAt)}`
              : t('review.notYet')
          }
        </td>
      </tr>
    </table>
    ${
      w.deliveries.length
        ? html`<table id="warning-deliveries">
          <thead>
            <tr>
              <th>${t('review.channel')}</th>
              <th>${t('review.status')}</th>
              <th>${t('review.sent')}</th>
              <th>${t('review.delivered')}</th>
            </tr>
          </thead>
          <tbody>
            ${w.deliveries.map(
              (d) =>
                html`<tr>
                  <td data-channel="${d.channel}">${label('deliveryChannel', d.channel)}</td>
                  <td>
                    <span class="status ${d.status === 'delivered' ? 'ok' : d.status === 'failed' ? 'failed' : 'warn'}"
                      data-status="${d.status}"
                      >${label('deliveryStatus', d.status)}</span
                    >
                    ${d.lastError ? html`<div class="muted">${d.lastError}</div>` : ''}
                  </td>
                  <td>${d.sentAt ? fmt(d.sentAt) : '—'}</td>
                  <td>${d.deliveredAt ? fmt(d.deliveredAt) : '—'}</td>
                </tr>`,
            )}
          </tbody>
        </table>`
        : ''
    }
  </section>`;
}
