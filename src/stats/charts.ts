import { html, type SafeHtml } from '../web/html.js';

/**
 * Small server-side charts: a bar chart and a line chart with their axes, ticks and titles. A chart is first laid
 * out as plain shapes (rectangles, lines, polylines, text, in a width x height box); the pages draw the shapes as
 * inline SVG and the monthly report's PDF draws the same shapes with pdfkit, so both show the same chart.
 */
export interface ChartSpec {
  kind: 'bar' | 'line';
  title: string;
  xTitle: string;
  yTitle: string;
  labels: string[];
  values: number[];
  width?: number;
  height?: number;
}

export type Shape =
  | { t: 'rect'; x: number; y: number; w: number; h: number; fill: string }
  | { t: 'line'; x1: number; y1: number; x2: number; y2: number; stroke: string; width: number }
  | { t: 'polyline'; points: [number, number][]; stroke: string; width: number }
  | {
      t: 'text';
      x: number;
      y: number;
      text: string;
      size: number;
      anchor: 'start' | 'middle' | 'end';
      fill: string;
      rotate?: number;
    };

export interface ChartLayout {
  width: number;
  height: number;
  shapes: Shape[];
}

const BAR = '#2f6fb0';
const AXIS = '#444444';
const GRID = '#dddddd';
const TEXT = '#222222';

/** A round top for the y axis and its step: 1, 2 or 5 times a power of ten, about five ticks. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const niceStep = Math.max(step, Number.isInteger(max) ? 1 : step);
  return { top: Math.ceil(max / niceStep) * niceStep, step: niceStep };
}

/** Which x labels to write so that at most `room` of them show, evenly spaced, always the first. */
export function labelStride(count: number, room: number): number {
  return count <= room ? 1 : Math.ceil(count / room);
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function chartLayout(spec: ChartSpec): ChartLayout {
  const width = spec.width ?? 640;
  const height = spec.height ?? 280;
  const left = 56;
  const right = 16;
  const top = 32;
  const bottom = 64;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = spec.values.length;
  const { top: yTop, step } = niceScale(Math.max(0, ...spec.values));
  const y = (v: number): number => top + plotH - (v / yTop) * plotH;
  const shapes: Shape[] = [
    { t: 'text', x: width / 2, y: 18, text: spec.title, size: 14, anchor: 'middle', fill: TEXT },
  ];
  for (let v = 0; v <= yTop + step / 2; v += step) {
    shapes.push({ t: 'line', x1: left, y1: y(v), x2: left + plotW, y2: y(v), stroke: GRID, width: 1 });
    shapes.push({
      t: 'text',
      x: left - 6,
      y: y(v) + 4,
      text: formatTick(v),
      size: 10,
      anchor: 'end',
      fill: TEXT,
    });
  }
  shapes.push({ t: 'line', x1: left, y1: top, x2: left, y2: top + plotH, stroke: AXIS, width: 1 });
  shapes.push({
    t: 'line',
    x1: left,
    y1: top + plotH,
    x2: left + plotW,
    y2: top + plotH,
    stroke: AXIS,
    width: 1,
  });
  const slot = n > 0 ? plotW / n : plotW;
  const cx = (i: number): number => left + slot * i + slot / 2;
  if (spec.kind === 'bar') {
    const barW = Math.max(1, slot * 0.7);
    spec.values.forEach((v, i) => {
      const h = top + plotH - y(v);
      shapes.push({ t: 'rect', x: cx(i) - barW / 2, y: y(v), w: barW, h, fill: BAR });
    });
  } else if (n > 0) {
    shapes.push({
      t: 'polyline',
      points: spec.values.map((v, i) => [cx(i), y(v)] as [number, number]),
      stroke: BAR,
      width: 2,
    });
  }
  const stride = labelStride(n, Math.max(1, Math.floor(plotW / 60)));
  spec.labels.forEach((text, i) => {
    if (i % stride !== 0) return;
    shapes.push({ t: 'text', x: cx(i), y: top + plotH + 14, text, size: 10, anchor: 'middle', fill: TEXT });
  });
  shapes.push({
    t: 'text',
    x: left + plotW / 2,
    y: height - 8,
    text: spec.xTitle,
    size: 11,
    anchor: 'middle',
    fill: TEXT,
  });
  shapes.push({
    t: 'text',
    x: 14,
    y: top + plotH / 2,
    text: spec.yTitle,
    size: 11,
    anchor: 'middle',
    fill: TEXT,
    rotate: -90,
  });
  return { width, height, shapes };
}

const r = (n: number): string => (Math.round(n * 10) / 10).toString();

function shapeSvg(s: Shape): SafeHtml {
  switch (s.t) {
    case 'rect':
      return html`<rect x="${r(s.x)}" y="${r(s.y)}" width="${r(s.w)}" height="${r(s.h)}" fill="${s.fill}" />`;
    case 'line':
      return html`<line x1="${r(s.x1)}" y1="${r(s.y1)}" x2="${r(s.x2)}" y2="${r(s.y2)}" stroke="${s.stroke}" stroke-width="${s.width}" />`;
    case 'polyline':
      return html`<polyline points="${s.points.map(([x, y]) => `${r(x)},${r(y)}`).join(' ')}" fill="none" stroke="${s.stroke}" stroke-width="${s.width}" />`;
    case 'text':
      return html`<text x="${r(s.x)}" y="${r(s.y)}" font-size="${s.size}" text-anchor="${s.anchor}" fill="${s.fill}"${
        s.rotate ? html` transform="rotate(${s.rotate} ${r(s.x)} ${r(s.y)})"` : ''
      }>${s.text}</text>`;
  }
}

/** The chart as inline SVG (every text escaped), with its title as the accessible name. */
export function chartSvg(spec: ChartSpec): SafeHtml {
  const layout = chartLayout(spec);
  return html`<svg class="stats-chart" role="img" aria-label="${spec.title}" viewBox="0 0 ${layout.width} ${layout.height}" width="${layout.width}" height="${layout.height}" xmlns="http://www.w3.org/2000/svg">
    ${layout.shapes.map(shapeSvg)}
  </svg>`;
}
