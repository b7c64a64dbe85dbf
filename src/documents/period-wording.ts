import { formatChineseDate, type LocalDate } from '../law/local-date.js';

/*
 * How a document states a period that runs from its receipt (APL art. 44-45, 64; Pudong art. 11). When the day
 * the party received the document is known (a re-issue after a confirmed delivery, a postal receipt, an
 * announcement that took effect), the binding last day is printed with the day of receipt. When it is not (the
 * document is issued before it is sent), the rule is printed, "自收到本告知书之日起X个工作日内", with the earliest
 * last day ("本告知书作出当日收到的，即…前"), never a date that would be earlier than the real one.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** A count of days in Chinese numerals, as the law writes it (五, 十, 十五, 六十): 1 to 99. */
export function chineseCount(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`a count of 1 to 99, got ${n}`);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

export interface ReceiptPeriod {
  /** working days from receipt */
  workingDays: number;
  /** the last day: binding when `receivedOn` is given, else the earliest (as if received on the day of issue) */
  dueOn: LocalDate;
  /** the day the party received the document, when known */
  receivedOn?: LocalDate | null;
}

/** "…于2026年3月9日前（自2026年3月2日收到本告知书之日起五个工作日内）" or the rule with its earliest day. */
export function receiptPeriodPhrase(period: ReceiptPeriod, document = '本告知书'): string {
  const days = `${chineseCount(period.workingDays)}个工作日内`;
  if (period.receivedOn)
    return `于${formatChineseDate(period.dueOn)}前（自${formatChineseDate(period.receivedOn)}收到${document}之日起${days}）`;
  return `自收到${document}之日起${days}（${document}作出当日收到的，即${formatChineseDate(period.dueOn)}前）`;
}
