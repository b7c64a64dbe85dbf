import { formatShanghai } from '../time-format.js';
import { htmlLang, type StaffLang } from './lang.js';
import { label, type CodeOf, type LabelGroup } from './labels.js';
import { translator, type Translate } from './translate.js';

export { DEFAULT_STAFF_LANG, STAFF_LANGS, htmlLang, isStaffLang, type StaffLang } from './lang.js';
export { LABELS, label, type CodeOf, type LabelGroup } from './labels.js';
export type { MessageKey } from './messages.zh.js';
export { t, translator, type Translate } from './translate.js';

/** What a staff view needs to speak: the language, its messages, its labels of codes, and Beijing time. */
export interface StaffI18n {
  lang: StaffLang;
  htmlLang: 'zh-CN' | 'en';
  t: Translate;
  label: <G extends LabelGroup>(group: G, code: CodeOf<G> | string | null | undefined) => string;
  time: (value: Date | string | null | undefined, withSeconds?: boolean) => string;
}

export function staffI18n(lang: StaffLang): StaffI18n {
  return {
    lang,
    htmlLang: htmlLang(lang),
    t: translator(lang),
    label: (group, code) => label(lang, group, code),
    time: (value, withSeconds) => formatShanghai(value, withSeconds),
  };
}

/** The translator of a member of staff's pages: their chosen language, Chinese by default. */
export function i18nFor(staff: { lang?: StaffLang } | null | undefined): StaffI18n {
  return staffI18n(staff?.lang ?? 'zh');
}
