import { addDays, compareDates, daysBetween, type LocalDate } from '../law/local-date.js';
import { html, type SafeHtml } from '../web/html.js';

/**
 * The share of low-risk shops over time (pure): the daily counts per district carried forward to each sampled
 * day and summed, and a small line chart drawn as inline SVG on the server (no script, no style attribute).
 */

export interface DailyLevelCounts {
  districtId: string;
  on: LocalDate;
  high: number;
  medium: number;
  low: number;
}

export interface SharePoint {
  on: LocalDate;
  low: number;
  total: number;
  /** low / total in per cent, one decimal; null with no shops */
  percent: number | null;
}

/** One point per `step` days from `from` to `to` (both included, `to` always the last). */
export function lowShareSeries(
  rows: DailyLevelCounts[],
  from: LocalDate,
  to: LocalDate,
  step = 1,
): SharePoint[] {
  const byDistrict = new Map<string, DailyLevelCounts[]>();
  for (const row of [...rows].sort((a, b) => compareDates(a.on, b.on))) {
    const list = byDistrict.get(row.districtId) ?? [];
    list.push(row);
    byDistrict.set(row.districtId, list);
  }
  const days: LocalDate[] = [];
  for (let day = from; compareDates(day, to) < 0; day = addDays(day, step)) days.push(day);
  days.push(to);
  const cursor = new Map<string, number>();
  return days.map((on) => {
    let low = 0;
    let total = 0;
    for (const [district, list] of byDistrict) {
      let i = cursor.get(district) ?? -1;
      while (i + 1 < list.length && compareDates(list[i + 1]!.on, on) <= 0) i += 1;
      cursor.set(district, i);
      const row = list[i];
      if (!row) continue;
      low += row.low;
      total += row.high + row.medium + row.low;
    }
    return { on, low, total, percent: total === 0 ? null : Math.round((low / total) * 1000) / 10 };
  });
}

/** A step that keeps the chart near `maxPoints` points. */
export function sampleStep(from: LocalDate, to: LocalDate, maxPoints = 60): number {
  return Math.max(1, Math.ceil((daysBetween(from, to) + 1) / maxPoints));
}

const W = 600;
const H = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 28 };

/** The line chart; `label` names it for screen readers. Points without shops leave a gap. */
export function lowShareChart(points: SharePoint[], label: string): SafeHtml {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? plotW : (i / (points.length - 1)) * plotW);
  const y = (p: number) => PAD.top + plotH - (p / 100) * plotH;
  const segments: string[] = [];
  let current: string[] = [];
  points.forEach((p, i) => {
    if (p.percent === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
      return;
    }
    current.push(`${x(i).toFixed(1)},${y(p.percent).toFixed(1)}`);
  });
  if (current.length) segments.push(current.join(' '));
  const lastIndex = points.findLastIndex((p) => p.percent !== null);
  const last = lastIndex >= 0 ? points[lastIndex] : undefined;
  const first = points[0];
  const end = points[points.length - 1];
  return html`<svg
    id="low-share-chart"
    viewBox="0 0 ${W} ${H}"
    width="${W}"
    height="${H}"
    role="img"
    aria-label="${label}"
    xmlns="http://www.w3.org/2000/svg"
  >
    ${[0, 50, 100].map(
      (v) =>
        html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#d0d5dd" stroke-width="1" />
          <text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#667085">${v}%</text>`,
    )}
    ${segments.map(
      (s) =>
        html`<polyline points="${s}" fill="none" stroke="#079455" stroke-width="2" data-series="low-share" />`,
    )}
    ${
      lastIndex >= 0 && last
        ? html`<circle cx="${x(lastIndex).toFixed(1)}" cy="${y(last.percent ?? 0).toFixed(1)}" r="3.5" fill="#079455" />
          <text
            x="${Math.min(x(lastIndex), W - PAD.right - 4).toFixed(1)}"
            y="${(y(last.percent ?? 0) - 8).toFixed(1)}"
            text-anchor="end"
            font-size="12"
            fill="#079455"
            data-last-percent="${last.percent}"
          >
            ${last.percent}%
          </text>`
        : ''
    }
    ${first ? html`<text x="${PAD.left}" y="${H - 8}" font-size="11" fill="#667085">${first.on}</text>` : ''}
    ${
      end
        ? html`<text x="${W - PAD.right}" y="${H - 8}" text-anchor="end" font-size="11" fill="#667085">${end.on}</text>`
        : ''
    }
    ${last ? html`<title>${label}: ${last.percent}%</title>` : ''}
  </svg>`;
}
