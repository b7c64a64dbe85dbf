import { formatYuan } from '../law/money.js';
import { formatDays, formatRate } from './stats-period.js';

/**
 * The cells of the statistics tables (stats-tables.ts): text or numbers, and how a number column reads (a count,
 * a share, days, 元), written for the page and for the exports.
 */
export type ColumnKind = 'text' | 'int' | 'rate' | 'days' | 'yuan';
export type Cell = string | number | null;

/** A cell as the page shows it. */
export function formatCell(kind: ColumnKind, value: Cell): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'rate':
      return formatRate(value);
    case 'days':
      return formatDays(value * 86_400);
    case 'yuan':
      return formatYuan(value);
    default:
      return String(value);
  }
}

/** A cell as an export writes it: counts as numbers, shares as percentages, days and 元 with their decimals. */
export function exportCell(kind: ColumnKind, value: Cell): string | number | null {
  if (value === null || typeof value === 'string') return value;
  switch (kind) {
    case 'rate':
      return Math.round(value * 1000) / 10;
    case 'days':
      return Math.round(value * 10) / 10;
    case 'yuan':
      return value / 100;
    default:
      return value;
  }
}
