/**
 * An e-mail address as the mailer will read it: a plain local part and a dotted domain, the rule the JSON API
 * checks with `format: 'email'`. No display name, angle brackets, comma, semicolon, quote or comment: a mailer
 * reads `x<a@b.cn>` as a@b.cn and `a@b.cn, c@d.cn` as two addresses, so such text would send elsewhere.
 */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

export const MAX_EMAIL_LENGTH = 254;

export function isEmailAddress(text: string): boolean {
  return text.length <= MAX_EMAIL_LENGTH && EMAIL.test(text);
}
