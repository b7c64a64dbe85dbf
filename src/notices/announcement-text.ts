import { formatChineseDate } from '../law/local-date.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';
import type { AnnouncementEssentials } from './announcement.repo.js';

/**
 * The wording of a service announcement, a legal text in Chinese like the documents themselves
 * (src/documents/document-content.ts): who, which document, the facts in brief, why it is announced (art. 25),
 * when it counts as served and that the periods run from then.
 */
export function announcementBody(
  partyMasked: string,
  e: AnnouncementEssentials,
  names: { documentTitle: string; violationName: string },
): string {
  const fine =
    e.fineFen !== null && e.fineFen > 0
      ? `，${e.documentKind === 'advance_notice' ? '拟' : ''}处罚款${formatYuan(e.fineFen)}（${chineseCapitalAmount(e.fineFen)}）`
      : '';
  const periods =
    e.documentKind === 'advance_notice'
      ? '陈述、申辩和要求听证的期限自视为送达之日起计算。'
      : e.documentKind === 'decision'
        ? '缴纳罚款、申请行政复议和提起行政诉讼的期限自视为送达之日起计算。'
        : '相关期限自视为送达之日起计算。';
  const issued = e.issuedOn ? `于${formatChineseDate(e.issuedOn)}` : '';
  return (
    `${partyMasked}：本机关${issued}作出${names.documentTitle}（${e.caseNumber}）。` +
    `${formatChineseDate(e.seenOn)}，在${e.place || '本辖区'}发现${names.violationName}违法行为${fine}。` +
    '因采用直接送达、邮寄送达等方式无法送达，依据《上海市城市管理行政执法条例》第二十五条的规定，现予公告送达。' +
    `自发出公告之日起，经过六十日，即视为送达；${periods}` +
    '当事人可凭案号通过门户“案件查询”（/portal/cases）查阅文书并陈述、申辩或缴纳罚款，也可到本机关指定窗口领取。'
  );
}
