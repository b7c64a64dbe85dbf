import { describe, expect, it } from 'vitest';
import { isEmailAddress } from './email-address.js';

describe('isEmailAddress', () => {
  it('takes plain addresses', () => {
    for (const a of ['wang.wu@pudong.gov.cn', 'a+alerts@x.cn', 'ZHANG_3@Example.COM', "o'brien@x.co.uk"])
      expect(isEmailAddress(a), a).toBe(true);
  });

  it('refuses what a mailer would read as another address, or as several', () => {
    for (const a of [
      'x<evil@example.com>',
      '<script>@x.cn',
      'a@x.cn>',
      '"a b"@x.cn',
      'a;b@x.cn',
      'a(b)@x.cn',
      'a@x.cn,b@y.cn',
      'a@x..cn',
      'a@-x.cn',
      'a..b@x.cn',
      'a@x',
      'a @x.cn',
      '',
      `${'a'.repeat(250)}@x.cn`,
    ])
      expect(isEmailAddress(a), a).toBe(false);
  });
});
