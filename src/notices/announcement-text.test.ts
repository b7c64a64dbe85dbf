import { describe, expect, it } from 'vitest';
import { announcementBody } from './announcement-text.js';

describe('the wording of a service announcement', () => {
  const essentials = {
    caseNumber: '沪浦城管非现〔2026〕第000007号',
    documentKind: 'advance_notice',
    issuedOn: '2026-03-02',
    violationType: 'street_stall',
    seenOn: '2026-02-27',
    place: '浦东新区世纪大道',
    fineFen: 20_000,
  };
  const names = { documentTitle: '行政处罚事先告知书', violationName: '无序设摊' };

  it('names the document, the facts, the regulation and the sixty days, with the amount in 元 and capitals', () => {
    const text = announcementBody('李某某', essentials, names);
    expect(text).toContain(
      '李某某：本机关于2026年3月2日作出行政处罚事先告知书（沪浦城管非现〔2026〕第000007号）',
    );
    expect(text).toContain('拟处罚款200元（贰佰元整）');
    expect(text).toContain('《上海市城市管理行政执法条例》第二十五条');
    expect(text).toContain('自发出公告之日起，经过六十日，即视为送达');
    expect(text).toContain('陈述、申辩和要求听证的期限自视为送达之日起计算');
  });

  it('states a decided fine without "拟" and the periods of a decision', () => {
    const text = announcementBody(
      '王记＊餐',
      { ...essentials, documentKind: 'decision' },
      {
        ...names,
        documentTitle: '行政处罚决定书',
      },
    );
    expect(text).toContain('，处罚款200元');
    expect(text).toContain('缴纳罚款、申请行政复议和提起行政诉讼的期限');
  });
});
