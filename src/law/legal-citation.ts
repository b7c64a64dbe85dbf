import { Type, type Static } from '@sinclair/typebox';

/**
 * A reference to a provision with its words. The words are exact excerpts of the published text so that a
 * document never paraphrases the law; a test holds every excerpt against the legal texts the project keeps.
 */
export const CitationSchema = Type.Object(
  {
    law: Type.String({ minLength: 1, description: 'Full title of the law or regulation, without 《》' }),
    article: Type.Integer({ minimum: 1, description: 'Article number (条)' }),
    paragraph: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Paragraph number within the article (款)' }),
    ),
    item: Type.Optional(Type.Integer({ minimum: 1, description: 'Item number within the paragraph (项)' })),
    excerpts: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'Exact, contiguous excerpts of the provision, in order; rendered joined by an ellipsis',
    }),
  },
  { additionalProperties: false },
);

export type Citation = Static<typeof CitationSchema>;

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Chinese numerals as article numbers are written: 5 -> 五, 25 -> 二十五, 10 -> 十, 105 -> 一百零五. */
export function chineseNumeral(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 9999) {
    throw new RangeError(`chineseNumeral takes a whole number 0..9999, got ${value}`);
  }
  if (value < 10) return DIGITS[value]!;
  if (value < 20) return `十${value % 10 === 0 ? '' : DIGITS[value % 10]}`;
  const units: Array<[number, string]> = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
  ];
  let out = '';
  let rest = value;
  let pendingZero = false;
  for (const [size, name] of units) {
    const digit = Math.floor(rest / size);
    rest %= size;
    if (digit > 0) {
      if (pendingZero) out += '零';
      out += DIGITS[digit] + name;
      pendingZero = false;
    } else if (out !== '') {
      pendingZero = true;
    }
  }
  if (rest > 0) out += (pendingZero ? '零' : '') + DIGITS[rest];
  return out;
}

/** `《上海市市容环境卫生管理条例》第二十八条第一款第（四）项` */
export function formatCitation(citation: Citation): string {
  let out = `《${citation.law}》第${chineseNumeral(citation.article)}条`;
  if (citation.paragraph !== undefined) out += `第${chineseNumeral(citation.paragraph)}款`;
  if (citation.item !== undefined) out += `第（${chineseNumeral(citation.item)}）项`;
  return out;
}

export function citationText(citation: Citation): string {
  return citation.excerpts.join('……');
}
