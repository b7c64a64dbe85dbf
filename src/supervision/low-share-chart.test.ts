import { describe, expect, it } from 'vitest';
import { lowShareChart, lowShareSeries, sampleStep } from './low-share-chart.js';

describe('share of low-risk shops over time', () => {
  const rows = [
    { districtId: 'a', on: '2026-03-01', high: 1, medium: 2, low: 1 },
    { districtId: 'a', on: '2026-03-03', high: 0, medium: 2, low: 2 },
    { districtId: 'b', on: '2026-03-02', high: 0, medium: 0, low: 4 },
  ];

  it('carries each district forward to the day and sums', () => {
    const s = lowShareSeries(rows, '2026-02-28', '2026-03-04');
    expect(s.map((p) => [p.on, p.low, p.total, p.percent])).toEqual([
      ['2026-02-28', 0, 0, null],
      ['2026-03-01', 1, 4, 25],
      ['2026-03-02', 5, 8, 62.5],
      ['2026-03-03', 6, 8, 75],
      ['2026-03-04', 6, 8, 75],
    ]);
  });

  it('marks a single day with a dot, so that a new district shows its share at once', () => {
    const svg = lowShareChart(lowShareSeries(rows.slice(2), '2026-02-01', '2026-03-02'), 'x').value;
    expect(svg).toContain('<circle');
    expect(svg).toContain('data-last-percent="100"');
  });

  it('samples with a step and always ends on the last day', () => {
    const s = lowShareSeries(rows, '2026-03-01', '2026-03-04', 2);
    expect(s.map((p) => p.on)).toEqual(['2026-03-01', '2026-03-03', '2026-03-04']);
    expect(sampleStep('2026-01-01', '2026-12-31', 60)).toBe(7);
  });

  it('draws an SVG line with a gap where there were no shops, escaping the label', () => {
    const svg = lowShareChart(lowShareSeries(rows, '2026-02-28', '2026-03-04'), '低风险<占比>').value;
    expect(svg).toContain('<svg');
    expect(svg).toContain('data-series="low-share"');
    expect(svg).toContain('低风险&lt;占比&gt;: 75%');
    expect(svg).toContain('data-last-percent="75"');
    expect(svg).not.toContain('style=');
  });
});
