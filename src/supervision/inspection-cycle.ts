import type { WorkingCalendar } from '../law/calendar.js';
import { addDays, compareDates, daysBetween, type LocalDate } from '../law/local-date.js';
import { levelRank, type Cycle, type DistrictRiskRules, type RiskLevel } from './risk-rules.js';

/**
 * Inspection cycles and the due list (pure). A cycle counts from the last check (or from the day the level was
 * set, before the first): working days of the project's calendar for a cycle given in working days; a cycle in
 * days or months that ends on a day off ends on the next working day.
 */

export function addMonths(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The day a cycle that starts on `start` ends: the check is due by then. */
export function cycleEnd(start: LocalDate, cycle: Cycle, calendar: WorkingCalendar): LocalDate {
  if ('workingDays' in cycle) return calendar.addWorkingDays(start, cycle.workingDays);
  const end = 'days' in cycle ? addDays(start, cycle.days) : addMonths(start, cycle.months);
  return calendar.onOrNextWorkingDay(end);
}

/** When the next inspection of a shop at `level` is due, the cycle running from `from`. */
export function nextDueOn(
  level: RiskLevel,
  from: LocalDate,
  rules: DistrictRiskRules,
  calendar: WorkingCalendar,
): LocalDate {
  return cycleEnd(from, rules.cycles[level], calendar);
}

/** Whole cycles of `level` between `since` and `today` (at most `cap`). */
export function wholeCycles(
  level: RiskLevel,
  since: LocalDate,
  today: LocalDate,
  rules: DistrictRiskRules,
  calendar: WorkingCalendar,
  cap = 12,
): number {
  let n = 0;
  let start = since;
  while (n < cap) {
    const end = cycleEnd(start, rules.cycles[level], calendar);
    if (compareDates(end, today) > 0) break;
    n += 1;
    start = end;
  }
  return n;
}

export type DueState = 'overdue' | 'due_today' | 'due_soon' | 'later';

/** Where a due date stands today: overdue after its day, due on it, soon within `soonDays`. */
export function dueState(dueOn: LocalDate, today: LocalDate, soonDays = 2): DueState {
  const left = daysBetween(today, dueOn);
  if (left < 0) return 'overdue';
  if (left === 0) return 'due_today';
  return left <= soonDays ? 'due_soon' : 'later';
}

export interface DueEntry {
  dueOn: LocalDate;
  level: RiskLevel;
  /** a camera's non-site check covers the current cycle */
  cameraChecked: boolean;
  name: string;
}

/**
 * The order of the due list: what a patrol must visit first. Shops not covered by a camera's non-site check come
 * before covered ones; then the earliest due date (the longest overdue); then the higher level; then the name.
 */
export function compareUrgency(a: DueEntry, b: DueEntry): number {
  if (a.cameraChecked !== b.cameraChecked) return a.cameraChecked ? 1 : -1;
  const byDue = compareDates(a.dueOn, b.dueOn);
  if (byDue !== 0) return byDue;
  const byLevel = levelRank(b.level) - levelRank(a.level);
  if (byLevel !== 0) return byLevel;
  return a.name.localeCompare(b.name, 'zh-CN');
}
