import { describe, expect, it } from 'vitest';
import { chineseCount, receiptPeriodPhrase } from './period-wording.js';

describe('periods counted from receipt', () => {
  it('writes counts as the law does', () => {
    expect([1, 5, 10, 15, 20, 60, 99].map(chineseCount)).toEqual([
      '一',
      '五',
      '十',
      '十五',
      '二十',
      '六十',
      '九十九',
    ]);
    expect(() => chineseCount(0)).toThrow(RangeError);
  });

  it('states the rule and the earliest last day when the receipt is not known', () => {
    expect(receiptPeriodPhrase({ workingDays: 5, dueOn: '2026-03-09' })).toBe(
      '自收到本告知书之日起五个工作日内（本告知书作出当日收到的，即2026年3月9日前）',
    );
  });

  it('states the binding last day with the day of receipt when it is known', () => {
    expect(receiptPeriodPhrase({ workingDays: 5, dueOn: '2026-03-13', receivedOn: '2026-03-06' })).toBe(
      '于2026年3月13日前（自2026年3月6日收到本告知书之日起五个工作日内）',
    );
  });
});
