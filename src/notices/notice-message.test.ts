import { describe, expect, it } from 'vitest';
import { composeNoticeMessage } from './notice-message.js';

const base = {
  agencyName: '上海市浦东新区城市管理行政执法局',
  violationName: '无序设摊',
  partyKind: 'person' as const,
};

describe('composeNoticeMessage', () => {
  it('names the document, the case number, the link and the phone as second factor', () => {
    const message = composeNoticeMessage({
      ...base,
      kind: 'advance_notice',
      caseNumber: '沪浦城管非现〔2026〕第000007号',
      link: 'https://portal.example/n/abc',
      hasPhone: true,
    });
    expect(message.subject).toBe('行政处罚事先告知书（沪浦城管非现〔2026〕第000007号）');
    expect(message.text).toContain('https://portal.example/n/abc');
    expect(message.text).toContain('手机号码后4位');
    expect(message.text).toContain('陈述申辩');
  });

  it('offers the credit code to a unit without a phone, and the service window when there is no link', () => {
    const message = composeNoticeMessage({
      ...base,
      kind: 'decision',
      partyKind: 'unit',
      hasPhone: false,
      link: 'https://p/n/x',
    });
    expect(message.text).toContain('统一社会信用代码后6位');
    const noLink = composeNoticeMessage({ ...base, kind: 'warning', hasPhone: true });
    expect(noLink.text).toContain('指定处理窗口');
    expect(noLink.text).not.toContain('http');
  });
});
