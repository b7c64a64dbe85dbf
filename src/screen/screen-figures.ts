import { formatYuan } from '../law/money.js';

/**
 * The command screen's arithmetic, pure: the Beijing day and its comparison window, a figure against yesterday at
 * the same time of day, and the review backlog's age. No I/O; the repository counts, this decides what the counts
 * mean and how they read.
 */

const DAY_MS = 86_400_000;
/** Beijing time is UTC+8 all year (no daylight saving since 1991). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** Today so far and the same stretch of yesterday: [todayStart, now) against [yesterdayStart, yesterdayNow). */
export interface DayWindows {
  todayStart: Date;
  now: Date;
  yesterdayStart: Date;
  yesterdayNow: Date;
}

/** Midnight in Beijing of the day `now` falls on, as an instant. */
export function beijingDayStart(now: Date): Date {
  const local = now.getTime() + BEIJING_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - BEIJING_OFFSET_MS);
}

export function dayWindows(now: Date): DayWindows {
  const todayStart = beijingDayStart(now);
  return {
    todayStart,
    now,
    yesterdayStart: new Date(todayStart.getTime() - DAY_MS),
    yesterdayNow: new Date(now.getTime() - DAY_MS),
  };
}

export type Trend = 'up' | 'down' | 'same';

/** A figure of today against yesterday at the same time. */
export interface Comparison {
  today: number;
  yesterday: number;
  delta: number;
  trend: Trend;
  /** the change as a whole percentage of yesterday's; null when yesterday had none (no base to compare to) */
  percent: number | null;
}

export function compare(today: number, yesterday: number): Comparison {
  const delta = today - yesterday;
  return {
    today,
    yesterday,
    delta,
    trend: delta > 0 ? 'up' : delta < 0 ? 'down' : 'same',
    percent: yesterday > 0 ? Math.round((delta / yesterday) * 100) : null,
  };
}

/** `12,345`: counts grouped by thousands, as on the bureau's reports. */
export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `+12` / `-3` / `±0`, and the percentage when there is a base: `+12 (+8%)`. */
export function formatDelta(c: Comparison, format: (n: number) => string = formatCount): string {
  const sign = c.delta > 0 ? '+' : c.delta < 0 ? '-' : '±';
  const amount = `${sign}${format(Math.abs(c.delta))}`;
  if (c.percent === null) return amount;
  const pct = `${c.percent > 0 ? '+' : c.percent < 0 ? '-' : '±'}${Math.abs(c.percent)}%`;
  return `${amount} (${pct})`;
}

/** Amounts in fen shown in 元 (formatYuan), deltas with their sign. */
export function formatFenDelta(c: Comparison): string {
  return formatDelta(c, (fen) => formatYuan(fen));
}

/**
 * How long the oldest open review task has waited, rounded down to whole minutes (a wall display need not tick
 * seconds); null without a backlog. A task stamped after `now` (clock skew between servers) has waited 0.
 */
export function backlogAgeMs(oldestCreatedAt: Date | null, now: Date): number | null {
  if (oldestCreatedAt === null) return null;
  const ms = Math.max(0, now.getTime() - oldestCreatedAt.getTime());
  return Math.floor(ms / 60_000) * 60_000;
}

/** The backlog's age band, which colours its figure: within a working hour, within a day, older. */
export function backlogLevel(ageMs: number | null): 'ok' | 'warn' | 'late' {
  if (ageMs === null || ageMs < 3_600_000) return 'ok';
  return ageMs < DAY_MS ? 'warn' : 'late';
}
