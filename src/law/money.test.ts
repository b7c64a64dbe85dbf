import { describe, expect, it } from 'vitest';
import { AmountError, chineseCapitalAmount, formatYuan, parseYuan } from './money.js';
import { chineseNumeral, formatCitation } from './legal-citation.js';

describe('money for people', () => {
  it('writes yuan with cents only when there are any', () => {
    expect(formatYuan(50000)).toBe('500元');
    expect(formatYuan(5050)).toBe('50.50元');
    expect(formatYuan(5_000_000)).toBe('50,000元');
    expect(() => formatYuan(1.5)).toThrow(/whole, non-negative number of fen/);
  });

  it('writes amounts in capital numerals', () => {
    expect(chineseCapitalAmount(50000)).toBe('伍佰元整');
    expect(chineseCapitalAmount(5_000_000)).toBe('伍万元整');
    expect(chineseCapitalAmount(1_000_500)).toBe('壹万零伍元整');
    expect(chineseCapitalAmount(1234567)).toBe('壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(chineseCapitalAmount(10_000_000_000)).toBe('壹亿元整');
    expect(chineseCapitalAmount(10_010_000_000)).toBe('壹亿零壹拾万元整');
    expect(chineseCapitalAmount(10005)).toBe('壹佰元零伍分');
    expect(chineseCapitalAmount(0)).toBe('零元整');
  });
});

describe('citations', () => {
  it('writes article numbers in Chinese numerals', () => {
    expect([5, 10, 15, 20, 25, 44, 90, 100, 105, 110].map(chineseNumeral)).toEqual([
      '五',
      '十',
      '十五',
      '二十',
      '二十五',
      '四十四',
      '九十',
      '一百',
      '一百零五',
      '一百一十',
    ]);
  });

  it('formats article, paragraph and item', () => {
    expect(
      formatCitation({
        law: '上海市市容环境卫生管理条例',
        article: 28,
        paragraph: 1,
        item: 4,
        excerpts: ['x'],
      }),
    ).toBe('《上海市市容环境卫生管理条例》第二十八条第一款第（四）项');
  });
});

describe('amounts typed in 元', () => {
  it('reads yuan with at most 角 and 分, never fen by mistake', () => {
    expect(parseYuan('30')).toBe(3000);
    expect(parseYuan('30.5')).toBe(3050);
    expect(parseYuan('0.30')).toBe(30);
    expect(parseYuan(' 1,200.00元 ')).toBe(120000);
  });

  it('refuses more than two decimals, signs and words', () => {
    expect(() => parseYuan('30.505')).toThrow(/两位小数/);
    for (const bad of ['', '-30', '30元5角', 'abc', '1e3', '.5'])
      expect(() => parseYuan(bad), bad).toThrow(AmountError);
  });
});
