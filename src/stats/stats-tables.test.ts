import { describe, expect, it } from 'vitest';
import { staffI18n } from '../web/i18n/index.js';
import type { PipelineFigures } from './stats-figures.js';
import { exportCell, formatCell } from './stats-cells.js';
import { reviewTable, tabOfTable, volumeTable } from './stats-tables.js';

const zh = staffI18n('zh');

function figures(by: PipelineFigures['by'], framesApply: boolean): PipelineFigures {
  return {
    by,
    framesApply,
    candidatesApply: framesApply,
    rows: [{ key: 'street_stall', name: null }],
    violations: new Map([
      [
        'street_stall',
        {
          key: 'street_stall',
          violations: 4,
          warned: 0,
          corrected: 0,
          pending_review: 1,
          approved: 2,
          rejected: 1,
        },
      ],
    ]),
    reviews: new Map([
      ['street_stall', { key: 'street_stall', reviewed: 3, approved: 2, rejected: 1, more_evidence: 0 }],
    ]),
    frames: new Map(),
    candidates: new Map(),
    daily: [],
  };
}

describe('statistics tables', () => {
  it('formats cells for the page and for the exports', () => {
    expect(formatCell('rate', 1 / 3)).toBe('33.3 %');
    expect(formatCell('yuan', 20_300)).toBe('203元');
    expect(formatCell('days', 2.55)).toBe('2.5');
    expect(formatCell('int', null)).toBe('—');
    expect(exportCell('rate', 1 / 3)).toBe(33.3);
    expect(exportCell('yuan', 20_300)).toBe(203);
    expect(exportCell('days', 2.56)).toBe(2.6);
    expect(exportCell('text', '甲')).toBe('甲');
  });

  it('labels a breakdown by rule in Chinese and leaves out the frame columns that do not apply', () => {
    const volume = volumeTable(figures('rule', false), zh);
    expect(volume.columns[0]!.heading).toBe('规则');
    expect(volume.rows).toEqual([['无序设摊规则', null, null, null, null, 4, 1, 2, 1]]);
    const review = reviewTable(figures('rule', false), zh);
    expect(review.rows[0]![5]).toBeCloseTo(1 / 3, 9);
  });

  it('knows which tab holds each table', () => {
    expect(tabOfTable('durations')).toBe('cases');
    expect(tabOfTable('warnFirst')).toBe('pipeline');
    expect(tabOfTable('summary')).toBe('overview');
  });
});
