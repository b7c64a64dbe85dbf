import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkingCalendar } from '../law/calendar.js';
import { loadWorkingCalendar } from '../law/law-config.adapter.js';
import {
  addMonths,
  compareUrgency,
  dueState,
  nextDueOn,
  wholeCycles,
  type DueEntry,
} from './inspection-cycle.js';
import { RISK_RULES_DIR } from './risk-rules-config.adapter.js';
import { parseRiskRules, rulesForDistrict } from './risk-rules.js';

let calendar: WorkingCalendar;
beforeAll(async () => {
  calendar = await loadWorkingCalendar();
});
const rules = rulesForDistrict(
  parseRiskRules(JSON.parse(readFileSync(path.join(RISK_RULES_DIR, '2026.1.json'), 'utf8')) as unknown),
  'pudong',
);

describe('inspection cycles with the project calendar', () => {
  it('high: two working days, over a weekend and over National Day', () => {
    expect(nextDueOn('high', '2026-03-05', rules, calendar)).toBe('2026-03-09'); // Thu -> Mon
    expect(nextDueOn('high', '2026-09-30', rules, calendar)).toBe('2026-10-09'); // Oct 1-7 off
  });

  it('medium: a week, moved to the next working day when it ends on a day off', () => {
    expect(nextDueOn('medium', '2026-03-04', rules, calendar)).toBe('2026-03-11');
    expect(nextDueOn('medium', '2026-09-28', rules, calendar)).toBe('2026-10-08'); // Oct 5 is a holiday
  });

  it('low: a month, the end of a short month kept', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(nextDueOn('low', '2026-03-10', rules, calendar)).toBe('2026-04-10');
    expect(nextDueOn('low', '2026-04-04', rules, calendar)).toBe('2026-05-06'); // May 1-5 off
  });

  it('counts whole cycles at a level', () => {
    expect(wholeCycles('medium', '2026-03-04', '2026-03-17', rules, calendar)).toBe(1);
    expect(wholeCycles('medium', '2026-03-04', '2026-03-18', rules, calendar)).toBe(2);
    expect(wholeCycles('high', '2026-03-04', '2026-03-04', rules, calendar)).toBe(0);
  });
});

describe('the due list', () => {
  it('says overdue after the day, due on it, soon within two days', () => {
    expect(dueState('2026-03-09', '2026-03-10')).toBe('overdue');
    expect(dueState('2026-03-10', '2026-03-10')).toBe('due_today');
    expect(dueState('2026-03-12', '2026-03-10')).toBe('due_soon');
    expect(dueState('2026-03-13', '2026-03-10')).toBe('later');
  });

  it('puts the longest overdue first, then the higher level, camera-checked shops last', () => {
    const e = (name: string, dueOn: string, level: DueEntry['level'], cameraChecked = false): DueEntry => ({
      name,
      dueOn,
      level,
      cameraChecked,
    });
    const list = [
      e('d', '2026-03-01', 'high', true),
      e('c', '2026-03-05', 'low'),
      e('b', '2026-03-05', 'high'),
      e('a', '2026-03-02', 'low'),
    ].sort(compareUrgency);
    expect(list.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd']);
  });
});
