import type { StaffLang } from './lang.js';
import { en } from './messages.en.js';
import { zh, type MessageKey, type ZhMessages } from './messages.zh.js';

/** The `{name}` placeholders of a message, read from its Chinese text's literal type. */
type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | ParamNames<Rest>
  : never;

/** `t()`'s third argument: required, with exactly the message's placeholders, when it has any. */
export type MessageArgs<K extends MessageKey> = [ParamNames<ZhMessages[K]>] extends [never]
  ? []
  : [params: Record<ParamNames<ZhMessages[K]>, string | number>];

export const MESSAGES: Readonly<Record<StaffLang, Readonly<Record<MessageKey, string>>>> = { zh, en };

function fill(template: string, values: Record<string, string | number> | undefined): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
}

/** One message in one language, its placeholders filled. */
export function t<K extends MessageKey>(lang: StaffLang, key: K, ...args: MessageArgs<K>): string {
  return fill(MESSAGES[lang][key], args[0]);
}

/** A translator bound to a page's language: `tr('nav.cases')`. */
export type Translate = <K extends MessageKey>(key: K, ...args: MessageArgs<K>) => string;

export function translator(lang: StaffLang): Translate {
  return (key, ...args) => t(lang, key, ...args);
}

/** The keys whose messages take no parameters (for tables of keys chosen at run time). */
export type PlainMessageKey = { [K in MessageKey]: MessageArgs<K> extends [] ? K : never }[MessageKey];
