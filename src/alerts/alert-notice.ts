import { staffI18n, type StaffI18n, type StaffLang } from '../web/i18n/index.js';
import type { AlertRow } from './alert.repo.js';

/**
 * The words of an alert for people: the subject as staff read it (the camera's name, the district's review
 * queue), and the notice sent when it opens or is resolved. Pure; the catalogue gives the words.
 */

export type NoticePhase = 'opened' | 'resolved';

export function subjectText(
  i18n: StaffI18n,
  a: Pick<AlertRow, 'subject' | 'cameraName' | 'kind'>,
  districtName?: string | null,
): string {
  const rule = /^camera:[^:]+:rule:(.+)$/.exec(a.subject)?.[1];
  if (a.subject.startsWith('camera:')) {
    const name = a.cameraName ?? a.subject.slice('camera:'.length);
    return rule
      ? i18n.t('alerts.subject.cameraRule', { name, rule: i18n.label('rule', rule) })
      : i18n.t('alerts.subject.camera', { name });
  }
  if (a.subject.startsWith('queue:'))
    return i18n.t('alerts.subject.queue', { name: a.subject.slice('queue:'.length) });
  const district = /^district:([^:]+):backlog$/.exec(a.subject)?.[1];
  if (district) return i18n.t('alerts.subject.backlog', { district: districtName ?? district });
  if (a.subject === 'detector') return i18n.t('alerts.subject.detector');
  return a.subject;
}

export interface NoticeText {
  subject: string;
  text: string;
}

export function noticeText(
  lang: StaffLang,
  phase: NoticePhase,
  a: AlertRow & { districtName?: string | null },
  link: string,
): NoticeText {
  const i18n = staffI18n(lang);
  const kind = i18n.label('alertKind', a.kind);
  const subject = subjectText(i18n, a, a.districtName);
  if (phase === 'opened')
    return {
      subject: i18n.t('alerts.notice.subjectOpened', { kind }),
      text: i18n.t('alerts.notice.opened', {
        kind,
        subject,
        at: i18n.time(a.openedAt, false),
        severity: i18n.label('alertSeverity', a.severity),
        link,
      }),
    };
  return {
    subject: i18n.t('alerts.notice.subjectResolved', { kind }),
    text: i18n.t('alerts.notice.resolved', { kind, subject, at: i18n.time(a.resolvedAt, false), link }),
  };
}
