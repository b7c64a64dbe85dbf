import { describe, expect, it } from 'vitest';
import { applyDefence, DefenceError } from './defence.js';

const range = { minFen: 50_00, maxFen: 500_00 };

describe('statement and defence review', () => {
  it('keeps the proposed fine when the defence is rejected', () => {
    const outcome = applyDefence(300_00, { accepted: false, reasons: ['照片显示当事人正在经营'] }, range);
    expect(outcome).toMatchObject({ fineFen: 300_00, effect: 'kept' });
    expect(outcome.reasons).toContain('照片显示当事人正在经营');
  });

  it('lowers the fine when an accepted defence asks for less', () => {
    const outcome = applyDefence(
      300_00,
      { accepted: true, revisedFineFen: 100_00, reasons: ['当事人系初次经营，已主动清理'] },
      range,
    );
    expect(outcome).toMatchObject({ fineFen: 100_00, effect: 'lowered' });
    expect(outcome.reasons.at(-1)).toBe('罚款由300元调整为100元');
  });

  it('drops the penalty when the accepted defence shows the facts do not stand', () => {
    expect(
      applyDefence(300_00, { accepted: true, revisedFineFen: 0, reasons: ['物品系邻店所有'] }, range),
    ).toMatchObject({
      fineFen: 0,
      effect: 'dropped',
    });
  });

  it('never raises the fine, accepted or not', () => {
    expect(() =>
      applyDefence(300_00, { accepted: true, revisedFineFen: 300_01, reasons: ['x'] }, range),
    ).toThrow(/cannot raise the fine from 30000 to 30001 fen/);
    expect(() =>
      applyDefence(300_00, { accepted: false, revisedFineFen: 400_00, reasons: ['x'] }, range),
    ).toThrow(DefenceError);
  });

  it('needs approval to go below the statutory minimum, and reasons always', () => {
    expect(() =>
      applyDefence(100_00, { accepted: true, revisedFineFen: 20_00, reasons: ['x'] }, range),
    ).toThrow(/below the statutory minimum/);
    expect(
      applyDefence(100_00, { accepted: true, revisedFineFen: 20_00, reasons: ['x'] }, range, true).fineFen,
    ).toBe(20_00);
    expect(() => applyDefence(100_00, { accepted: false, reasons: [] }, range)).toThrow(
      /must give its reasons/,
    );
    expect(() => applyDefence(100_00, { accepted: true, reasons: ['x'] }, range)).toThrow(
      /must state the revised fine/,
    );
  });
});
