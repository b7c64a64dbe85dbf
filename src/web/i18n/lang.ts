/** The staff side's languages: Chinese is the default, English a per-user switch. */
export const STAFF_LANGS = ['zh', 'en'] as const;
export type StaffLang = (typeof STAFF_LANGS)[number];

export const DEFAULT_STAFF_LANG: StaffLang = 'zh';

export function isStaffLang(value: unknown): value is StaffLang {
  return value === 'zh' || value === 'en';
}

/** The `lang` attribute of a page in this language. */
export function htmlLang(lang: StaffLang): 'zh-CN' | 'en' {
  return lang === 'zh' ? 'zh-CN' : 'en';
}
