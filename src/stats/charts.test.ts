import { describe, expect, it } from 'vitest';
import { chartLayout, chartSvg, labelStride, niceScale } from './charts.js';

describe('charts', () => {
  it('picks round axis tops', () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(93)).toEqual({ top: 100, step: 20 });
    expect(niceScale(1234)).toEqual({ top: 1500, step: 500 });
    expect(niceScale(3)).toEqual({ top: 3, step: 1 });
  });

  it('thins x labels to the room there is', () => {
    expect(labelStride(10, 10)).toBe(1);
    expect(labelStride(366, 10)).toBe(37);
  });

  it('lays out one bar per value, its height in proportion', () => {
    const layout = chartLayout({
      kind: 'bar',
      title: '违法数',
      xTitle: '类型',
      yTitle: '件',
      labels: ['甲', '乙'],
      values: [10, 5],
      width: 400,
      height: 200,
    });
    const bars = layout.shapes.filter((s) => s.t === 'rect');
    expect(bars).toHaveLength(2);
    const [a, b] = bars as { h: number }[];
    expect(a!.h).toBeCloseTo(b!.h * 2, 5);
    const texts = layout.shapes.filter((s) => s.t === 'text').map((s) => (s as { text: string }).text);
    expect(texts).toEqual(expect.arrayContaining(['违法数', '类型', '件', '甲', '乙', '0', '10']));
  });

  it('draws a line chart as one polyline and escapes its texts in SVG', () => {
    const svg = chartSvg({
      kind: 'line',
      title: '<script>',
      xTitle: '日期',
      yTitle: '件',
      labels: ['1', '2', '3'],
      values: [1, 3, 2],
    }).value;
    expect(svg.match(/<polyline/g)).toHaveLength(1);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('日期');
  });

  it('draws an empty chart without failing', () => {
    expect(
      chartLayout({ kind: 'bar', title: 't', xTitle: 'x', yTitle: 'y', labels: [], values: [] }).shapes
        .length,
    ).toBeGreaterThan(0);
  });
});
