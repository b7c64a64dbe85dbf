import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, neutraliseFormula } from './csv.js';

describe('csv', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const bad of ['=1+1', '+86', '-2', '@SUM(A1)', '\tx', '\rx'])
      expect(neutraliseFormula(bad)).toBe(`'${bad}`);
    expect(neutraliseFormula('浦东新区')).toBe('浦东新区');
  });

  it('writes numbers as numbers, even negative ones', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(71.4)).toBe('71.4');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(null)).toBe('');
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvLine(['区', 3, null])).toBe('区,3,\r\n');
  });
});
