/**
 * Money is integer fen everywhere (100 fen = 1 yuan) so that no amount is ever a float; these helpers only
 * write amounts for people.
 */

export function assertFen(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`${what} must be a whole, non-negative number of fen, got ${amount}`);
  }
}

/** `50000` -> `500元`, `5050` -> `50.50元`. */
export function formatYuan(fen: number): string {
  assertFen(fen, 'amount');
  const yuan = Math.floor(fen / 100);
  const cents = fen % 100;
  const grouped = yuan.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return cents === 0 ? `${grouped}元` : `${grouped}.${cents.toString().padStart(2, '0')}元`;
}

const CAPITAL_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];

// One group of four digits, e.g. 1005 -> 壹仟零伍; a zero run inside the group becomes a single 零.
function capitalGroup(group: number): string {
  let out = '';
  let zeroPending = false;
  for (let position = 3; position >= 0; position -= 1) {
    const digit = Math.floor(group / 10 ** position) % 10;
    if (digit === 0) {
      if (out !== '') zeroPending = true;
      continue;
    }
    if (zeroPending) out += '零';
    out += CAPITAL_DIGITS[digit]! + SMALL_UNITS[position]!;
    zeroPending = false;
  }
  return out;
}

/**
 * The amount in capital numerals as written on Chinese financial documents: 50000 fen -> 伍佰元整,
 * 1234567 fen -> 壹万贰仟叁佰肆拾伍元陆角柒分. Amounts up to 9,999,999,999,999.99 yuan.
 */
export function chineseCapitalAmount(fen: number): string {
  assertFen(fen, 'amount');
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  if (yuan >= 10 ** 16) throw new RangeError(`amount ${fen} fen is too large to write in capitals`);
  const groups = [
    yuan % 10_000,
    Math.floor(yuan / 10_000) % 10_000,
    Math.floor(yuan / 100_000_000) % 10_000,
    Math.floor(yuan / 10 ** 12),
  ];
  const groupUnits = ['', '万', '亿', '万亿'];
  let integerPart = '';
  let zeroPending = false;
  for (let index = groups.length - 1; index >= 0; index -= 1) {
    const group = groups[index]!;
    if (group === 0) {
      if (integerPart !== '') zeroPending = true;
      continue;
    }
    // A group below 1000 after a higher group needs a 零 in front: 10,005 -> 壹万零伍.
    if (zeroPending || (integerPart !== '' && group < 1000)) integerPart += '零';
    integerPart += capitalGroup(group) + groupUnits[index]!;
    zeroPending = false;
  }
  let out = integerPart === '' ? '' : `${integerPart}元`;
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) out += `${CAPITAL_DIGITS[jiao]}角`;
  else if (integerPart !== '') out += '零';
  if (fenDigit > 0) out += `${CAPITAL_DIGITS[fenDigit]}分`;
  else out += '整';
  return out;
}

export class AmountError extends Error {
  override name = 'AmountError';
}

/**
 * An amount typed in 元 by a person (`30`, `30.5`, `1,200.00`, `30元`) as integer fen. More than two decimals,
 * a sign, or anything but digits is refused rather than rounded: a fine is never guessed.
 */
export function parseYuan(text: string): number {
  const cleaned = text.trim().replace(/元$/, '').replace(/,/g, '').trim();
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) {
    if (/^\d+\.\d{3,}$/.test(cleaned))
      throw new AmountError(`金额“${text}”超过两位小数（元以下只到角、分）/ more than two decimals`);
    throw new AmountError(`金额“${text}”不是以元为单位的数额 / not an amount in yuan`);
  }
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
