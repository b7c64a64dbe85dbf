import { formatShanghai } from '../time-format.js';
import { htmlLang, type StaffLang } from './lang.js';
import { label, type CodeOf, type LabelGroup } from './labels.js';
import { translator, type Translate } from './translate.js';

export { DEFAULT_STAFF_LANG, STAFF_LANGS, htmlLang, isStaffLang, type StaffLang } from './lang.js';
export { LABELS, label, type CodeOf, type LabelGroup } from './labels.js';
export type { MessageKey } from './messages.zh.js';
export { t, translator, type PlainMessageKey, type Translate } from './translate.js';

/** What a staff view needs to speak: the language, its messages, its labels of codes, and Beijing time. */
export interface StaffI18n {
  lang: StaffLang;
  htmlLang: 'zh-CN' | 'en';
  t: Translate;
  label: <G extends LabelGroup>(group: G, code: CodeOf<G> | string | null | undefined) => string;
  time: (value: Date | string | null | undefined, withSeconds?: boolean) => string;
  /** a length of time in hours, minutes and seconds */
  duration: (ms: number) => string;
}

function duration(t: Translate, lang: StaffLang, ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = [
    h ? t('duration.hours', { n: h }) : '',
    m ? t('duration.minutes', { n: m }) : '',
    sec || (!h && !m) ? t('duration.seconds', { n: sec }) : '',
  ];
  return parts.filter(Boolean).join(lang === 'zh' ? '' : ' ');
}

export function staffI18n(lang: StaffLang): StaffI18n {
  const t = translator(lang);
  return {
    lang,
    htmlLang: htmlLang(lang),
    t,
    duration: (ms) => duration(t, lang, ms),
    label: (group, code) => label(lang, group, code),
    time: (value, withSeconds) => formatShanghai(value, withSeconds),
  };
}

/** The translator of a member of staff's pages: their chosen language, Chinese by default. */
export function i18nFor(staff: { lang?: StaffLang } | null | undefined): StaffI18n {
  return staffI18n(staff?.lang ?? 'zh');
}
