import { BY_CODE, EXACT, PATTERNS, THINGS } from './error-messages.zh.js';

/**
 * An error message in the reader's language. The services and the schemas speak English (the API's language for
 * programs, which read the stable code); a staff member reading Chinese gets the Chinese words of the message:
 * word for word where it is listed, by pattern where it carries figures, and otherwise by the kind of error with
 * the English words after it. A message that already has Chinese in it is left as it is.
 */
export function messageFor(message: string, code: string, lang: 'zh' | 'en'): string {
  if (lang === 'en') return message;
  const exact = EXACT[message];
  if (exact) return exact;
  const notFound = /^(.+) not found$/.exec(message);
  if (notFound) {
    const thing = THINGS[notFound[1]!];
    if (thing) return `${thing}不存在`;
  }
  for (const [pattern, zh] of PATTERNS) if (pattern.test(message)) return message.replace(pattern, zh);
  const schema = schemaMessage(message);
  if (schema) return schema;
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  const kind = BY_CODE[code];
  return kind ? `${kind}（${message}）` : message;
}

/** The schema validator's words ("body/name must NOT have more than 200 characters", several joined by ", "). */
const SCHEMA: readonly (readonly [RegExp, (field: string, ...rest: string[]) => string])[] = [
  [/^(\S*) ?must NOT have more than (\d+) characters$/, (f, n) => `${f}不能超过 ${n} 个字`],
  [/^(\S*) ?must NOT have fewer than (\d+) characters$/, (f, n) => `${f}至少 ${n} 个字`],
  [/^(\S*) ?must NOT have more than (\d+) items$/, (f, n) => `${f}最多 ${n} 项`],
  [/^(\S*) ?must NOT have fewer than (\d+) items$/, (f, n) => `${f}至少 ${n} 项`],
  [/^(\S*) ?must have required property '([^']+)'$/, (f, p) => `缺少必填项 ${join(f, p)}`],
  [/^(\S*) ?must match format "([^"]+)"$/, (f) => `${f}格式不正确`],
  [/^(\S*) ?must match pattern ".*"$/, (f) => `${f}格式不正确`],
  [/^(\S*) ?must be (integer|number|string|boolean|object|array|null)$/, (f) => `${f}类型不正确`],
  [/^(\S*) ?must be >= (\S+)$/, (f, n) => `${f}不能小于 ${n}`],
  [/^(\S*) ?must be <= (\S+)$/, (f, n) => `${f}不能大于 ${n}`],
  [/^(\S*) ?must be > (\S+)$/, (f, n) => `${f}须大于 ${n}`],
  [/^(\S*) ?must be < (\S+)$/, (f, n) => `${f}须小于 ${n}`],
  [/^(\S*) ?must be equal to one of the allowed values$/, (f) => `${f}不是允许的取值`],
  [/^(\S*) ?must be equal to constant$/, (f) => `${f}不是允许的取值`],
  [/^(\S*) ?must NOT have additional properties$/, (f) => `${f}含有不允许的字段`],
  [/^(\S*) ?must match a schema in anyOf$/, (f) => `${f}不符合要求`],
];

function schemaMessage(message: string): string | null {
  const parts = message.split(', ');
  const said = parts.map((part) => {
    for (const [pattern, say] of SCHEMA) {
      const m = pattern.exec(part);
      if (m) return say(fieldName(m[1] ?? ''), ...m.slice(2).map((s) => s ?? ''));
    }
    return null;
  });
  if (said.some((s) => s === null)) return null;
  return `输入不符合要求：${said.join('；')}`;
}

/** "body/place/text" → "place.text "; the request part (body, params, querystring, headers) is left out. */
function fieldName(path: string): string {
  const field = path
    .replace(/^(body|params|querystring|headers)\/?/, '')
    .split('/')
    .filter(Boolean)
    .join('.');
  return field ? `${field} ` : '';
}

function join(field: string, property: string): string {
  return field ? `${field.trim()}.${property}` : property;
}
